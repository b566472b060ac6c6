import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '../../tenancy/role';
import type { TenantMember } from '../../tenancy/tenant-context';

export class TenantDto {
  @ApiProperty({ example: 'demo-tenant-1', pattern: '^[a-z0-9][a-z0-9-]{1,62}$' })
  id!: string;

  @ApiProperty({ example: 'Demo Sales Team' })
  name!: string;

  @ApiProperty({
    example: 'America/New_York',
    description: 'IANA time zone: "due today" ends at midnight here',
  })
  timezone!: string;

  @ApiProperty({ example: 'USD', description: 'ISO 4217 currency code of opportunity values' })
  currency!: string;

  @ApiProperty({ enum: ROLES, enumName: 'Role', example: 'rep', description: 'Your role in this tenant' })
  role!: Role;

  static from({ tenant, role }: TenantMember): TenantDto {
    return {
      id: tenant.id,
      name: tenant.name,
      timezone: tenant.timezone,
      currency: tenant.currency.trim(),
      role,
    };
  }
}
