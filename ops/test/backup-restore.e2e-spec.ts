import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { Client } from 'pg';
import { APP_ROLE } from '../../backend/src/database/app-role';

/**
 * `make backup` and `make restore` as an operator runs them: the real Makefile targets and ops/*.sh, against
 * databases that NAT's own migrate and seed built, on the PostgreSQL server the e2e tests use
 * (TEST_DATABASE_URL, else 127.0.0.1:5432) and on PGlite folders opened by NAT's embedded-database code.
 */

const ROOT = resolve(__dirname, '../..');
const SERVER = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const RUN_ID = `${process.pid}_${Date.now()}`;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Settings an operator's shell might carry, none of which may leak into a test's make run. */
const INHERITED = [
  'DATABASE_URL',
  'DATABASE_URL_FILE',
  'DATABASE_PASSWORD',
  'DATABASE_PASSWORD_FILE',
  'COMPOSE',
  'COMPOSE_FILE',
  'EMBEDDED_DB_DIR',
  'BACKUP_DIR',
  'MAKEFLAGS',
  'MFLAGS',
];

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env, cwd = ROOT): Run {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 120_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function runOrThrow(command: string, args: string[], env?: NodeJS.ProcessEnv): string {
  const result = run(command, args, env);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`);
  return result.stdout;
}

/** `make <target> [VAR=value…]` from the repository root, with only the given settings. */
function make(target: string, settings: Record<string, string>, args: string[] = []): Run {
  const env = { ...process.env };
  for (const name of INHERITED) delete env[name];
  return run('make', ['-s', '--no-print-directory', target, ...args], { ...env, ...settings });
}

/** The messages of a run that must have succeeded; otherwise the test fails with them. */
function succeeded(result: Run): string {
  if (result.status !== 0) throw new Error(`exited with ${result.status}:\n${result.stderr}`);
  return result.stderr;
}

/** `make backup`, which must succeed and name the file it wrote on its last line. */
function backup(settings: Record<string, string>): string {
  const result = make('backup', settings);
  succeeded(result);
  return result.stdout.trim().split('\n').pop() ?? '';
}

function restore(file: string, settings: Record<string, string>): Run {
  return make('restore', settings, [`FILE=${file}`]);
}

function temporaryDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `nat-ops-${prefix}-`));
}

// --- PostgreSQL servers ------------------------------------------------------------------------------------

function databaseUrl(server: string, name: string, user?: string): string {
  const url = new URL(server);
  url.pathname = `/${name}`;
  if (user) url.username = user;
  return url.toString();
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function rowsOf<T>(url: string, sql: string, parameters: unknown[] = []): Promise<T[]> {
  return withClient(url, async (client) => (await client.query(sql, parameters)).rows as T[]);
}

async function createDatabase(name: string, { withSettings }: { withSettings: boolean }): Promise<string> {
  await withClient(SERVER, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = databaseUrl(SERVER, name);
  // Set up like a production database: the init scripts the PostgreSQL container runs on first start.
  if (withSettings) {
    for (const script of readdirSync(join(ROOT, 'database/init')).filter((file) => file.endsWith('.sql'))) {
      const sql = readFileSync(join(ROOT, 'database/init', script), 'utf8');
      await withClient(url, (client) => client.query(sql));
    }
  }
  return url;
}

async function dropDatabase(name: string): Promise<void> {
  await withClient(SERVER, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** What a restore must reproduce: every table's rows, the data's checksums and the security around it. */
interface Snapshot {
  rows: Record<string, number>;
  checksums: Record<string, string>;
  policies: string[];
  triggers: string[];
  functions: string[];
  grants: string[];
  settings: string[];
}

async function snapshot(url: string): Promise<Snapshot> {
  return withClient(url, async (client) => {
    const list = async (sql: string) =>
      (await client.query<{ item: string }>(sql, [APP_ROLE])).rows.map((row) => row.item);
    await client.query(`SET timezone = 'UTC'`);
    const rows: Record<string, number> = {};
    for (const table of await list(
      `SELECT tablename AS item FROM pg_tables WHERE schemaname = 'public' AND $1 <> '' ORDER BY 1`,
    )) {
      const result = await client.query<{ count: string }>(
        `SELECT count(*) FROM ${client.escapeIdentifier(table)}`,
      );
      rows[table] = Number(result.rows[0].count);
    }
    const checksums: Record<string, string> = {};
    for (const table of ['opportunities', 'opportunity_actions']) {
      const result = await client.query<{ md5: string }>(
        `SELECT md5(string_agg(t::text, E'\\n' ORDER BY t.tenant_id, t.id)) AS md5 FROM ${table} t`,
      );
      checksums[table] = result.rows[0].md5;
    }
    return {
      rows,
      checksums,
      policies: await list(
        `SELECT format('%s.%s %s %s', tablename, policyname, cmd, qual) AS item FROM pg_policies
          WHERE schemaname = 'public' AND $1 <> '' ORDER BY 1`,
      ),
      triggers: await list(
        `SELECT format('%s.%s', tgrelid::regclass, tgname) AS item FROM pg_trigger
          WHERE NOT tgisinternal AND $1 <> '' ORDER BY 1`,
      ),
      functions: await list(
        `SELECT format('%s %s', p.oid::regprocedure, p.prosecdef) AS item FROM pg_proc p
          WHERE p.pronamespace = 'public'::regnamespace AND $1 <> ''
            AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e') ORDER BY 1`,
      ),
      grants: await list(
        `SELECT format('%s %s', table_name, string_agg(privilege_type, ',' ORDER BY privilege_type)) AS item
           FROM information_schema.role_table_grants WHERE grantee = $1 GROUP BY table_name ORDER BY 1`,
      ),
      settings: await list(
        `SELECT unnest(setconfig) AS item FROM pg_db_role_setting
          WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
            AND setrole = 0 AND $1 <> '' ORDER BY 1`,
      ),
    };
  });
}

