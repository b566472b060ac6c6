import { ApiProperty } from '@nestjs/swagger';
import type { Tenant } from '../tenant.entity';

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

  static from(tenant: Tenant): TenantDto {
    return { id: tenant.id, name: tenant.name, timezone: tenant.timezone, currency: tenant.currency.trim() };
  }
}
