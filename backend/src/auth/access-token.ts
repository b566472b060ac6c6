import type { Role } from '../tenancy/role';

/** What an access token carries: who, and (for clients' convenience) where they are a member, as of sign-in. */
export interface AccessTokenClaims {
  sub: string;
  memberships: { tenant_id: string; role: Role }[];
}

export const ACCESS_TOKEN_SECONDS = 15 * 60;
export const TOKEN_ISSUER = 'nat';
export const TOKEN_AUDIENCE = 'nat-api';