/** Opportunities visible to NAT's role with the tenant scoped as the API scopes it (SET LOCAL). */
async function visibleToApp(url: string, tenantId: string): Promise<number> {
  return withClient(url, async (client) => {
    await client.query('BEGIN');
    try {
      await client.query(`SELECT set_config('role', $1, true), set_config('app.tenant_id', $2, true)`, [
        APP_ROLE,
        tenantId,
      ]);
      const result = await client.query<{ count: string }>(`SELECT count(*) FROM opportunities`);
      return Number(result.rows[0].count);
    } finally {
      await client.query('ROLLBACK');
    }
  });
}

/** A day of use on top of the seed: completions with their history, sessions, invitations, audit, limits. */
const ACTIVITY = `
  WITH done AS (
    UPDATE opportunities o
       SET next_action_at = o.next_action_at + interval '7 days', version = o.version + 1, updated_at = now(),
           next_action_details = 'Send the revised proposal to the Zürich office ✓'
     WHERE (o.tenant_id, o.id) IN (
       SELECT tenant_id, id FROM opportunities WHERE next_action_at IS NOT NULL ORDER BY tenant_id, id LIMIT 3)
    RETURNING o.tenant_id, o.id, o.next_action_at)
  INSERT INTO opportunity_actions
    (tenant_id, opportunity_id, type, details, due_at, completed_at, occurred_at, notes, next_action_at)
  SELECT tenant_id, id, 'completed', 'Called the buyer', now() - interval '1 day', now(), now(),
         'Café meeting: terms agreed', next_action_at
    FROM done;
  INSERT INTO audit_events (tenant_id, actor_id, action, target_type, target_id, details)
  SELECT tenant_id, user_id, 'opportunity.completed', 'opportunity', 'demo', '{"note": "ü"}' FROM memberships;
  INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at)
  SELECT id, gen_random_uuid(), sha256(convert_to(email, 'UTF8')), now() + interval '30 days' FROM users;
  INSERT INTO invitations (tenant_id, token_hash, user_id, expires_at)
  SELECT tenant_id, sha256(convert_to(tenant_id || user_id::text, 'UTF8')), user_id, now() + interval '7 days'
    FROM memberships;
  INSERT INTO idempotency_keys
    (tenant_id, user_id, route, key, fingerprint, response_status, response_body, expires_at)
  SELECT tenant_id, user_id, 'POST /opportunities', 'retry-1', '\\x00ff'::bytea, 201, '{"id": "1"}',
         now() + interval '1 day'
    FROM memberships;
  INSERT INTO auth_events (event, email, ip) VALUES ('login_failed', 'nobody@example.test', '127.0.0.1');
  INSERT INTO rate_limits (key, points, expire) VALUES ('login:127.0.0.1', 3, 1900000000000);`;

