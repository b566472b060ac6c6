import { Client } from 'pg';

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
