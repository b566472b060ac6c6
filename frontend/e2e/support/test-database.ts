import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

const LOCAL_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Cannot reach PostgreSQL at ${redact(url)} (${reason}). Start it, or set TEST_DATABASE_URL to a server ` +
        'on which the e2e run may create and drop a database.',
    );
  }
}

/** Runs `sql` on `url` with a short-lived connection. */
export async function runSql(url: string, sql: string, params: unknown[] = []): Promise<void> {
  const client = await connect(url);
  try {
    await client.query(sql, params);
  } finally {
    await client.end();
  }
}

/**
 * A brand-new database on TEST_DATABASE_URL (or the local server), set up like production with the scripts of
 * database/init/. The schema and the demo data come later, from the app's own seed command.
 */
export async function createTestDatabase(repoRoot: string): Promise<TestDatabase> {
  const serverUrl = process.env['TEST_DATABASE_URL'] || LOCAL_SERVER;
  const name = `nat_e2e_${process.pid}_${Date.now()}`;
  await runSql(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database: TestDatabase = {
    url: url.toString(),
    name,
    drop: () => runSql(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
  try {
    const initDir = join(repoRoot, 'database', 'init');
    for (const file of readdirSync(initDir)
      .filter((entry) => entry.endsWith('.sql'))
      .sort()) {
      await runSql(database.url, readFileSync(join(initDir, file), 'utf8'));
    }
    return database;
  } catch (error) {
    await database.drop();
    throw error;
  }
}
