import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { ScopedDatabase } from '../tenancy/scoped-database';
import { Unauthenticated } from './auth.guard';
import { hashSecretToken, newSecretToken } from './secret-token';

export const REFRESH_TOKEN_DAYS = 30;

interface TokenRow {
  id: string;
  user_id: string;
  family_id: string;
  expires_at: Date;
  rotated_at: Date | null;
  revoked_at: Date | null;
}

/**
 * Long-lived sessions as rotating refresh tokens, stored hashed in PostgreSQL so that any API process can
 * refresh any session and a sign-out or password change revokes them at once. Each refresh spends the
 * token and issues the next one of the same family; presenting a spent token again means it was copied,
 * so the whole family is revoked (OAuth 2.0 Security BCP, refresh token rotation).
 */
@Injectable()
export class RefreshTokens {
  constructor(
    private readonly database: ScopedDatabase,
    private readonly clock: Clock,
  ) {}

  /**
   * A new session (or the next token of `familyId`); the transaction must be scoped to `userId`. A new session
   * also forgets the user's tokens that expired: rows that can never be used again, kept only to recognise reuse
   * until then, so the table grows with active sessions, not with sign-ins.
   */
  async issue(userId: string, familyId?: string): Promise<string> {
    const token = newSecretToken();
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + REFRESH_TOKEN_DAYS * 86_400_000);
    if (!familyId) {
      await this.database.rows(`DELETE FROM refresh_tokens WHERE user_id = $1 AND expires_at < $2`, [
        userId,
        now,
      ]);
    }
    await this.database.rows(
      `INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at) VALUES ($1, $2, $3, $4)`,
      [userId, familyId ?? randomUUID(), hashSecretToken(token), expiresAt],
    );
    return token;
  }

  /**
   * Spends `token` and answers its user and the next token; scopes the transaction to that user. Answers
   * undefined, rather than throwing, for a token that cannot be used: the revocation of a reused token's
   * family must commit, and a throw would roll it back.
   */
  async rotate(token: string): Promise<{ userId: string; token: string } | undefined> {
    const row = await this.find(token);
    if (!row) return undefined;
    if (row.rotated_at || row.revoked_at) {
      if (row.rotated_at && !row.revoked_at) await this.revokeFamily(row.family_id);
      return undefined;
    }
    if (new Date(row.expires_at).getTime() <= this.clock.now().getTime()) return undefined;
    await this.database.rows(`UPDATE refresh_tokens SET rotated_at = now() WHERE id = $1`, [row.id]);
    return { userId: row.user_id, token: await this.issue(row.user_id, row.family_id) };
  }

  /** Sign-out: this session only. Unknown tokens are ignored (signing out twice is fine). */
  async revoke(token: string, userId: string): Promise<void> {
    const row = await this.find(token);
    if (row && row.user_id === userId) await this.revokeFamily(row.family_id);
  }

  /** Every session of the user but `keepFamily` (the one that changed the password, when known). */
  async revokeAllOf(userId: string, keepFamily?: string): Promise<void> {
    await this.database.rows(
      `UPDATE refresh_tokens SET revoked_at = now()
        WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR family_id <> $2)`,
      [userId, keepFamily ?? null],
    );
  }

  /** The family of a token the caller holds, if it is theirs. */
  async familyOf(token: string, userId: string): Promise<string | undefined> {
    const row = await this.find(token);
    return row && row.user_id === userId ? row.family_id : undefined;
  }

  private async find(token: string): Promise<TokenRow | undefined> {
    const hash = hashSecretToken(token);
    const [owner] = await this.database.rows<{ user_id: string | null }>(
      `SELECT nat_refresh_token_owner($1) AS user_id`,
      [hash],
    );
    if (!owner?.user_id) return undefined;
    await this.database.rescope({ userId: owner.user_id });
    const [row] = await this.database.rows<TokenRow>(
      `SELECT id, user_id, family_id, expires_at, rotated_at, revoked_at
         FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
      [hash],
    );
    return row;
  }

  private async revokeFamily(familyId: string): Promise<void> {
    await this.database.rows(
      `UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL`,
      [familyId],
    );
  }
}

export function refreshRefused(): Unauthenticated {
  return new Unauthenticated('The refresh token is invalid, expired or revoked: sign in again.');
}
