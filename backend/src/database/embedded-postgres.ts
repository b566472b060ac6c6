import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StartupError } from '../common/startup-error';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

const LOCK_FILE = 'nat.pid';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** PGlite is one process's database: a second process opening the same folder would corrupt it. */
function lockDataDir(dir: string): () => void {
  const lockPath = join(dir, LOCK_FILE);
  try {
    const holder = Number(readFileSync(lockPath, 'utf8'));
    if (holder && holder !== process.pid && isRunning(holder)) {
      throw new StartupError(
        `The embedded database in ${dir} is in use by process ${holder} (is NAT running?). ` +
          'Stop it first, or set DATABASE_URL to use a PostgreSQL server.',
      );
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const fd = openSync(lockPath, 'w');
  writeSync(fd, String(process.pid));
  closeSync(fd);
  return () => rmSync(lockPath, { force: true });
}

export interface DatabaseTarget {
  url: string;
  /** For logs: which database this is, never the URL (it may hold a password). */
  label: string;
  embedded?: EmbeddedPostgres;
}

/** DATABASE_URL when set; otherwise the embedded database in `embeddedDir`, started here. */
export async function openDatabaseTarget(
  databaseUrl: string | undefined,
  embeddedDir: string,
): Promise<DatabaseTarget> {
  if (databaseUrl) return { url: databaseUrl, label: 'DATABASE_URL' };
  const embedded = await startEmbeddedPostgres(embeddedDir);
  return { url: embedded.url, label: `embedded PostgreSQL in ${embeddedDir}`, embedded };
}

/**
 * PostgreSQL compiled to WebAssembly (PGlite), persisted in `dir` and exposed on a loopback port through the
 * wire protocol, so the application talks to it with `pg`/TypeORM exactly as to a server.
 */
export async function startEmbeddedPostgres(dir: string): Promise<EmbeddedPostgres> {
  const dataDir = resolve(dir);
  const pgDir = join(dataDir, 'pgdata');
  mkdirSync(dataDir, { recursive: true });
  // Loaded here, not with this module: an API on DATABASE_URL never needs PGlite, and its code is ~5 MB of heap.
  const [{ PGlite }, { pg_trgm }, { PGLiteSocketServer }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('@electric-sql/pglite-socket'),
  ]);
  const unlock = lockDataDir(dataDir);
  // pg_trgm serves the opportunity search, as it does on a PostgreSQL server.
  const db = await PGlite.create(pgDir, { extensions: { pg_trgm } });
  // PGlite runs one session; the socket server multiplexes connections onto it. Size it above every pool.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 32 });
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
      unlock();
    },
  };
}
