import { setTimeout as sleep } from 'node:timers/promises';
import { withClient } from './database';

const CAPTURE_TIMEOUT_MS = 15_000;

/**
 * The exact text of the statement the API sends for one request, read from pg_stat_activity while the
 * statement waits: the bench holds an ACCESS EXCLUSIVE lock on `table` (in the bench database only), sends
 * the request, and reads the waiting statement of the API's connection before releasing the lock. No log
 * file or extension needed, and the baseline and the EXPLAIN run whatever the API runs today.
 */
export async function captureStatement(
  databaseUrl: string,
  table: string,
  send: () => Promise<Response>,
): Promise<string> {
  return withClient(databaseUrl, (locker) =>
    withClient(databaseUrl, async (observer) => {
      await locker.query('BEGIN');
      let answer: Promise<Response> | undefined;
      let statement: string;
      try {
        await locker.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
        answer = send();
        // Keeps a failed request from going unhandled while we wait; it is awaited (and reported) below.
        answer.catch(() => undefined);
        statement = await waitingStatement(observer, table, answer);
      } finally {
        await locker.query('ROLLBACK');
      }
      const response = await answer;
      if (response.status !== 200) {
        throw new Error(`The request captured answered ${response.status}: ${await response.text()}`);
      }
      return statement;
    }),
  );
}

/** pg_stat_activity keeps the first track_activity_query_size bytes of a statement: refuse a truncated one. */
async function complete(observer: Queryable, text: string): Promise<string> {
  const { rows } = await observer.query(`SELECT current_setting('track_activity_query_size') AS query`, []);
  const limit = parseSize(rows[0].query);
  if (Buffer.byteLength(text) >= limit - 1) {
    throw new Error(
      `The API's statement is longer than track_activity_query_size (${limit} bytes): raise it`,
    );
  }
  return text;
}

function parseSize(setting: string): number {
  const match = /^(\d+)\s*(kB|MB)?$/.exec(setting.trim());
  if (!match) return 1024;
  return Number(match[1]) * (match[2] === 'kB' ? 1024 : match[2] === 'MB' ? 1024 * 1024 : 1);
}

interface Queryable {
  query: (sql: string, values: unknown[]) => Promise<{ rows: { query: string }[] }>;
}

async function waitingStatement(
  observer: Queryable,
  table: string,
  answer: Promise<Response>,
): Promise<string> {
  let settled = false;
  void answer.then(
    () => (settled = true),
    () => (settled = true),
  );
  const deadline = Date.now() + CAPTURE_TIMEOUT_MS;
  while (Date.now() < deadline && !settled) {
    const { rows } = await observer.query(
      `SELECT query FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ~* $1`,
      [`\\mfrom\\s+"?${table}"?\\M`],
    );
    if (rows.length > 0) return complete(observer, rows[0].query);
    await sleep(10);
  }
  throw new Error(
    `No statement on ${table} waited within ${CAPTURE_TIMEOUT_MS} ms: cannot capture the API's SQL`,
  );
}
