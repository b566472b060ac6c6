import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';

export interface TestDatabase {
  url: string;
  /** Drops the database (server) or removes the folder (embedded). */
  dispose(): Promise<void>;
  kind: string;
}

const LOCAL_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';

async function reachable(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function createOnServer(serverUrl: string): Promise<TestDatabase> {
  const name = `nat_test_${process.pid}_${Date.now()}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  // Set up like a production server: the same init script the PostgreSQL container runs.
  const database = new Client({ connectionString: url.toString() });
  await database.connect();
  await database.query(
    readFileSync(join(__dirname, '../../../database/init/01-database-settings.sql'), 'utf8'),
  );
  await database.end();
  return {
    url: url.toString(),
    kind: `PostgreSQL server ${url.host}, database ${name}`,
    async dispose() {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/**
 * TEST_DATABASE_URL when set, else the local server when reachable, else an embedded PGlite in a fresh folder
 * (TEST_DATABASE=embedded asks for PGlite even when a server answers). Always a brand-new database, dropped
 * afterwards.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const configured = process.env.TEST_DATABASE_URL;
  const embeddedOnly = process.env.TEST_DATABASE === 'embedded';
  if (configured && !embeddedOnly) return createOnServer(configured);
  if (!embeddedOnly && (await reachable(LOCAL_SERVER))) return createOnServer(LOCAL_SERVER);
  const dir = mkdtempSync(join(tmpdir(), 'nat-test-'));
  const embedded = await startEmbeddedPostgres(dir);
  return {
    url: embedded.url,
    kind: `embedded PGlite in ${dir}`,
    async dispose() {
      await embedded.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
