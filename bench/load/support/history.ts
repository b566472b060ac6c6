import type { Pool } from 'pg';
import type { SentRequest } from './load-mix';

interface CompletionEventRow {
  tenant_id: string;
  opportunity_id: string;
  notes: string | null;
  count: number;
}

/** Differences between what the API acknowledged and what the timeline holds; all empty when they agree. */
export interface HistoryCheck {
  /** Acknowledged with 200 but not in the history: a user was told it was saved, and it was not. */
  lost: string[];
  /** In the history more than once: one click, two completions. */
  doubled: string[];
  /** In the history on another tenant's or another deal than the one completed. */
  misplaced: string[];
  /** In the history although the client never got a 200 for it. */
  unacknowledged: string[];
  /** Completion events in the history and 200s acknowledged, which must be equal. */
  eventCount: number;
  acknowledgedCount: number;
}

/**
 * Compares the completions acknowledged with 200 (each with a unique token in its notes) with the
 * `completed` events of the timeline (opportunity_actions), read directly as the superuser.
 */
export async function checkHistory(
  pool: Pool,
  tenants: string[],
  acknowledged: SentRequest[],
): Promise<HistoryCheck> {
  const { rows } = await pool.query<CompletionEventRow>(
    `SELECT tenant_id, opportunity_id::text AS opportunity_id, notes, count(*)::int AS count
     FROM opportunity_actions
     WHERE type = 'completed' AND tenant_id = ANY($1)
     GROUP BY tenant_id, opportunity_id, notes`,
    [tenants],
  );
  const byNote = new Map<string, CompletionEventRow[]>();
  for (const row of rows) byNote.set(row.notes ?? '', [...(byNote.get(row.notes ?? '') ?? []), row]);
  const check: HistoryCheck = {
    lost: [],
    doubled: [],
    misplaced: [],
    unacknowledged: [],
    eventCount: rows.reduce((sum, row) => sum + row.count, 0),
    acknowledgedCount: acknowledged.length,
  };
  const acknowledgedNotes = new Set<string>();
  for (const entry of acknowledged) {
    const note = entry.body?.notes ?? '';
    acknowledgedNotes.add(note);
    const events = byNote.get(note) ?? [];
    const count = events.reduce((sum, row) => sum + row.count, 0);
    if (count === 0) check.lost.push(note);
    if (count > 1) check.doubled.push(`${note} (${count} times)`);
    if (
      events.some(
        (row) => row.tenant_id !== entry.user.tenantId || row.opportunity_id !== entry.opportunityId,
      )
    ) {
      check.misplaced.push(note);
    }
  }
  for (const note of byNote.keys()) if (!acknowledgedNotes.has(note)) check.unacknowledged.push(note);
  return check;
}

/** What a passing check looks like, for `expect(check).toEqual(…)`: failures then show the offending notes. */
export function consistentHistory(acknowledgedCount: number): HistoryCheck {
  return {
    lost: [],
    doubled: [],
    misplaced: [],
    unacknowledged: [],
    eventCount: acknowledgedCount,
    acknowledgedCount,
  };
}