/** Why the server tests cannot run here, if they cannot. */
function serverUnavailable(): string | undefined {
  for (const tool of ['pg_dump', 'pg_restore', 'psql']) {
    if (spawnSync(tool, ['--version']).status !== 0) return `${tool} is not installed`;
  }
  const probe = spawnSync('psql', ['-XAtq', '-c', 'SELECT 1', SERVER], { encoding: 'utf8', timeout: 10_000 });
  return probe.status === 0 ? undefined : `no PostgreSQL server answers at ${new URL(SERVER).host}`;
}

const unavailable = serverUnavailable();
if (unavailable && process.env.CI) throw new Error(`backup tests need a PostgreSQL server: ${unavailable}`);
if (unavailable) console.warn(`Skipping the PostgreSQL backup tests: ${unavailable}`);

/**
 * A second PostgreSQL cluster in a temporary folder, on a Unix socket only: "another server", which has never
 * heard of NAT's role. Its superuser is postgres; initdb refuses to run as root, so root runs it as postgres.
 */
interface Cluster {
  url(database: string, user: string): string;
  stop(): void;
}

function postgresBinDir(): string | undefined {
  const major = /(\d+)/.exec(runOrThrow('pg_restore', ['--version']))?.[1];
  const candidates = [`/usr/lib/postgresql/${major}/bin`, `/usr/pgsql-${major}/bin`];
  const onPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  if (onPath.status === 0) candidates.push(resolve(onPath.stdout.trim(), '..'));
  return candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
}

