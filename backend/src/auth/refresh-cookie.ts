import type { Request, Response } from 'express';
import { REFRESH_TOKEN_DAYS } from './refresh-tokens';

export const REFRESH_COOKIE = 'nat_refresh';
/**
 * Sent only to the endpoints that use it, never to the rest of the API or the dashboard's assets; the only paths
 * where NAT parses cookies.
 */
export const COOKIE_PATH = '/api/v1/auth';

export function refreshTokenOf(request: Request, fromBody: string | undefined): string | undefined {
  if (fromBody) return fromBody;
  const cookies = request.cookies as Record<string, unknown> | undefined;
  const cookie = cookies?.[REFRESH_COOKIE];
  return typeof cookie === 'string' && cookie !== '' ? cookie : undefined;
}

/** httpOnly (no script reads it), SameSite=Strict (no other site sends it), Secure behind HTTPS. */
export function setRefreshCookie(request: Request, response: Response, token: string): void {
  response.cookie(REFRESH_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: request.secure,
    path: COOKIE_PATH,
    maxAge: REFRESH_TOKEN_DAYS * 86_400_000,
  });
}

export function clearRefreshCookie(request: Request, response: Response): void {
  response.clearCookie(REFRESH_COOKIE, {
    httpOnly: true,
    sameSite: 'strict',
    secure: request.secure,
    path: COOKIE_PATH,
  });
}
