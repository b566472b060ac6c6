import { Injectable } from '@nestjs/common';
import { ScopedDatabase } from '../tenancy/scoped-database';
import { hashSecretToken, newSecretToken } from './secret-token';

const INVITATION_DAYS = 7;

/** One-time set-password tokens for invited members, stored as hashes in the inviting tenant. */
@Injectable()
export class InvitationTokens {
  constructor(private readonly database: ScopedDatabase) {}

  /**
   * The expiry is set by PostgreSQL's clock, because nat_invitation_lookup checks it against now(): it runs
   * before the tenant is known, where only the database can read the invitation.
   */
  async issue(tenantId: string, userId: string): Promise<{ token: string; expires_at: string }> {
    const token = newSecretToken();
    const [row] = await this.database.rows<{ expires_at: Date }>(
      `INSERT INTO invitations (tenant_id, token_hash, user_id, invited_by, expires_at)
       VALUES ($1, $2, $3, NULLIF(current_setting('app.user_id', true), '')::uuid,
               now() + make_interval(days => $4))
       RETURNING expires_at`,
      [tenantId, hashSecretToken(token), userId, INVITATION_DAYS],
    );
    return { token, expires_at: new Date(row.expires_at).toISOString() };
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
