import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { LRUCache } from 'lru-cache';
import { UUID_PATTERN } from '../common/validation/uuid';
import { type AccessTokenClaims, TOKEN_AUDIENCE, TOKEN_ISSUER } from './access-token';

/** Verified tokens kept: a few thousand signed-in users, each a token or two of a few hundred bytes. */
const CACHED_TOKENS = 10_000;

/** Why a token was refused: its signature or claims (a user id as `sub`) are wrong, or it has run out. */
export class AccessTokenRefused extends Error {
  constructor(readonly expired: boolean) {
    super(expired ? 'access token expired' : 'access token invalid');
  }
}

/**
 * Checks an access token's signature, issuer, audience, expiry and subject, and remembers the tokens that passed
 * until they expire. A client sends the same token with every request for 15 minutes: the HMAC, the base64 and
 * the JSON parse of each were a twentieth of the API's CPU time on a due page. The cache is keyed by the whole
 * token, so only a string that verified once can hit it, and an entry lives no longer than the token's `exp`
 * (tokens are not revoked before then: a removed member is refused by the membership check of each request).
 */
@Injectable()
export class AccessTokenVerifier {
  private readonly verified = new LRUCache<string, AccessTokenClaims>({ max: CACHED_TOKENS });

  constructor(private readonly jwt: JwtService) {}

  /** The token's claims, or AccessTokenRefused. */
  async verify(token: string): Promise<AccessTokenClaims> {
    const cached = this.verified.get(token);
    if (cached) return cached;
    let claims: AccessTokenClaims & { exp?: number };
    try {
      claims = await this.jwt.verifyAsync<AccessTokenClaims & { exp?: number }>(token, {
        algorithms: ['HS256'],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
      });
    } catch (error) {
      throw new AccessTokenRefused(error instanceof Error && error.name === 'TokenExpiredError');
    }
    if (typeof claims.sub !== 'string' || !UUID_PATTERN.test(claims.sub)) throw new AccessTokenRefused(false);
    // jsonwebtoken refuses a token from its `exp` second on; the entry goes stale at the same instant.
    const ttl = typeof claims.exp === 'number' ? claims.exp * 1000 - Date.now() : 0;
    if (ttl > 0) this.verified.set(token, Object.freeze(claims), { ttl });
    return claims;
  }
}