function startCluster(bin: string): Cluster {
  const dir = temporaryDir('cluster');
  const asRoot = process.getuid?.() === 0;
  const prefix = asRoot ? ['-u', 'postgres', '--'] : [];
  const command = (tool: string, args: string[]) =>
    asRoot ? runOrThrow('runuser', [...prefix, join(bin, tool), ...args]) : runOrThrow(join(bin, tool), args);
  if (asRoot) {
    const [uid, gid] = ['-u', '-g'].map((flag) => Number(runOrThrow('id', [flag, 'postgres'])));
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  command('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
    '--no-sync',
  ]);
  command('pg_ctl', [
    '-D',
    data,
    '-l',
    join(dir, 'log'),
    '-w',
    '-o',
    `-c listen_addresses= -k ${dir} -c fsync=off`,
    'start',
  ]);
  return {
    url: (database, user) => `postgresql://${user}@/${database}?host=${dir}`,
    stop() {
      command('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Stands in for `docker compose -f docker-compose.prod.yml exec -T db sh -c '…'`: checks the arguments, then runs
 * the command here with the container's environment (POSTGRES_USER, POSTGRES_DB) pointed at the test server.
 */
function fakeDocker(dir: string): string {
  const script = join(dir, 'docker');
  writeFileSync(
    script,
    `#!/usr/bin/env bash
set -euo pipefail
printf '%s\\n' "$*" >>"$FAKE_DOCKER_LOG"
if [[ $# -ne 9 || "$1 $2 $3 $4 $5 $6 $7 $8" != "compose -f docker-compose.prod.yml exec -T db sh -c" ]]; then
  echo "fake docker: unexpected arguments: $*" >&2
  exit 64
fi
POSTGRES_USER=$FAKE_POSTGRES_USER POSTGRES_DB=$FAKE_POSTGRES_DB exec sh -c "$9"
`,
    { mode: 0o755 },
  );
  return dir;
}

(unavailable ? describe.skip : describe)('make backup and make restore on a PostgreSQL server', () => {
  const names = { source: `nat_ops_${RUN_ID}_source`, restored: `nat_ops_${RUN_ID}_restored` };
  const extra: string[] = [];
  let sourceUrl: string;
  let backupDir: string;
  let dump: string;
  let before: Snapshot;

  beforeAll(async () => {
    sourceUrl = await createDatabase(names.source, { withSettings: true });
    const env = { ...process.env, DATABASE_URL: sourceUrl };
    runOrThrow('node', ['dist/backend/bin/migrate.js'], env);
    runOrThrow('node', ['dist/backend/bin/seed.js'], env);
    await withClient(sourceUrl, (client) => client.query(ACTIVITY));
    before = await snapshot(sourceUrl);
    backupDir = temporaryDir('backups');
    dump = backup({ DATABASE_URL: sourceUrl, BACKUP_DIR: backupDir });
  });

  afterAll(async () => {
    for (const name of [names.source, names.restored, ...extra]) await dropDatabase(name);
    rmSync(backupDir, { recursive: true, force: true });
  });

  it('writes a timestamped custom-format dump that only its owner can read', () => {
    expect(basename(dump)).toMatch(/^nat-\d{8}T\d{6}Z\.dump$/);
    expect(resolve(dump, '..')).toBe(resolve(backupDir));
    expect(readFileSync(dump).subarray(0, 5).toString()).toBe('PGDMP');
    expect(statSync(dump).mode & 0o077).toBe(0);
  });

  it('starts from a database where every table has rows, so the comparison below means something', () => {
    const empty = Object.entries(before.rows).filter(([, count]) => count === 0);
    expect(empty).toEqual([]);
    expect(before.rows.opportunity_actions).toBeGreaterThan(before.rows.opportunities);
  });

  it('restores into an empty database: the same rows in every table, the same checksums, policies and grants', async () => {
    const restoredUrl = await createDatabase(names.restored, { withSettings: false });
    const result = restore(dump, { DATABASE_URL: restoredUrl });
    expect(succeeded(result)).toContain('restored');
    expect(await snapshot(restoredUrl)).toEqual(before);
  });

  it('leaves a restored database that NAT can use: row-level security per tenant, and triggers that keep buckets', async () => {
    const restoredUrl = databaseUrl(SERVER, names.restored);
    const perTenant = await rowsOf<{ tenant_id: string; count: string }>(
      sourceUrl,
      `SELECT tenant_id, count(*) FROM opportunities GROUP BY tenant_id ORDER BY tenant_id`,
    );
    for (const { tenant_id, count } of perTenant) {
      expect({ tenant_id, visible: await visibleToApp(restoredUrl, tenant_id) }).toEqual({
        tenant_id,
        visible: Number(count),
      });
    }
    expect(await visibleToApp(restoredUrl, '')).toBe(0);

    const openDeals = `SELECT (SELECT count(*) FROM opportunities WHERE next_action_at IS NOT NULL)::int AS deals,
                              (SELECT sum(open_count) FROM pipeline_buckets)::int AS bucketed`;
    await withClient(restoredUrl, (client) =>
      client.query(`
        INSERT INTO opportunities (tenant_id, name, value, stage, next_action_at, next_action_details)
        SELECT id, 'After the restore', 10, 'Proposal', now() + interval '1 day', 'Call back' FROM tenants`),
    );
    const [counts] = await rowsOf<{ deals: number; bucketed: number }>(restoredUrl, openDeals);
    expect(counts.bucketed).toBe(counts.deals);
  });

  it('refuses to restore into a database that has tables, and leaves it as it was', async () => {
    const result = restore(dump, { DATABASE_URL: sourceUrl });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(
      /refusing to restore: DATABASE_URL is not empty, it has \d+ tables or views \(/,
    );
    expect(await snapshot(sourceUrl)).toEqual(before);
  });

  it('refuses a file that is not a backup', () => {
    const notABackup = join(backupDir, 'notes.txt');
    writeFileSync(notABackup, 'hello');
    const result = restore(notABackup, { DATABASE_URL: databaseUrl(SERVER, 'postgres') });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('neither a pg_dump custom-format file nor a tar.gz');
  });

  it('reads the database settings from files as NAT does (DATABASE_URL_FILE), and refuses both forms', () => {
    const secret = join(backupDir, 'database-url');
    writeFileSync(secret, `${sourceUrl}\n`, { mode: 0o600 });
    const fromFile = backup({ DATABASE_URL_FILE: secret, BACKUP_DIR: join(backupDir, 'from-file') });
    expect(readFileSync(fromFile).subarray(0, 5).toString()).toBe('PGDMP');

    const both = make('backup', {
      DATABASE_URL: sourceUrl,
      DATABASE_URL_FILE: secret,
      BACKUP_DIR: backupDir,
    });
    expect(both.status).not.toBe(0);
    expect(both.stderr).toContain('set DATABASE_URL or DATABASE_URL_FILE, not both');
  });

  it('backs up and restores inside the compose database container with COMPOSE=1', async () => {
    const composeTarget = `nat_ops_${RUN_ID}_compose`;
    extra.push(composeTarget);
    // The container created its database and ran database/init before the API ever started.
    await createDatabase(composeTarget, { withSettings: true });
    const server = new URL(SERVER);
    const bin = fakeDocker(temporaryDir('docker'));
    const log = join(bin, 'calls.log');
    const compose = (database: string) => ({
      COMPOSE: '1',
      BACKUP_DIR: join(backupDir, 'compose'),
      PATH: `${bin}:${process.env.PATH ?? ''}`,
      FAKE_DOCKER_LOG: log,
      FAKE_POSTGRES_USER: decodeURIComponent(server.username) || 'postgres',
      FAKE_POSTGRES_DB: database,
      PGHOST: server.hostname,
      PGPORT: server.port || '5432',
      PGPASSWORD: decodeURIComponent(server.password),
    });

    const composeDump = backup(compose(names.source));
    expect(basename(composeDump)).toMatch(/^nat-\d{8}T\d{6}Z\.dump$/);
    const result = restore(composeDump, compose(composeTarget));
    succeeded(result);

    expect(await snapshot(databaseUrl(SERVER, composeTarget))).toEqual(before);
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    expect(calls[0]).toBe(
      'compose -f docker-compose.prod.yml exec -T db sh -c exec pg_dump --format=custom -U "$POSTGRES_USER" -d "$POSTGRES_DB"',
    );
    expect(
      calls.every((call) => call.startsWith('compose -f docker-compose.prod.yml exec -T db sh -c ')),
    ).toBe(true);
    rmSync(bin, { recursive: true, force: true });
  });

  const bin = unavailable ? undefined : postgresBinDir();
  (bin ? it : it.skip)(
    "restores into another cluster that lacks NAT's role, as a database owner that is not a superuser",
    async () => {
      const cluster = startCluster(bin ?? '');
      try {
        const superuser = cluster.url('postgres', 'postgres');
        await withClient(superuser, async (client) => {
          // The shape of a managed server: NAT's login may create roles and bypass RLS, nothing more.
          await client.query(`CREATE ROLE nat_owner LOGIN CREATEROLE BYPASSRLS`);
          await client.query(`CREATE DATABASE nat OWNER nat_owner`);
        });
        expect(await rowsOf(superuser, `SELECT FROM pg_roles WHERE rolname = $1`, [APP_ROLE])).toHaveLength(
          0,
        );

        const target = cluster.url('nat', 'nat_owner');
        const result = restore(dump, { DATABASE_URL: target });
        expect(succeeded(result)).toContain(`created role ${APP_ROLE} (NOLOGIN)`);

        expect(await snapshot(target)).toEqual(before);
        // NAT's login is now a member of NAT's role: it can scope a transaction the way the API does.
        const [tenant] = await rowsOf<{ id: string; count: string }>(
          sourceUrl,
          `SELECT tenant_id AS id, count(*) FROM opportunities GROUP BY tenant_id ORDER BY tenant_id LIMIT 1`,
        );
        expect(await visibleToApp(target, tenant.id)).toBe(Number(tenant.count));
        expect(await visibleToApp(target, '')).toBe(0);
        const migrate = runOrThrow('node', ['dist/backend/bin/migrate.js'], {
          ...process.env,
          DATABASE_URL: target,
        });
        expect(migrate).toContain('schema is up to date');
      } finally {
        cluster.stop();
      }
    },
  );
});

// --- The embedded database (PGlite) --------------------------------------------------------------------------

interface Holder {
  rows: Record<string, unknown>[];
  stop(): Promise<void>;
  pid: number;
}

/** Opens a PGlite folder with NAT's own code in a separate process (its lock and all) and runs `sql` there. */
async function openEmbedded(dir: string, sql: string): Promise<Holder> {
  const child: ChildProcessWithoutNullStreams = spawn(
    'node',
    ['ops/test/support/embedded-database.js', dir, sql],
    { cwd: ROOT, stdio: 'pipe' },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', done));
  const line = await new Promise<string>((done, fail) => {
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('\n')) done(stdout.split('\n')[0]);
    });
    void exited.then((code) => fail(new Error(`embedded database exited (${code}): ${stderr}`)));
  });
  const { rows } = JSON.parse(line) as { rows: Record<string, unknown>[] };
  return {
    rows,
    pid: child.pid ?? 0,
    async stop() {
      child.stdin.end();
      expect(await exited).toBe(0);
    },
  };
}

describe('make backup and make restore on the embedded database', () => {
  let work: string;
  const PROBE = `SELECT id, note FROM ops_probe ORDER BY id`;

  beforeAll(() => {
    work = temporaryDir('embedded');
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('refuses to back up the folder while NAT has it open, then copies it once NAT has stopped', async () => {
    const data = join(work, 'data');
    const backups = join(work, 'backups');
    const holder = await openEmbedded(
      data,
      `CREATE TABLE ops_probe (id int PRIMARY KEY, note text);
       INSERT INTO ops_probe VALUES (1, 'Zürich ✓'), (2, NULL);
       ${PROBE}`,
    );
    writeFileSync(join(data, 'jwt-secret'), 'the key NAT generated\n');

    const refused = make('backup', { EMBEDDED_DB_DIR: data, BACKUP_DIR: backups });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain(`is in use by process ${holder.pid} (is NAT running?)`);
    expect(existsSync(backups) ? readdirSync(backups) : []).toEqual([]);
    expect(readFileSync(join(data, 'nat.pid'), 'utf8')).toBe(String(holder.pid));

    await holder.stop();
    const archive = backup({ EMBEDDED_DB_DIR: data, BACKUP_DIR: backups });
    expect(basename(archive)).toMatch(/^nat-embedded-\d{8}T\d{6}Z\.tar\.gz$/);
    expect(statSync(archive).mode & 0o077).toBe(0);
    const entries = runOrThrow('tar', ['-tzf', archive]).split('\n');
    expect(entries).toEqual(expect.arrayContaining(['./pgdata/PG_VERSION', './jwt-secret']));
    expect(entries).not.toContain('./nat.pid');
    expect(existsSync(join(data, 'nat.pid'))).toBe(false);

    const restoredDir = join(work, 'restored');
    const restored = restore(archive, { EMBEDDED_DB_DIR: restoredDir });
    succeeded(restored);
    expect(readFileSync(join(restoredDir, 'jwt-secret'), 'utf8')).toBe('the key NAT generated\n');
    const reopened = await openEmbedded(restoredDir, PROBE);
    expect(reopened.rows).toEqual(holder.rows);
    expect(reopened.rows).toEqual([
      { id: 1, note: 'Zürich ✓' },
      { id: 2, note: null },
    ]);
    await reopened.stop();

    const again = restore(archive, { EMBEDDED_DB_DIR: restoredDir });
    expect(again.status).not.toBe(0);
    expect(again.stderr).toContain(`refusing to restore: ${restoredDir} is not empty`);
  });

  it('refuses to restore an embedded backup into a PostgreSQL server, and says why', () => {
    const folder = join(work, 'not-a-database');
    mkdirSync(join(folder, 'pgdata'), { recursive: true });
    writeFileSync(join(folder, 'pgdata', 'PG_VERSION'), '17\n');
    const archive = join(work, 'nat-embedded-20260101T000000Z.tar.gz');
    runOrThrow('tar', ['-C', folder, '-czf', archive, '.']);
    const result = restore(archive, { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('is a backup of the embedded database: unset DATABASE_URL and COMPOSE');
  });
});
