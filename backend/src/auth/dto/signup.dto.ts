import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, IsTimeZone, Matches, MaxLength } from 'class-validator';
import { IsText } from '../../common/validation/decorators';
import { TENANT_ID_PATTERN } from '../../tenants/tenant-id';
import { CookieChoiceDto, newPasswordProperty } from './credentials.dto';

export class SignupDto extends CookieChoiceDto {
  @ApiProperty({ example: 'Acme Sales', minLength: 1, maxLength: 200 })
  @IsText({ min: 1, max: 200 })
  @IsString()
  tenant_name!: string;

  @ApiPropertyOptional({
    example: 'acme-sales',
    pattern: TENANT_ID_PATTERN.source,
    description: 'The id API clients send as X-Tenant-ID; derived from tenant_name when left out',
  })
  @IsOptional()
  @Matches(TENANT_ID_PATTERN, {
    message: 'tenant_id must be 2-63 lowercase letters, digits or hyphens, starting with a letter or digit',
  })
  @IsString()
  tenant_id?: string;

  @ApiProperty({ example: 'America/New_York', description: "IANA time zone of the team's working day" })
  @IsTimeZone({ message: 'timezone must be an IANA time zone such as Europe/Berlin' })
  @IsString()
  timezone!: string;

  @ApiProperty({ example: 'USD', pattern: '^[A-Z]{3}$', description: 'ISO 4217 code of opportunity values' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a three-letter ISO 4217 code such as USD' })
  @IsString()
  currency!: string;

  @ApiProperty({ example: 'Dana Admin', minLength: 1, maxLength: 200, description: 'Your name' })
  @IsText({ min: 1, max: 200 })
  @IsString()
  name!: string;

  @ApiProperty({ example: 'dana@acme.example', maxLength: 254 })
  @MaxLength(254)
  @IsEmail({}, { message: 'email must be an email address' })
  @IsString()
  email!: string;

  @newPasswordProperty('Your password')
  password!: string;
}
