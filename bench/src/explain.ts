import type { Client } from 'pg';
import { DUE_PAGE_SIZE, dueParameters, type DueCursor } from './due-query';

const APP_ROLE = 'nat_app';
const DUE_INDEX = 'opportunities_due_idx';

export interface PlanCheck {
  page: string;
  pass: boolean;
  reasons: string[];
  /** Rows the scan of the due index produced, and the buffers the whole statement touched. */
  scannedRows: number;
  sharedBuffers: number;
  executionMs: number;
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

interface JsonExplain {
  Plan: PlanNode;
  'Execution Time': number;
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the API's due query, in a transaction scoped as the API scopes its own
 * (role nat_app, app.tenant_id and app.user_id set locally), so the row-level security policies are part of
 * the plan. Rolled back: ANALYZE runs the query, and nothing of it should stay.
 */
export async function explainDueQuery(
  client: Client,
  sql: string,
  scope: { tenantId: string; userId: string; timezone: string },
  cursor: DueCursor | undefined,
): Promise<{ text: string; check: PlanCheck }> {
  const parameters = dueParameters(sql, { ...scope, now: new Date(), cursor });
  await client.query('BEGIN');
  try {
    await client.query(
      `SELECT set_config('role', $1, true), set_config('app.tenant_id', $2, true), set_config('app.user_id', $3, true)`,
      [APP_ROLE, scope.tenantId, scope.userId],
    );
    const { rows: textRows } = await client.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, BUFFERS) ${sql}`,
      parameters,
    );
    const { rows: jsonRows } = await client.query<{ 'QUERY PLAN': JsonExplain[] }>(
      `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`,
      parameters,
    );
    const page = cursor ? 'later page' : 'first page';
    const text = [`-- ${page}`, sql, `-- parameters: ${JSON.stringify(parameters)}`, '']
      .concat(textRows.map((row) => row['QUERY PLAN']))
      .join('\n');
    return { text, check: checkPlan(page, jsonRows[0]['QUERY PLAN'][0]) };
  } finally {
    await client.query('ROLLBACK');
  }
}

function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)];
}

/** A keyset page is an index range scan that stops after the page: no Seq Scan, no Sort over the tenant. */
function checkPlan(page: string, explain: JsonExplain): PlanCheck {
  const nodes = nodesOf(explain.Plan);
  const reasons: string[] = [];
  const types = nodes.map((node) => node['Node Type']);
  if (types.includes('Seq Scan')) reasons.push('has a Seq Scan');
  if (types.some((type) => type.includes('Sort'))) reasons.push('sorts');
  const scan = nodes.find(
    (node) => node['Index Name'] === DUE_INDEX && node['Node Type'].startsWith('Index'),
  );
  if (!scan) reasons.push(`does not scan ${DUE_INDEX}`);
  const scannedRows = scan ? (scan['Actual Rows'] ?? 0) * (scan['Actual Loops'] ?? 1) : 0;
  const removed = scan?.['Rows Removed by Filter'] ?? 0;
  if (scannedRows + removed > DUE_PAGE_SIZE + 1) {
    reasons.push(`reads ${scannedRows + removed} rows for a page of ${DUE_PAGE_SIZE}`);
  }
  const root = explain.Plan;
  return {
    page,
    pass: reasons.length === 0,
    reasons,
    scannedRows,
    sharedBuffers: (root['Shared Hit Blocks'] ?? 0) + (root['Shared Read Blocks'] ?? 0),
    executionMs: explain['Execution Time'],
  };
}
