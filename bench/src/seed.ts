import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import type { Client } from 'pg';
import {
  BENCH_PASSWORD,
  BIG_TENANT,
  BIG_TENANT_REPS,
  SMALL_TENANT_COUNT,
  SMALL_TENANT_REPS,
  SPREAD_DAYS,
  seedCounts,
  smallTenantId,
  type SeedCounts,
} from './bench-data';
import type { BenchConfig } from './config';
import { databaseExists, ensureDatabase, withClient } from './database';
import { secondsSince } from './elapsed';

export interface SeedResult {
  reused: boolean;
  /** Wall time of the whole seed (database creation, migrations, rows, indexes, VACUUM ANALYZE); 0 when reused. */
  seconds: number;
  steps: Record<string, number>;
  counts: SeedCounts;
}

interface PasswordsModule {
  hashPassword(password: string): Promise<string>;
}

const OPEN_STAGES = `ARRAY['Prospecting', 'Qualification', 'Proposal', 'Negotiation']`;

/**
 * Seeds the benchmark database unless it already holds the data set of this scale (bench_meta says so, and
 * is written last, so an interrupted seed is never reused). BENCH_RESEED=1 starts from an empty database.
 */
export async function prepareBenchDatabase(config: BenchConfig): Promise<SeedResult> {
  const counts = seedCounts(config.scale);
  const url = config.databaseUrl;
  if (!config.reseed && (await databaseExists(url)) && (await seededScale(url)) === config.scale) {
    // New migrations from the lead's branch still apply to a reused data set.
    await migrate(config);
    return { reused: true, seconds: 0, steps: {}, counts };
  }

  const steps: Record<string, number> = {};
  const timed = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await work();
    steps[step] = secondsSince(started);
    console.log(`  seed: ${step} ${steps[step]} s`);
    return result;
  };
  const started = performance.now();
  await timed('create database', () => ensureDatabase(url, { fresh: true }));
  await timed('migrations', () => migrate(config));
  const passwordHash = await timed('password hash', () => hashBenchPassword(config.root));
  await withTwoClients(url, async (first, second) => {
    await timed('tenants and users', () => insertTenantsAndUsers(first, passwordHash));
    const dropped = await dropIndexesAndForeignKeys(first);
    // The 1M tenant and the 99 small ones are about the same size: one connection each, one per core.
    await timed('opportunities and history', () =>
      Promise.all([
        insertOpportunities(first, 'm.tenant_id = $1', [BIG_TENANT, counts.bigTenant]),
        insertOpportunities(second, 'm.tenant_id <> $1', [BIG_TENANT, counts.perSmallTenant]),
      ]),
    );
    await timed('indexes and foreign keys', () => restoreIndexesAndForeignKeys([first, second], dropped));
    await timed('vacuum analyze', () => first.query('VACUUM ANALYZE'));
    const seconds = secondsSince(started);
    await recordSeed(first, config.scale, counts, seconds);
  });
  return { reused: false, seconds: secondsSince(started), steps, counts };
}

async function seededScale(url: string): Promise<number | undefined> {
  return withClient(url, async (client) => {
    const { rows: table } = await client.query<{ exists: boolean }>(
      `SELECT to_regclass('bench_meta') IS NOT NULL AS exists`,
    );
    if (!table[0].exists) return undefined;
    const { rows } = await client.query<{ scale: string }>('SELECT scale FROM bench_meta');
    return rows.length === 1 ? Number(rows[0].scale) : undefined;
  });
}

async function migrate(config: BenchConfig): Promise<void> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [join(config.root, 'dist', 'backend', 'bin', 'migrate.js')],
    { env: { ...process.env, DATABASE_URL: config.databaseUrl, NODE_ENV: 'production' } },
  );
  console.log(`  migrate: ${stdout.trim()}`);
}

/** The backend's own recipe (argon2id), computed once: hashing 600 users one by one would take seconds. */
async function hashBenchPassword(root: string): Promise<string> {
  const passwords = (await import(join(root, 'dist', 'backend', 'auth', 'passwords.js'))) as PasswordsModule;
  return passwords.hashPassword(BENCH_PASSWORD);
}

async function withTwoClients(
  url: string,
  work: (first: Client, second: Client) => Promise<void>,
): Promise<void> {
  await withClient(url, (first) => withClient(url, (second) => work(first, second)));
}

/** One manager and a few reps per tenant; the 1M tenant is bench-big, the others bench-001 … bench-099. */
async function insertTenantsAndUsers(client: Client, passwordHash: string): Promise<void> {
  const smallIds = Array.from({ length: SMALL_TENANT_COUNT }, (_, index) => smallTenantId(index + 1));
  await client.query(
    `INSERT INTO tenants (id, name, timezone, currency)
     SELECT id, 'Bench ' || id,
            (ARRAY['America/New_York', 'Europe/Berlin', 'Asia/Tokyo', 'UTC'])[1 + (ordinality % 4)::int], 'USD'
       FROM unnest($1::text[]) WITH ORDINALITY AS t (id, ordinality)`,
    [[BIG_TENANT, ...smallIds]],
  );
  await client.query(
    `INSERT INTO users (email, name, timezone, password_hash, password_changed_at)
     SELECT 'manager@' || t.id || '.bench.test', 'Manager of ' || t.id, t.timezone, $1, now()
       FROM tenants t
     UNION ALL
     SELECT 'rep' || k || '@' || t.id || '.bench.test', 'Rep ' || k || ' of ' || t.id, t.timezone, $1, now()
       FROM tenants t
      CROSS JOIN LATERAL generate_series(1, CASE WHEN t.id = $2 THEN $3::int ELSE $4::int END) AS k`,
    [passwordHash, BIG_TENANT, BIG_TENANT_REPS, SMALL_TENANT_REPS],
  );
  await client.query(
    `INSERT INTO memberships (tenant_id, user_id, role)
     SELECT t.id, u.id, CASE WHEN u.email LIKE 'manager@%' THEN 'manager' ELSE 'rep' END
       FROM tenants t JOIN users u ON split_part(u.email, '@', 2) = t.id || '.bench.test'`,
  );
}

