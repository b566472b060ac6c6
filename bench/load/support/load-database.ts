import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Pool } from 'pg';

/** The PostgreSQL server the suites run against; only loopback, as the superuser with trust auth. */
export const DATABASE_SERVER = { host: '127.0.0.1', port: 5432, user: 'postgres' } as const;

const REPO_ROOT = join(__dirname, '..', '..', '..');

function urlOf(database: string, port: number = DATABASE_SERVER.port): string {
  return `postgres://${DATABASE_SERVER.user}@${DATABASE_SERVER.host}:${port}/${database}`;
}

async function asAdmin(sql: string): Promise<void> {
  const admin = new Client({ connectionString: urlOf('postgres') });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/**
 * A brand-new database for one suite, set up as production's is (the init script the PostgreSQL container runs),
 * with a direct superuser pool for fixtures and for reading back what the API wrote.
 */
export class LoadDatabase {
  readonly pool: Pool;

  private constructor(readonly name: string) {
    this.pool = new Pool({ connectionString: urlOf(name), max: 4 });
  }

  static async create(): Promise<LoadDatabase> {
    const name = `nat_load_${randomBytes(6).toString('hex')}`;
    await asAdmin(`CREATE DATABASE ${name}`);
    const database = new LoadDatabase(name);
    const settings = readFileSync(join(REPO_ROOT, 'database/init/01-database-settings.sql'), 'utf8');
    await database.pool.query(settings);
    return database;
  }

  /** The URL the API gets when it must reach this database through a proxy on `port`. */
  urlThrough(port: number): string {
    return urlOf(this.name, port);
  }

  async drop(): Promise<void> {
    await this.pool.end();
    await asAdmin(`DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`);
  }
}
