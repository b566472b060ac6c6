import { Client, type PoolClient } from 'pg';
import { APP_ROLE } from '../src/database/app-role';
import { MEMBERSHIP_CHANGED, ScopedReads, ScopedStatement } from '../src/tenancy/read-scope';
import { apiFor, created } from './support/api';
import { createTestApp, type TestApp, type TestUser } from './support/test-app';

const NOW = '2026-07-15T12:00:00.000Z';
const CURRENT_TENANT = '/api/v1/tenants/current';
const embedded = process.env.NAT_TEST_DATABASE_KIND?.startsWith('embedded') ?? false;

/**
 * A GET on a tenant route runs without a transaction: each statement travels with the membership check and
 * scope of nat_read_scope() in one round trip (tenancy/read-scope.ts). These tests pin what that promises: one
 * round trip per statement once the membership is known, no answer on a membership that changed, nothing run
 * after a failed check, nothing left on the connection. PGlite shares one session between connections, so there
 * reads keep their transaction (see ScopedDatabase.readAsMember) and the protocol tests do not apply.
 */
(embedded ? describe.skip : describe)('read-only requests: one scoped round trip per statement', () => {
  let t: TestApp;
  let tenant: string;
  let owner: TestUser;

  beforeAll(async () => {
    t = await createTestApp(NOW);
    tenant = await t.createTenant({ name: 'Read Scope Team', timezone: 'Europe/Berlin' });
    owner = t.ownerOf(tenant);
    await created(apiFor(t, tenant), { name: 'Scoped deal', next_action_at: '2026-07-15T08:00:00Z' });
  });
  afterAll(() => t.close());

  /** What the API handed node-postgres while `work` ran: plain statements, and scoped ones (marked). */
  async function statementsSentDuring(work: () => Promise<unknown>): Promise<string[]> {
    const sent = jest.spyOn(Client.prototype, 'query');
    try {
      await work();
      return sent.mock.calls.map(([query]) => {
        const text = typeof query === 'string' ? query : (query as { text: string }).text;
        const line = text.replace(/\s+/g, ' ').trim();
        return (query as unknown) instanceof ScopedStatement ? `scoped: ${line}` : line;
      });
    } finally {
      sent.mockRestore();
    }
  }

  async function membershipOf(tenantId: string, userId: string): Promise<string> {
    const [row] = await t.dataSource.query<{ membership: string }[]>(
      `SELECT to_jsonb(m)::text AS membership FROM nat_membership($1, $2::uuid) AS m`,
      [tenantId, userId],
    );
    return row.membership;
  }

  /** A pooled connection of the API's own pool, with ScopedReads installed on it for `membership`. */
  async function withScopedReads<T>(
    membership: string | null,
    work: (client: PoolClient, reads: ScopedReads) => Promise<T>,
  ): Promise<T> {
    const runner = t.dataSource.createQueryRunner();
    await runner.connect();
    const client = (runner as unknown as { databaseConnection: PoolClient }).databaseConnection;
    const reads = new ScopedReads(
      client,
      { tenantId: tenant, userId: owner.id, membership },
      { verified: false },
    );
    try {
      return await work(client, reads);
    } finally {
      reads.uninstall();
      await runner.release();
    }
  }

  it('reads the membership once, then serves each read in one round trip, with no transaction', async () => {
    const member = await t.addMember(tenant, 'manager');
    const api = apiFor(t, tenant, member);
    const first = await statementsSentDuring(() => api.due({ scope: 'team' }).expect(200));
    expect(first).toEqual([
      expect.stringMatching(
        /^SELECT to_jsonb\(m\)::text AS membership FROM nat_membership\(\$1, \$2::uuid\)/,
      ),
      expect.stringMatching(/^scoped: SELECT .* FROM opportunities WHERE tenant_id = \$1/),
    ]);
    const second = await statementsSentDuring(() => api.due({ scope: 'team' }).expect(200));
    expect(second).toEqual([
      expect.stringMatching(/^scoped: SELECT .* FROM opportunities WHERE tenant_id = \$1/),
    ]);
    const summary = await statementsSentDuring(() => api.summary().expect(200));
    expect(summary.length).toBeGreaterThan(0);
    expect(summary.every((statement) => statement.startsWith('scoped: '))).toBe(true);
  });

  it('answers a read with the role the member has now, not the one it was last admitted with', async () => {
    const member = await t.addMember(tenant, 'manager');
    const api = apiFor(t, tenant, member);
    await api.due({ scope: 'team' }).expect(200);
    await t.dataSource.query(`UPDATE memberships SET role = 'rep' WHERE tenant_id = $1 AND user_id = $2`, [
      tenant,
      member.id,
    ]);
    expect((await api.due({ scope: 'team' })).body).toMatchObject({ error_code: 'FORBIDDEN' });
    await t.dataSource.query(
      `UPDATE memberships SET role = 'manager' WHERE tenant_id = $1 AND user_id = $2`,
      [tenant, member.id],
    );
    await api.due({ scope: 'team' }).expect(200);
  });

  it('checks the membership even for a read that sends no statement of its own', async () => {
    const member = await t.addMember(tenant, 'rep');
    const headers = t.headersFor(tenant, member);
    const current = () => t.http().get(CURRENT_TENANT).set(headers);
    expect((await current().expect(200)).body).toMatchObject({ role: 'rep', timezone: 'Europe/Berlin' });

    await t.dataSource.query(`UPDATE memberships SET role = 'admin' WHERE tenant_id = $1 AND user_id = $2`, [
      tenant,
      member.id,
    ]);
    const sent = await statementsSentDuring(async () => {
      expect((await current().expect(200)).body).toMatchObject({ role: 'admin' });
    });
    // The cached row failed its check, so the answer came from a fresh read.
    expect(sent).toEqual([
      expect.stringMatching(/^CALL nat_read_scope/),
      expect.stringMatching(/^SELECT to_jsonb\(m\)::text AS membership/),
    ]);

    await t.dataSource.query(`DELETE FROM memberships WHERE tenant_id = $1 AND user_id = $2`, [
      tenant,
      member.id,
    ]);
    expect((await current()).body).toMatchObject({ error_code: 'TENANT_ACCESS_DENIED' });
  });

  it("answers in the tenant's new time zone as soon as it changes", async () => {
    const member = await t.addMember(tenant, 'rep');
    const current = () => t.http().get(CURRENT_TENANT).set(t.headersFor(tenant, member));
    await current().expect(200);
    await t.dataSource.query(`UPDATE tenants SET timezone = 'America/New_York' WHERE id = $1`, [tenant]);
    try {
      expect((await current().expect(200)).body).toMatchObject({ timezone: 'America/New_York' });
    } finally {
      await t.dataSource.query(`UPDATE tenants SET timezone = 'Europe/Berlin' WHERE id = $1`, [tenant]);
    }
  });

  it('runs each statement as the application role in the tenant, and leaves nothing on the connection', async () => {
    const membership = await membershipOf(tenant, owner.id);
    await withScopedReads(membership, async (client, reads) => {
      const { rows } = await client.query<{ role: string; tenant: string; user: string }>(
        `SELECT current_user AS role, current_setting('app.tenant_id') AS tenant, current_setting('app.user_id') AS user`,
      );
      expect(rows).toEqual([{ role: APP_ROLE, tenant, user: owner.id }]);
      expect(reads.verified).toBe(true);
      const { rows: parameters } = await client.query<{ n: number }>('SELECT $1::int + 1 AS n', [41]);
      expect(parameters).toEqual([{ n: 42 }]);
      reads.uninstall();
      const { rows: after } = await client.query<{ role: string; tenant: string | null }>(
        `SELECT current_user AS role, current_setting('app.tenant_id', true) AS tenant`,
      );
      expect(after[0].role).not.toBe(APP_ROLE);
      expect(after[0].tenant ?? '').toBe('');
    });
  });

  it('runs nothing behind a failed check, and marks the request void', async () => {
    const membership = await membershipOf(tenant, owner.id);
    const wrong = JSON.stringify({ ...(JSON.parse(membership) as object), role: 'rep' });
    await withScopedReads(wrong, async (client, reads) => {
      await expect(client.query(`SELECT set_config('nat.test_ran', 'yes', false)`)).rejects.toMatchObject({
        code: MEMBERSHIP_CHANGED,
      });
      expect(reads.stale).toBe(true);
      expect(reads.verified).toBe(false);
      reads.uninstall();
      const { rows } = await client.query<{ ran: string | null }>(
        `SELECT current_setting('nat.test_ran', true) AS ran`,
      );
      expect(rows[0].ran ?? '').toBe('');
    });
  });

  it('refuses transaction control, and any statement for a caller who is not a member', async () => {
    const membership = await membershipOf(tenant, owner.id);
    await withScopedReads(membership, (client) => {
      expect(() => client.query('BEGIN')).toThrow(/runs no transaction of its own: BEGIN/);
      expect(() => client.query('savepoint one')).toThrow(/runs no transaction of its own/);
      expect(() => client.query({ text: 'SELECT 1', name: 'one' })).toThrow(/unnamed statements/);
      expect(() => client.query({ text: 'SELECT 1', rows: 10 } as never)).toThrow(/all their rows at once/);
      return Promise.resolve();
    });
    await withScopedReads(null, async (client, reads) => {
      expect(() => client.query('SELECT 1')).toThrow(/not a member/);
      await reads.verify();
      expect(reads.stale).toBe(false);
    });
  });

  it('keeps concurrent reads of one member consistent while a demotion lands', async () => {
    const member = await t.addMember(tenant, 'manager');
    const api = apiFor(t, tenant, member);
    await api.due({ scope: 'team' }).expect(200);
    const before = await Promise.all(Array.from({ length: 8 }, () => api.due({ scope: 'team' })));
    expect(before.map((response) => response.status)).toEqual(Array(8).fill(200));
    await t.dataSource.query(`UPDATE memberships SET role = 'rep' WHERE tenant_id = $1 AND user_id = $2`, [
      tenant,
      member.id,
    ]);
    const after = await Promise.all(Array.from({ length: 8 }, () => api.due({ scope: 'team' })));
    expect(after.map((response) => response.status)).toEqual(Array(8).fill(403));
    const mine = await Promise.all(Array.from({ length: 8 }, () => api.due({ scope: 'mine' })));
    expect(mine.map((response) => response.status)).toEqual(Array(8).fill(200));
  });
});

(embedded ? describe : describe.skip)('read-only requests on a single-session database (PGlite)', () => {
  let t: TestApp;
  let tenant: string;

  beforeAll(async () => {
    t = await createTestApp(NOW);
    tenant = await t.createTenant({ name: 'Single Session Team' });
  });
  afterAll(() => t.close());

  it('keeps each read in a transaction of its own: PGlite keeps a connection together only inside one', async () => {
    const sent = jest.spyOn(Client.prototype, 'query');
    try {
      await apiFor(t, tenant).due().expect(200);
      const statements = sent.mock.calls.map(
        ([query]) => (query as unknown as { text?: string }).text ?? query,
      );
      expect(statements[0]).toMatch(/^START TRANSACTION; SELECT to_jsonb\(m\) AS membership/);
      expect(statements.at(-1)).toBe('COMMIT');
      expect(sent.mock.calls.some(([query]) => (query as unknown) instanceof ScopedStatement)).toBe(false);
    } finally {
      sent.mockRestore();
    }
  });
});