/** An index or constraint as the catalog defines it, to drop before the load and create again after it. */
interface Definition {
  name: string;
  table: string;
  definition: string;
}

const LOADED_TABLES = `ARRAY['opportunities'::regclass, 'opportunity_actions'::regclass]`;

/**
 * The bulk-load recipe pg_restore follows: load the rows without secondary indexes and foreign keys, then build
 * each index in one pass and validate each foreign key with one join, instead of maintaining them row by row
 * (the trigram GIN index and 6M foreign-key lookups above all). Definitions come from the catalog, so whatever
 * the migrations create is restored exactly. Primary keys stay (foreign keys need them), and so do the
 * migrations' own triggers: they keep derived data (e.g. pipeline buckets) right.
 */
async function dropIndexesAndForeignKeys(
  client: Client,
): Promise<{ indexes: Definition[]; foreignKeys: Definition[] }> {
  const { rows: foreignKeys } = await client.query<Definition>(
    `SELECT conname AS name, conrelid::regclass::text AS "table", pg_get_constraintdef(oid) AS definition
       FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY (${LOADED_TABLES})`,
  );
  const { rows: indexes } = await client.query<Definition>(
    `SELECT i.indexrelid::regclass::text AS name, i.indrelid::regclass::text AS "table",
            pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i
      WHERE i.indrelid = ANY (${LOADED_TABLES})
        AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
  );
  for (const key of foreignKeys) await client.query(`ALTER TABLE ${key.table} DROP CONSTRAINT ${key.name}`);
  for (const index of indexes) await client.query(`DROP INDEX ${index.name}`);
  return { indexes, foreignKeys };
}

/** Indexes first, two at a time (one per core); then the foreign keys, each validated by one query. */
async function restoreIndexesAndForeignKeys(
  clients: Client[],
  { indexes, foreignKeys }: { indexes: Definition[]; foreignKeys: Definition[] },
): Promise<void> {
  const queue = [...indexes];
  await Promise.all(
    clients.map(async (client) => {
      await client.query(`SET maintenance_work_mem = '512MB'`);
      for (let index = queue.shift(); index; index = queue.shift()) await client.query(index.definition);
    }),
  );
  for (const key of foreignKeys) {
    await clients[0].query(`ALTER TABLE ${key.table} ADD CONSTRAINT ${key.name} ${key.definition}`);
  }
}

/**
 * The deals of the tenants matching `tenantFilter` ($1), `$2` each, spread over the tenant's reps and over
 * ±SPREAD_DAYS around now, each with the `created` event its timeline starts with, in one statement.
 */
async function insertOpportunities(
  client: Client,
  tenantFilter: string,
  parameters: [string, number],
): Promise<void> {
  await client.query(
    `WITH reps AS (
       SELECT m.tenant_id, array_agg(m.user_id ORDER BY m.user_id) AS ids
         FROM memberships m
        WHERE m.role = 'rep' AND ${tenantFilter}
        GROUP BY m.tenant_id
     ), created AS (
       INSERT INTO opportunities (tenant_id, name, value, stage, owner_id, next_action_at, next_action_details,
                                  created_at, updated_at)
       SELECT r.tenant_id, 'Deal ' || i, round((random() * 100000)::numeric, 2),
              (${OPEN_STAGES})[1 + i % 4], r.ids[1 + i % cardinality(r.ids)],
              now() + (random() * 2 - 1) * interval '${SPREAD_DAYS} days', 'Follow up on deal ' || i,
              now() - interval '${SPREAD_DAYS + 10} days', now() - interval '${SPREAD_DAYS + 10} days'
         FROM reps r CROSS JOIN LATERAL generate_series(1, $2::int) AS i
       RETURNING tenant_id, id, stage, next_action_at, next_action_details, created_at
     )
     INSERT INTO opportunity_actions (tenant_id, opportunity_id, type, occurred_at, details, next_action_at, to_stage)
     SELECT tenant_id, id, 'created', created_at, next_action_details, next_action_at, stage FROM created`,
    parameters,
  );
}

async function recordSeed(client: Client, scale: number, counts: SeedCounts, seconds: number): Promise<void> {
  await client.query(
    `CREATE TABLE bench_meta (scale numeric NOT NULL, opportunities bigint NOT NULL, seed_seconds numeric NOT NULL,
                              seeded_at timestamptz NOT NULL DEFAULT now())`,
  );
  await client.query(`INSERT INTO bench_meta (scale, opportunities, seed_seconds) VALUES ($1, $2, $3)`, [
    scale,
    counts.total,
    seconds,
  ]);
}
