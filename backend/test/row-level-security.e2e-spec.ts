import { Client } from 'pg';
import type { QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/app-role';
import { apiFor, created } from './support/api';
import { createTestApp, type TestApp, type TestUser } from './support/test-app';

const NOW = '2026-07-15T12:00:00.000Z';

/** What a row-level security policy must read: an unset setting is NULL, which matches no row. */
const TENANT_SETTING = `NULLIF(current_setting('app.tenant_id'::text, true), ''::text)`;

describe('row-level security: the database alone keeps tenants apart', () => {
  let t: TestApp;
  let tenantA: string;
  let tenantB: string;
  let userA: TestUser;
  let userB: TestUser;

  beforeAll(async () => {
    t = await createTestApp(NOW);
    tenantA = await t.createTenant({ name: 'RLS Team A' });
    tenantB = await t.createTenant({ name: 'RLS Team B' });
    userA = t.ownerOf(tenantA);
    userB = t.ownerOf(tenantB);
    for (const [tenant, name] of [
      [tenantA, 'Alpha deal'],
      [tenantA, 'Alpha second deal'],
      [tenantB, 'Bravo deal'],
    ]) {
      const opportunity = await created(apiFor(t, tenant), { name });
      await apiFor(t, tenant)
        .complete(opportunity.id, {
          new_next_action_at: '2026-07-20T09:00:00Z',
          new_next_action_details: 'Next step',
        })
        .expect(200);
    }
  });
  afterAll(() => t.close());

  /**
   * Runs `work` as the application role, in a transaction that is rolled back, with the settings the API
   * would set (or none), through raw SQL that names no tenant: only PostgreSQL's policies filter.
   */
  async function asApp<T>(
    settings: { tenantId?: string; userId?: string },
    work: (runner: QueryRunner) => Promise<T>,
  ): Promise<T> {
    const runner = t.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await runner.query(
        `SELECT set_config('role', $1, true), set_config('app.tenant_id', $2, true), set_config('app.user_id', $3, true)`,
        [APP_ROLE, settings.tenantId ?? '', settings.userId ?? ''],
      );
      return await work(runner);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }

  /** Raw rows from a query runner, typed by the caller (QueryRunner.query answers `any`). */
  async function rowsOf<T>(runner: QueryRunner, sql: string, parameters?: unknown[]): Promise<T> {
    return (await runner.query(sql, parameters)) as T;
  }

  const tenantsOf = (rows: { tenant_id: string }[]) => [...new Set(rows.map((row) => row.tenant_id))];

  it("returns only tenant A's rows to a raw SELECT * with app.tenant_id set to A", async () => {
    await asApp({ tenantId: tenantA }, async (runner) => {
      const opportunities = await rowsOf<{ tenant_id: string }[]>(runner, `SELECT * FROM opportunities`);
      expect(opportunities).toHaveLength(2);
      expect(tenantsOf(opportunities)).toEqual([tenantA]);
      const history = await rowsOf<{ tenant_id: string }[]>(runner, `SELECT * FROM opportunity_actions`);
      expect(history.length).toBeGreaterThan(0);
      expect(tenantsOf(history)).toEqual([tenantA]);
      const audit = await rowsOf<{ tenant_id: string }[]>(runner, `SELECT * FROM audit_events`);
      expect(tenantsOf(audit)).toEqual([tenantA]);
      const members = await rowsOf<{ tenant_id: string }[]>(runner, `SELECT * FROM memberships`);
      expect(tenantsOf(members)).toEqual([tenantA]);
      const tenants = await rowsOf<{ id: string }[]>(runner, `SELECT * FROM tenants`);
      expect(tenants.map((tenant) => tenant.id)).toEqual([tenantA]);
    });
  });

  it('refuses an INSERT of a row for tenant B while the transaction is scoped to A', async () => {
    await expect(
      asApp({ tenantId: tenantA }, (runner) =>
        runner.query(
          `INSERT INTO opportunities (tenant_id, name, value, stage, next_action_at, next_action_details)
           VALUES ($1, 'Planted deal', 1, 'Proposal', now(), 'Steal')`,
          [tenantB],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it("neither updates nor deletes tenant B's rows while scoped to A", async () => {
    await asApp({ tenantId: tenantA }, async (runner) => {
      const updated = await rowsOf<[unknown[], number]>(
        runner,
        `UPDATE opportunities SET name = 'Hijacked' WHERE tenant_id = $1`,
        [tenantB],
      );
      const deleted = await rowsOf<[unknown[], number]>(
        runner,
        `DELETE FROM opportunity_actions WHERE tenant_id = $1`,
        [tenantB],
      );
      expect([updated[1], deleted[1]]).toEqual([0, 0]);
    });
    const [bravo] = await t.dataSource.query<{ name: string }[]>(
      `SELECT name FROM opportunities WHERE tenant_id = $1`,
      [tenantB],
    );
    expect(bravo.name).toBe('Bravo deal');
  });

  it('returns no rows at all, and no error, when no tenant is set', async () => {
    await asApp({}, async (runner) => {
      for (const table of [
        'opportunities',
        'opportunity_actions',
        'audit_events',
        'memberships',
        'tenants',
      ]) {
        const [row] = await rowsOf<{ count: string }[]>(runner, `SELECT count(*) FROM ${table}`);
        expect({ table, count: Number(row.count) }).toEqual({ table, count: 0 });
      }
    });
  });

  it("shows a signed-in user their own memberships across tenants, and no one else's", async () => {
    await asApp({ userId: userA.id }, async (runner) => {
      const members = await rowsOf<{ user_id: string; tenant_id: string }[]>(
        runner,
        `SELECT * FROM memberships`,
      );
      expect(members).toEqual([expect.objectContaining({ user_id: userA.id, tenant_id: tenantA })]);
      const users = await rowsOf<{ id: string }[]>(runner, `SELECT id FROM users`);
      expect(users.map((user) => user.id)).toEqual([userA.id]);
      const tokens = await rowsOf<{ user_id: string }[]>(runner, `SELECT user_id FROM refresh_tokens`);
      expect(tokens.every((token) => token.user_id === userA.id)).toBe(true);
    });
  });

  it("lets the application role change no other user's password", async () => {
    await asApp({ tenantId: tenantA, userId: userA.id }, async (runner) => {
      const result = await rowsOf<[unknown[], number]>(
        runner,
        `UPDATE users SET password_hash = 'x' WHERE id = $1`,
        [userB.id],
      );
      expect(result[1]).toBe(0);
    });
  });

  it('runs the API as a role that is no superuser, cannot bypass RLS and owns no table', async () => {
    const [role] = await t.dataSource.query<{ rolsuper: boolean; rolbypassrls: boolean }[]>(
      `SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1`,
      [APP_ROLE],
    );
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
    const owned = await t.dataSource.query<unknown[]>(
      `SELECT c.relname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
        WHERE r.rolname = $1 AND c.relnamespace = 'public'::regnamespace`,
      [APP_ROLE],
    );
    expect(owned).toEqual([]);
  });

  it('every table with a tenant_id column, and tenants itself, has RLS enabled, forced and a tenant policy', async () => {
    const tables = await t.dataSource.query<{ table: string; enabled: boolean; forced: boolean }[]>(
      `SELECT c.relname AS table, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced
         FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
          AND (c.relname = 'tenants' OR EXISTS (
                SELECT 1 FROM information_schema.columns col
                 WHERE col.table_schema = 'public' AND col.table_name = c.relname AND col.column_name = 'tenant_id'))
        ORDER BY c.relname`,
    );
    expect(tables.map((row) => row.table)).toEqual(
      expect.arrayContaining([
        'audit_events',
        'memberships',
        'opportunities',
        'opportunity_actions',
        'tenants',
      ]),
    );
    for (const row of tables) expect(row).toEqual({ table: row.table, enabled: true, forced: true });

    const policies = await t.dataSource.query<
      { table: string; qual: string | null; with_check: string | null }[]
    >(`SELECT tablename AS table, qual, with_check FROM pg_policies WHERE schemaname = 'public'`);
    for (const { table } of tables) {
      const own = policies.filter((policy) => policy.table === table);
      const readsTenant = own.some((policy) => policy.qual?.includes(TENANT_SETTING));
      const checksTenant = own.some((policy) => policy.with_check?.includes(TENANT_SETTING));
      expect({ table, readsTenant, checksTenant }).toEqual({ table, readsTenant: true, checksTenant: true });
    }
  });

  it('leaves nothing of a request on the pooled connection: role and tenant are SET LOCAL only', async () => {
    await apiFor(t, tenantA).due().expect(200);
    const sessions = await Promise.all(
      Array.from({ length: 4 }, () =>
        t.dataSource.query<{ role: string; tenant: string | null; user: string | null }[]>(
          `SELECT current_user AS role, current_setting('app.tenant_id', true) AS tenant,
                  current_setting('app.user_id', true) AS user`,
        ),
      ),
    );
    for (const [session] of sessions) {
      expect(session.role).not.toBe(APP_ROLE);
      expect(session.tenant ?? '').toBe('');
      expect(session.user ?? '').toBe('');
    }
  });

  it('opens a write with START TRANSACTION and its scope and membership check in one round trip, then serves it there', async () => {
    const sent = jest.spyOn(Client.prototype, 'query');
    try {
      await apiFor(t, tenantA).create({ name: 'Round trips' }).expect(201);
      const statements = sent.mock.calls.map(([query]) =>
        (typeof query === 'string' ? query : (query as { text: string }).text).replace(/\s+/g, ' ').trim(),
      );
      expect(statements[0]).toMatch(
        /^START TRANSACTION; SELECT to_jsonb\(m\) AS membership FROM \(SELECT set_config\('role'.*nat_membership/,
      );
      expect(statements.at(-1)).toBe('COMMIT');
      expect(statements.slice(1, -1).filter((statement) => /^(START|BEGIN|COMMIT)/.test(statement))).toEqual(
        [],
      );
    } finally {
      sent.mockRestore();
    }
  });

  it('lets nobody but the application role call the sign-in lookups, which answer one narrow question each', async () => {
    const grants = await t.dataSource.query<{ routine: string; grantee: string }[]>(
      `SELECT routine_name AS routine, grantee FROM information_schema.routine_privileges
        WHERE routine_schema = 'public' AND routine_name LIKE 'nat\\_%' AND privilege_type = 'EXECUTE'
          AND grantee NOT IN (SELECT rolname FROM pg_roles WHERE rolsuper) AND grantee <> 'postgres'`,
    );
    const lookups = grants.filter((grant) => grant.routine !== 'nat_is_time_zone');
    expect(lookups.length).toBeGreaterThanOrEqual(4);
    for (const grant of lookups) expect(grant).toEqual({ routine: grant.routine, grantee: APP_ROLE });
    await asApp({}, async (runner) => {
      const rows = await rowsOf<unknown[]>(runner, `SELECT * FROM nat_login_lookup($1)`, [
        userA.email.toUpperCase(),
      ]);
      expect(rows).toEqual([{ user_id: userA.id, password_hash: expect.stringMatching(/^\$argon2id\$/) }]);
    });
  });
});
