import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ApiError } from '../common/errors/api-error';
import { ErrorCode } from '../common/errors/error-code';
import type { AccessTokenClaims } from './access-token';
import { AccessTokenRefused, AccessTokenVerifier } from './access-token-verifier';
import { Principal } from './principal';
import { PUBLIC_ROUTE } from './public.decorator';

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

export class Unauthenticated extends ApiError {
  constructor(detail = 'Sign in first: the Authorization header needs a valid Bearer access token.') {
    super(ErrorCode.UNAUTHENTICATED, detail);
  }
}

/**
 * Global: every route needs a valid access token unless it is @Public(). The membership in the tenant is
 * checked later, inside the request's transaction, so that 401 always comes before 403.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokenVerifier,
    private readonly principal: Principal,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const header = context.switchToHttp().getRequest<Request>().header('authorization');
    if (!header) throw new Unauthenticated();
    const token = BEARER.exec(header.trim())?.[1];
    if (!token) throw new Unauthenticated('The Authorization header must be "Bearer <access token>".');
    let claims: AccessTokenClaims;
    try {
      claims = await this.tokens.verify(token);
    } catch (error) {
      if (!(error instanceof AccessTokenRefused)) throw error;
      throw new Unauthenticated(
        error.expired
          ? 'The access token has expired: refresh it (POST /api/v1/auth/refresh) or sign in again.'
          : 'The access token is invalid: sign in again.',
      );
    }
    this.principal.set(claims.sub);
    return true;
  }
}
