import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { stringify } from 'safe-stable-stringify';
import { ApiError } from '../common/errors/api-error';
import { ErrorCode } from '../common/errors/error-code';
import { routeLabel } from '../metrics/route-label';
import { ScopedDatabase } from './scoped-database';
import type { TenantMember } from './tenant-context';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';

/** Printable ASCII, as the IETF draft and Stripe take keys: a UUID, a ULID, or any client's own scheme. */
const KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;

/** Expired keys of the caller removed per keyed request: each request adds one, so the table cannot grow. */
const PURGE_BATCH = 20;

interface StoredAnswer {
  fingerprint: Buffer;
  response_status: number;
  response_body: string;
}

/** The Idempotency-Key of a request, or undefined without one; a malformed key is the client's mistake. */
export function idempotencyKeyOf(request: Request): string | undefined {
  const key = request.header(IDEMPOTENCY_HEADER);
  if (key === undefined) return undefined;
  if (!KEY_PATTERN.test(key) || key.trim() === '') {
    throw new ApiError(
      ErrorCode.IDEMPOTENCY_KEY_INVALID,
      `The ${IDEMPOTENCY_HEADER} header must be 1-255 printable ASCII characters.`,
    );
  }
  return key;
}

/**
 * Answers a retried POST with its first answer instead of running it twice. Runs inside the request's
 * transaction, after the membership check:
 * - a transaction-scoped advisory lock on the key makes a concurrent retry answer 409 at once rather than wait;
 * - a stored answer is replayed (same status and body, `Idempotent-Replayed: true`) when the request is the same
 *   (path and body, keys in any order), else 422;
 * - otherwise the handler runs and its answer is stored in the same transaction: the change and its key commit
 *   together, and a failure (an error answer, a crash, the database going away) leaves no key behind, so the
 *   client's retry runs again.
 */
@Injectable()
export class Idempotency {
  constructor(private readonly database: ScopedDatabase) {}

  async once(
    member: TenantMember,
    key: string,
    request: Request,
    response: Response,
    handle: () => Promise<unknown>,
  ): Promise<unknown> {
    const scope = [member.tenant.id, member.userId, `${request.method} ${routeLabel(request)}`, key];
    const fingerprint = createHash('sha256')
      .update(`${request.path}\n${stringify(request.body ?? null)}`)
      .digest();

    const [{ locked }] = await this.database.rows<{ locked: boolean }>(
      `SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked`,
      [scope.join('\n')],
    );
    if (!locked) {
      throw new ApiError(
        ErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS,
        `A request with this ${IDEMPOTENCY_HEADER} is still running: retry once it has finished.`,
      );
    }

    const [stored] = await this.database.rows<StoredAnswer>(
      `WITH expired AS (
         DELETE FROM idempotency_keys WHERE ctid IN (
           SELECT ctid FROM idempotency_keys
            WHERE tenant_id = $1 AND user_id = $2 AND expires_at <= now() LIMIT ${PURGE_BATCH}))
       SELECT fingerprint, response_status, response_body FROM idempotency_keys
        WHERE tenant_id = $1 AND user_id = $2 AND route = $3 AND key = $4 AND expires_at > now()`,
      scope,
    );
    if (stored) return this.replay(stored, fingerprint, response);

    const answer = await handle();
    await this.database.rows(
      `INSERT INTO idempotency_keys
         (tenant_id, user_id, route, key, fingerprint, response_status, response_body, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now() + interval '24 hours')
       ON CONFLICT (tenant_id, user_id, route, key) DO UPDATE
         SET fingerprint = EXCLUDED.fingerprint, response_status = EXCLUDED.response_status,
             response_body = EXCLUDED.response_body, created_at = now(), expires_at = EXCLUDED.expires_at`,
      [...scope, fingerprint, response.statusCode, JSON.stringify(answer) ?? 'null'],
    );
    return answer;
  }

  private replay(stored: StoredAnswer, fingerprint: Buffer, response: Response): unknown {
    if (!stored.fingerprint.equals(fingerprint)) {
      throw new ApiError(
        ErrorCode.IDEMPOTENCY_KEY_REUSED,
        `This ${IDEMPOTENCY_HEADER} was used for a different request: use a new key for a new request.`,
      );
    }
    response.status(stored.response_status);
    response.setHeader(REPLAYED_HEADER, 'true');
    return JSON.parse(stored.response_body) as unknown;
  }
}
