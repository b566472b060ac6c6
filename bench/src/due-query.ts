/**
 * The API's due-page statements, as captured from PostgreSQL while the API sends them (sql-capture.ts), and
 * how to bind them outside the API: the baseline server and the EXPLAIN run exactly the same text.
 */
export interface DueStatements {
  first: string;
  later: string;
}

/** The API's default page size; it fetches one row more to know whether a next page exists. */
export const DUE_PAGE_SIZE = 100;

export interface DueCursor {
  at: string;
  id: string;
}

export interface DueBinding {
  tenantId: string;
  now: Date;
  timezone: string;
  cursor?: DueCursor;
}

/** The highest `$n` of a statement: how many parameters it takes. */
function parameterCount(sql: string): number {
  return Math.max(0, ...[...sql.matchAll(/\$(\d+)/g)].map((match) => Number(match[1])));
}

/**
 * The values in the order the API binds them (OpportunitiesRepository.findDue): tenant, now, the tenant's time
 * zone, the cursor's position on a later page, and the page size + 1 when the limit is a parameter too. If the
 * repository ever binds in another order, the bench's check that the baseline answers the same ids fails.
 */
export function dueParameters(sql: string, binding: DueBinding): unknown[] {
  const values: unknown[] = [binding.tenantId, binding.now, binding.timezone];
  if (binding.cursor) values.push(binding.cursor.at, binding.cursor.id);
  values.push(DUE_PAGE_SIZE + 1);
  return values.slice(0, parameterCount(sql));
}

/** The API's opaque cursor: base64url of `{ o: 'due', v: <next_action_at ISO>, id }` (common/paging/cursor.ts). */
export function encodeDueCursor(cursor: DueCursor): string {
  return Buffer.from(JSON.stringify({ o: 'due', v: cursor.at, id: cursor.id })).toString('base64url');
}

export function decodeDueCursor(text: string): DueCursor {
  const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { v?: unknown; id?: unknown };
  if (typeof parsed.v !== 'string' || typeof parsed.id !== 'string') throw new Error('malformed cursor');
  return { at: parsed.v, id: parsed.id };
}

/** The captured statements travel to the baseline process in its environment. */
export const DUE_SQL_ENV = { first: 'BASELINE_DUE_SQL_FIRST', later: 'BASELINE_DUE_SQL_LATER' } as const;
