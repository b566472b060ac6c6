import { createHash, randomBytes } from 'node:crypto';

/** A random bearer secret (refresh token, invitation): 256 bits, URL-safe. */
export function newSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database keeps instead of the token: a leaked table does not let anyone sign in. */
export function hashSecretToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
