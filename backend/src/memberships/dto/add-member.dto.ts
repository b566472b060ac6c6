import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsText } from '../../common/validation/decorators';
import { ROLES, type Role } from '../../tenancy/role';

export class RoleDto {
  @ApiProperty({ enum: ROLES, enumName: 'Role', example: 'rep' })
  @IsIn(ROLES, { message: `role must be one of: ${ROLES.join(', ')}` })
  role!: Role;
}

export class AddMemberDto extends RoleDto {
  @ApiProperty({ example: 'sam@example.com', maxLength: 254 })
  @MaxLength(254)
  @IsEmail({}, { message: 'email must be an email address' })
  @IsString()
  email!: string;

  @ApiPropertyOptional({
    example: 'Sam Rivera',
    maxLength: 200,
    description: 'Required when the email has no account yet: the invited user is created with this name',
  })
  @IsOptional()
  @IsText({ min: 1, max: 200 })
  @IsString()
  name?: string;
}
