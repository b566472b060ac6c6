import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES, type Role } from '../../tenancy/role';

export class MembershipOfUserDto {
  @ApiProperty({ example: 'demo-tenant-1' })
  tenant_id!: string;

  @ApiProperty({ example: 'Demo Sales Team' })
  tenant_name!: string;

  @ApiProperty({ enum: ROLES, enumName: 'Role', example: 'rep' })
  role!: Role;
}

export class MeDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'rep@demo-tenant-1.test' })
  email!: string;

  @ApiProperty({ example: 'Riley Rep' })
  name!: string;

  @ApiProperty({ example: 'America/New_York' })
  timezone!: string;

  @ApiProperty({
    type: [MembershipOfUserDto],
    description: 'The tenants you belong to, by name, with your role',
  })
  memberships!: MembershipOfUserDto[];
}

export class SessionDto {
  @ApiProperty({
    description: 'Send as `Authorization: Bearer <access_token>`; valid for expires_in seconds',
  })
  access_token!: string;

  @ApiProperty({ enum: ['Bearer'], example: 'Bearer' })
  token_type!: 'Bearer';

  @ApiProperty({ example: 900 })
  expires_in!: number;

  @ApiPropertyOptional({
    description:
      'Trade it at POST /api/v1/auth/refresh for a new session (it is spent by that: keep the new one). ' +
      'Absent when the request asked for the cookie.',
  })
  refresh_token?: string;

  @ApiProperty({ type: MeDto })
  user!: MeDto;
}
