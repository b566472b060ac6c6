import { Body, Controller, Get, Header, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ErrorCode } from '../common/errors/error-code';
import { ApiEndpoint } from '../common/http/api-endpoint.decorator';
import { AuthenticatedEndpoint } from '../tenancy/tenant-endpoint.decorator';
import { AuthService } from './auth.service';
import { clientIp } from './client-ip';
import { AcceptInvitationDto, ChangePasswordDto, LoginDto, RefreshDto } from './dto/credentials.dto';
import { MeDto, SessionDto } from './dto/session.dto';
import { SignupDto } from './dto/signup.dto';
import { Principal } from './principal';
import { Public } from './public.decorator';
import { clearRefreshCookie, refreshTokenOf, setRefreshCookie } from './refresh-cookie';
import type { IssuedSession } from './sessions';
import { Signup } from './signup.service';

const BODY_ERRORS = [ErrorCode.VALIDATION_ERROR, ErrorCode.MALFORMED_JSON];

/** Answers that carry tokens must not be stored by any cache (RFC 6749, section 5.1). */
function NoStore(): MethodDecorator {
  return Header('Cache-Control', 'no-store');
}

/** Hands the refresh token over the way the client asked: in the body, or as the httpOnly cookie. */
function deliver(issued: IssuedSession, asCookie: boolean, request: Request, response: Response): SessionDto {
  if (!asCookie) return { ...issued.session, refresh_token: issued.refreshToken };
  setRefreshCookie(request, response, issued.refreshToken);
  return issued.session;
}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly principal: Principal,
  ) {}

  @Post('login')
  @HttpCode(200)
  @NoStore()
  @Public()
  @ApiEndpoint({
    summary: 'Sign in with email and password',
    description:
      'Answers a 15-minute access token for `Authorization: Bearer …` and a refresh token. Attempts are ' +
      'limited per client address and per account (429 with Retry-After).',
    errors: [...BODY_ERRORS, ErrorCode.INVALID_CREDENTIALS, ErrorCode.TOO_MANY_REQUESTS],
  })
  @ApiOkResponse({ type: SessionDto })
  async login(
    @Body() body: LoginDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionDto> {
    return deliver(await this.auth.login(body, clientIp(request)), body.cookie === true, request, response);
  }

  @Post('refresh')
  @HttpCode(200)
  @NoStore()
  @Public()
  @ApiEndpoint({
    summary: 'Trade a refresh token for a new session',
    description:
      'The refresh token is spent: keep the new one. A token from the body comes back in the body; one from ' +
      'the `nat_refresh` cookie comes back as the cookie. Reusing a spent token ends the whole session.',
    errors: [...BODY_ERRORS, ErrorCode.UNAUTHENTICATED],
  })
  @ApiOkResponse({ type: SessionDto })
  async refresh(
    @Body() body: RefreshDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionDto> {
    const issued = await this.auth.refresh(refreshTokenOf(request, body.refresh_token));
    return deliver(issued, !body.refresh_token, request, response);
  }

  @Post('logout')
  @HttpCode(204)
  @AuthenticatedEndpoint({
    summary: 'Sign out: revoke the refresh token (body or cookie)',
    errors: BODY_ERRORS,
  })
  @ApiNoContentResponse({ description: 'Signed out' })
  async logout(
    @Body() body: RefreshDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    await this.auth.logout(this.principal.id, refreshTokenOf(request, body.refresh_token));
    clearRefreshCookie(request, response);
  }

  @Get('me')
  @AuthenticatedEndpoint({ summary: 'The signed-in user and their tenants' })
  @ApiOkResponse({ type: MeDto })
  me(): Promise<MeDto> {
    return this.auth.me(this.principal.id);
  }

  @Post('password')
  @HttpCode(204)
  @AuthenticatedEndpoint({
    summary: 'Change your password',
    description:
      'Needs the current password. Every other session is signed out; the one whose refresh token comes with ' +
      'the request (body or cookie) stays.',
    errors: BODY_ERRORS,
  })
  @ApiNoContentResponse({ description: 'Changed' })
  async changePassword(@Body() body: ChangePasswordDto, @Req() request: Request): Promise<void> {
    await this.auth.changePassword(this.principal.id, body, refreshTokenOf(request, body.refresh_token));
  }

  @Post('invitation')
  @HttpCode(200)
  @NoStore()
  @Public()
  @ApiEndpoint({
    summary: 'Accept an invitation: set your password and sign in',
    errors: [...BODY_ERRORS, ErrorCode.INVITATION_INVALID, ErrorCode.TOO_MANY_REQUESTS],
  })
  @ApiOkResponse({ type: SessionDto })
  async acceptInvitation(
    @Body() body: AcceptInvitationDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionDto> {
    const issued = await this.auth.acceptInvitation(body, clientIp(request));
    return deliver(issued, body.cookie === true, request, response);
  }
}

@ApiTags('signup')
@Controller('signup')
export class SignupController {
  constructor(private readonly signups: Signup) {}

  @Post()
  @Public()
  @NoStore()
  @ApiEndpoint({
    summary: 'Create a tenant and its first admin, signed in',
    description: 'Limited per client address; closed when the installation sets SIGNUP_ENABLED=false.',
    errors: [
      ...BODY_ERRORS,
      ErrorCode.SIGNUP_DISABLED,
      ErrorCode.TOO_MANY_REQUESTS,
      ErrorCode.EMAIL_TAKEN,
      ErrorCode.TENANT_ID_TAKEN,
    ],
  })
  @ApiCreatedResponse({ type: SessionDto })
  async create(
    @Body() body: SignupDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionDto> {
    const issued = await this.signups.signup(body, clientIp(request));
    return deliver(issued, body.cookie === true, request, response);
  }
}
