import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';

/** Memberships kept: one per active member and tenant, a few hundred bytes each. */
const CACHED_MEMBERSHIPS = 10_000;
/** Long enough to span a rep's session of clicks; a stale entry costs one extra round trip, never a wrong answer. */
const KEPT_FOR_MS = 10 * 60_000;

/**
 * The membership row each member's last read-only request was admitted with (nat_membership() as jsonb text), so
 * that the next one can send its first statement at once instead of reading the membership first. An entry is a
 * guess, not an authority: PostgreSQL checks it before every statement (nat_read_scope), and a request whose
 * guess proved wrong is answered again from a fresh read (ScopedDatabase.readAsMember).
 */
@Injectable()
export class MembershipCache {
  private readonly rows = new LRUCache<string, string>({ max: CACHED_MEMBERSHIPS, ttl: KEPT_FOR_MS });

  get(tenantId: string, userId: string): string | undefined {
    return this.rows.get(keyOf(tenantId, userId));
  }

  remember(tenantId: string, userId: string, membership: string): void {
    this.rows.set(keyOf(tenantId, userId), membership);
  }

  forget(tenantId: string, userId: string): void {
    this.rows.delete(keyOf(tenantId, userId));
  }
}

function keyOf(tenantId: string, userId: string): string {
  return `${tenantId} ${userId}`;
}
