import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../passwords';

const COOKIE_DESCRIPTION =
  'true (browsers): the refresh token is set as the httpOnly cookie `nat_refresh` instead of being returned ' +
  'in the body, out of reach of scripts';

/** Where the refresh token goes: the body (API clients) or an httpOnly cookie (the dashboard). */
export class CookieChoiceDto {
  @ApiPropertyOptional({ default: false, description: COOKIE_DESCRIPTION })
  @IsOptional()
  @IsBoolean()
  cookie?: boolean;
}

export class LoginDto extends CookieChoiceDto {
  @ApiProperty({ example: 'rep@demo-tenant-1.test', maxLength: 254 })
  @MaxLength(254)
  @IsEmail({}, { message: 'email must be an email address' })
  @IsString()
  email!: string;

  @ApiProperty({ example: 'demo-password', maxLength: MAX_PASSWORD_LENGTH })
  @Length(1, MAX_PASSWORD_LENGTH)
  @IsString()
  password!: string;
}

/** A new password: long rather than clever (NIST SP 800-63B), up to a bound that keeps hashing cheap. */
export function newPasswordProperty(description: string): PropertyDecorator {
  const property = ApiProperty({
    example: 'correct horse battery staple',
    minLength: MIN_PASSWORD_LENGTH,
    maxLength: MAX_PASSWORD_LENGTH,
    description,
  });
  const length = Length(MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH, {
    message: ({ property: name }) =>
      `${name} must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters long`,
  });
  return applyDecorators(property, length, IsString());
}

export class RefreshDto {
  @ApiPropertyOptional({
    description: 'The refresh token from sign-in; browsers leave it out and send the `nat_refresh` cookie',
    maxLength: 128,
  })
  @IsOptional()
  @MaxLength(128)
  @IsString()
  refresh_token?: string;
}

export class ChangePasswordDto {
  @ApiProperty({ example: 'demo-password', maxLength: MAX_PASSWORD_LENGTH })
  @Length(1, MAX_PASSWORD_LENGTH)
  @IsString()
  current_password!: string;

  @newPasswordProperty('The new password; every other session is signed out')
  new_password!: string;

  @ApiPropertyOptional({
    description:
      'Your current refresh token, so that this session stays signed in (browsers send the cookie instead)',
    maxLength: 128,
  })
  @IsOptional()
  @MaxLength(128)
  @IsString()
  refresh_token?: string;
}

export class AcceptInvitationDto extends CookieChoiceDto {
  @ApiProperty({ description: 'The one-time token an admin received when inviting you', maxLength: 128 })
  @Length(1, 128)
  @IsString()
  token!: string;

  @newPasswordProperty('Your password')
  password!: string;
}
