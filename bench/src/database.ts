import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { secondsSince } from './elapsed';

/** Runs `work` with one connection to `url`, closed afterwards whatever happens. */
export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The same server's maintenance database: CREATE and DROP DATABASE cannot run inside the target itself. */
function maintenanceUrl(url: string): string {
  const parsed = new URL(url);
  parsed.pathname = '/postgres';
  return parsed.toString();
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export async function databaseExists(url: string): Promise<boolean> {
  return withClient(maintenanceUrl(url), async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      databaseName(url),
    ]);
    return rowCount === 1;
  });
}

/** Drops the database (ending its sessions) when `fresh`, and creates it when missing. */
export async function ensureDatabase(url: string, { fresh }: { fresh: boolean }): Promise<void> {
  const name = quoteIdentifier(databaseName(url));
  await withClient(maintenanceUrl(url), async (client) => {
    if (fresh) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      databaseName(url),
    ]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${name}`);
  });
}

/** Asked of the maintenance database: the bench database may not exist yet. */
export async function serverVersion(url: string): Promise<string> {
  return withClient(maintenanceUrl(url), async (client) => {
    const { rows } = await client.query<{ version: string }>('SELECT version()');
    return rows[0].version;
  });
}

/** What settleDatabase() did, for the report. */
export interface SettleReport {
  vacuumSeconds: number;
  /** Undefined when the role may not checkpoint (neither superuser nor pg_checkpoint). */
  checkpointSeconds?: number;
  /** The server's own autovacuum setting: off on some machines, this one among them. */
  autovacuum: boolean;
}

/**
 * What autovacuum and the checkpointer would have caught up on after a burst of writes: VACUUM (ANALYZE), so the
 * next runs' scans do not wade through the last runs' dead rows, and a CHECKPOINT, so the next runs do not start
 * while the last runs' dirty pages are still being written out. The bench does not rely on autovacuum: a server
 * can have it off (this machine's does). It cannot keep the disk itself out of the figures: with statement
 * logging on, a slow paced run of completions showed every backend waiting on COMMIT at once, no lock involved.
 */
export async function settleDatabase(client: Client): Promise<SettleReport> {
  const { rows } = await client.query<{ autovacuum: string }>(
    `SELECT current_setting('autovacuum') AS autovacuum`,
  );
  const started = performance.now();
  await client.query('VACUUM (ANALYZE)');
  const vacuumSeconds = secondsSince(started);
  const checkpointStarted = performance.now();
  const checkpointed = await client.query('CHECKPOINT').then(
    () => true,
    (error: { code?: string }) => {
      // 42501: insufficient privilege. Anything else is a real failure.
      if (error.code !== '42501') throw error;
      return false;
    },
  );
  return {
    vacuumSeconds,
    checkpointSeconds: checkpointed ? secondsSince(checkpointStarted) : undefined,
    autovacuum: rows[0].autovacuum === 'on',
  };
}
