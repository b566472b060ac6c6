import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { ScopedDatabase } from '../tenancy/scoped-database';
import { hashSecretToken, newSecretToken } from './secret-token';

const INVITATION_DAYS = 7;

/** One-time set-password tokens for invited members, stored as hashes in the inviting tenant. */
@Injectable()
export class InvitationTokens {
  constructor(
    private readonly database: ScopedDatabase,
    private readonly clock: Clock,
  ) {}

  async issue(tenantId: string, userId: string): Promise<{ token: string; expires_at: string }> {
    const token = newSecretToken();
    const expiresAt = new Date(this.clock.now().getTime() + INVITATION_DAYS * 86_400_000);
    await this.database.rows(
      `INSERT INTO invitations (tenant_id, token_hash, user_id, invited_by, expires_at)
       VALUES ($1, $2, $3, NULLIF(current_setting('app.user_id', true), '')::uuid, $4)`,
      [tenantId, hashSecretToken(token), userId, expiresAt],
    );
    return { token, expires_at: expiresAt.toISOString() };
  }

  /** The tenant and user of a usable token, found through the narrow SECURITY DEFINER lookup. */
  async find(token: string): Promise<{ tenantId: string; userId: string } | undefined> {
    const rows: { tenant_id: string; user_id: string }[] = await this.database.rows(
      `SELECT tenant_id, user_id FROM nat_invitation_lookup($1)`,
      [hashSecretToken(token)],
    );
    return rows[0] && { tenantId: rows[0].tenant_id, userId: rows[0].user_id };
  }

  /** Marks it used; false when another request used it first. */
  async use(tenantId: string, token: string): Promise<boolean> {
    const rows: unknown[] = await this.database.rows(
      `UPDATE invitations SET used_at = now()
        WHERE tenant_id = $1 AND token_hash = $2 AND used_at IS NULL RETURNING 1`,
      [tenantId, hashSecretToken(token)],
    );
    return rows.length === 1;
  }
}
