import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { tenantHeaders, type Session } from './api-client';
import type { PacedRequest } from './open-loop';

export type EndpointKey = 'due_first' | 'due_later' | 'summary' | 'complete' | 'no_database';
export type TargetName = 'NAT' | 'baseline';

export const ENDPOINT_LABELS: Record<EndpointKey, string> = {
  due_first: 'GET due, first page',
  due_later: 'GET due, later page',
  summary: 'GET due/summary',
  complete: 'POST complete_action',
  no_database: 'GET /health/live',
};

/** The endpoints every target compares with the baseline. */
export const DUE_PAGES: EndpointKey[] = ['due_first', 'due_later'];

/** The due list of the whole 1M tenant, not one rep's share: a manager's team view. */
export const DUE_FIRST_PATH = '/api/v1/opportunities/due?scope=team';
const SUMMARY_PATH = '/api/v1/opportunities/due/summary?scope=team';
/**
 * No database, no token: what every request costs before it does any work (NAT's middleware, logging, metrics,
 * guard and interceptors; node:http alone for the baseline, which answers the same path).
 */
const LIVENESS_PATH = '/health/live';

const DAY_MS = 24 * 3600 * 1000;
const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * Open opportunities of the 1M tenant, each handed out once so that no two completions wait on the same row
 * lock. Should a run need more than were fetched, it starts over (and says so): completing a deal again is
 * still valid, only no longer distinct.
 */
export class OpportunityIds {
  private position = 0;
  wraps = 0;

  constructor(private readonly ids: string[]) {
    if (ids.length === 0) throw new Error('No open opportunity to complete');
  }

  next(): string {
    if (this.position === this.ids.length) {
      this.position = 0;
      this.wraps++;
    }
    return this.ids[this.position++];
  }

  get size(): number {
    return this.ids.length;
  }

  get used(): number {
    return this.wraps * this.ids.length + this.position;
  }

  /**
   * From a random point of the tenant's key order on: the primary key (tenant_id, id) serves it, and
   * successive runs complete different deals instead of pushing the same ones again and again.
   */
  static async fetch(client: Client, tenantId: string, count: number): Promise<OpportunityIds> {
    const sql = `SELECT id FROM opportunities
                  WHERE tenant_id = $1 AND id >= $2 AND next_action_at IS NOT NULL
                  ORDER BY id LIMIT $3`;
    const start = randomUUID();
    const { rows: after } = await client.query<{ id: string }>(sql, [tenantId, start, count]);
    const { rows: before } =
      after.length < count
        ? await client.query<{ id: string }>(sql, [tenantId, ZERO_UUID, count - after.length])
        : { rows: [] };
    const ids = [...after, ...before].map((row) => row.id);
    return new OpportunityIds([...new Set(ids)]);
  }
}

/** A new next action between one and ninety days ahead: the seeded spread, and always in the future. */
function completionBody(index: number): string {
  const days = 1 + (index % 90);
  return JSON.stringify({
    new_next_action_at: new Date(Date.now() + days * DAY_MS).toISOString(),
    new_next_action_details: `Bench follow-up ${index}`,
    notes: 'Completed by the benchmark',
  });
}

export interface ScenarioContext {
  session: Session;
  laterPagePath: string;
  completeIds: OpportunityIds;
}

/** The i-th request of an endpoint; the baseline gets the same path and headers and ignores the token. */
export function requestFactory(
  endpoint: EndpointKey,
  context: ScenarioContext,
): (index: number) => PacedRequest {
  const headers = tenantHeaders(context.session);
  switch (endpoint) {
    case 'due_first':
      return () => ({ method: 'GET', path: DUE_FIRST_PATH, headers });
    case 'due_later':
      return () => ({ method: 'GET', path: context.laterPagePath, headers });
    case 'summary':
      return () => ({ method: 'GET', path: SUMMARY_PATH, headers });
    case 'no_database':
      return () => ({ method: 'GET', path: LIVENESS_PATH, headers: {} });
    case 'complete':
      return (index) => ({
        method: 'POST',
        path: `/api/v1/opportunities/${context.completeIds.next()}/complete_action`,
        headers: { ...headers, 'content-type': 'application/json' },
        body: completionBody(index),
      });
  }
}
