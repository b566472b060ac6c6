import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES, type Role } from '../../tenancy/role';

export interface MembershipRow {
  user_id: string;
  email: string;
  name: string;
  role: Role;
  created_at: Date;
  invited: boolean;
}

export class MembershipDto {
  @ApiProperty({ format: 'uuid' })
  user_id!: string;

  @ApiProperty({ example: 'sam@example.com' })
  email!: string;

  @ApiProperty({ example: 'Sam Rivera' })
  name!: string;

  @ApiProperty({ enum: ROLES, enumName: 'Role', example: 'rep' })
  role!: Role;

  @ApiProperty({
    enum: ['active', 'invited'],
    enumName: 'MembershipStatus',
    description: '`invited`: the user has not set a password yet',
  })
  status!: 'active' | 'invited';

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  static from(row: MembershipRow): MembershipDto {
    return {
      user_id: row.user_id,
      email: row.email,
      name: row.name,
      role: row.role,
      status: row.invited ? 'invited' : 'active',
      created_at: new Date(row.created_at).toISOString(),
    };
  }
}

export class InvitationDto {
  @ApiProperty({
    description: 'One-time token for POST /api/v1/auth/invitation; shown once, stored only as a hash',
    example: 'b3JhbmdlLXNreS0xMjM0NTY3ODkwYWJjZGVmZ2hpams',
  })
  token!: string;

  @ApiProperty({ format: 'date-time' })
  expires_at!: string;
}

export class AddMemberResultDto {
  @ApiProperty({ type: MembershipDto })
  membership!: MembershipDto;

  @ApiPropertyOptional({
    type: InvitationDto,
    description: 'Present when the email had no account: pass the token on to the new member',
  })
  invitation?: InvitationDto;
}
