import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { apiFor, created, idsOf, OPPORTUNITIES } from './support/api';
import { createTestApp, type Role, type TestApp, type TestUser } from './support/test-app';

const NOW = '2026-07-15T12:00:00.000Z';
const MEMBERSHIPS = '/api/v1/memberships';
const WIDE_WINDOW = { from: '2000-01-01T00:00:00Z', until: '2100-01-01T00:00:00Z' };

const LAST_ADMIN = {
  detail: 'A tenant keeps at least one admin: make someone else admin first.',
  error_code: 'LAST_ADMIN',
};
const ADMINS_ONLY = { detail: 'Only admins can use this endpoint.', error_code: 'FORBIDDEN' };
const MEMBERSHIP_NOT_FOUND = {
  detail: 'No member of this tenant has that user id.',
  error_code: 'MEMBERSHIP_NOT_FOUND',
};

type Body = Record<string, unknown>;

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('memberships', () => {
  let t: TestApp;
  let tenant: string;
  let admin: TestUser;

  beforeAll(async () => {
    t = await createTestApp(NOW);
  });
  beforeEach(async () => {
    tenant = await t.createTenant({ name: 'Members Team' });
    admin = t.ownerOf(tenant);
  });
  afterAll(() => t.close());

  /** The membership routes as `user` (default: the tenant's admin) calls them. */
  function as(user: TestUser = admin) {
    const headers = t.headersFor(tenant, user);
    return {
      list: () => t.http().get(MEMBERSHIPS).set(headers),
      add: (body: Body) => t.http().post(MEMBERSHIPS).set(headers).send(body),
      changeRole: (userId: string, role: Role) =>
        t.http().patch(`${MEMBERSHIPS}/${userId}`).set(headers).send({ role }),
      remove: (userId: string) => t.http().delete(`${MEMBERSHIPS}/${userId}`).set(headers),
    };
  }

  async function rolesInDatabase(): Promise<Record<string, string>> {
    const rows = await t.dataSource.query<{ user_id: string; role: string }[]>(
      `SELECT user_id, role FROM memberships WHERE tenant_id = $1`,
      [tenant],
    );
    return Object.fromEntries(rows.map((row) => [row.user_id, row.role]));
  }

  async function auditDetails(action: string, targetId: string): Promise<Body[]> {
    const rows = await t.dataSource.query<{ actor_id: string; details: Body }[]>(
      `SELECT actor_id, details FROM audit_events
        WHERE tenant_id = $1 AND action = $2 AND target_id = $3`,
      [tenant, action, targetId],
    );
    return rows;
  }

  describe('listing', () => {
    it('shows any member every member by name, with role and status', async () => {
      const rep = await t.addMember(tenant, 'rep');
      const manager = await t.addMember(tenant, 'manager');

      const response = await as(rep).list();

      expect(response.status).toBe(200);
      const member = (user: TestUser, role: Role) => ({
        user_id: user.id,
        email: user.email,
        name: `Test ${role}`,
        role,
        status: 'active',
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });
      expect(response.body).toEqual([member(admin, 'admin'), member(manager, 'manager'), member(rep, 'rep')]);
    });
  });

  describe('adding', () => {
    it('adds an existing user at once, by email in any case, without an invitation', async () => {
      const elsewhere = await t.createTenant();
      const user = t.ownerOf(elsewhere);

      const response = await as().add({ email: user.email.toUpperCase(), role: 'manager' });

      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        membership: {
          user_id: user.id,
          email: user.email,
          name: 'Test admin',
          role: 'manager',
          status: 'active',
          created_at: expect.any(String),
        },
      });
      // Their existing access token works for the new tenant: membership is looked up per request.
      const current = await t.http().get('/api/v1/tenants/current').set(t.headersFor(tenant, user));
      expect(current.status).toBe(200);
      expect(current.body.role).toBe('manager');
      expect(await auditDetails('membership.added', user.id)).toEqual([
        { actor_id: admin.id, details: { role: 'manager', invited: false } },
      ]);
    });

    it('invites an email without an account as a member who has yet to set a password', async () => {
      const email = `new-${randomUUID()}@example.test`;
      const response = await as().add({ email, role: 'rep', name: 'Nina New' });

      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        membership: expect.objectContaining({ email, name: 'Nina New', role: 'rep', status: 'invited' }),
        invitation: { token: expect.any(String), expires_at: expect.any(String) },
      });
      expect((await as().list()).body).toContainEqual(expect.objectContaining({ email, status: 'invited' }));
    });

    it('needs a name to invite an email without an account', async () => {
      const email = `nameless-${randomUUID()}@example.test`;
      const response = await as().add({ email, role: 'rep' });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        detail: 'The request is invalid: see errors for each field.',
        error_code: 'VALIDATION_ERROR',
        errors: [{ field: 'name', message: 'name is required to invite someone who has no account yet' }],
      });
      expect(await t.dataSource.query(`SELECT 1 FROM users WHERE email = $1`, [email])).toEqual([]);
    });

    it('answers 409 ALREADY_MEMBER for a member, and leaves their role alone', async () => {
      const rep = await t.addMember(tenant, 'rep');
      const response = await as().add({ email: rep.email, role: 'admin' });
      expect(response.status).toBe(409);
      expect(response.body).toEqual({
        detail: `${rep.email} is already a member.`,
        error_code: 'ALREADY_MEMBER',
      });
      expect((await rolesInDatabase())[rep.id]).toBe('rep');
    });

    it('refuses an unknown role', async () => {
      const response = await as().add({ email: 'x@example.test', role: 'owner', name: 'X' });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([
        { field: 'role', message: 'role must be one of: rep, manager, admin' },
      ]);
    });
  });

  describe('changing roles and removing', () => {
    it("changes a member's role and records who did it", async () => {
      const rep = await t.addMember(tenant, 'rep');
      const response = await as().changeRole(rep.id, 'manager');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        user_id: rep.id,
        email: rep.email,
        role: 'manager',
        status: 'active',
      });
      expect((await rolesInDatabase())[rep.id]).toBe('manager');
      expect(await auditDetails('membership.role_changed', rep.id)).toEqual([
        { actor_id: admin.id, details: { from: 'rep', to: 'manager' } },
      ]);
    });

    it('removes a member, who keeps their account', async () => {
      const rep = await t.addMember(tenant, 'rep');
      const response = await as().remove(rep.id);
      expect(response.status).toBe(204);
      expect(response.text).toBe('');
      expect(((await as().list()).body as { user_id: string }[]).map((member) => member.user_id)).toEqual([
        admin.id,
      ]);
      expect(await t.dataSource.query(`SELECT id FROM users WHERE id = $1`, [rep.id])).toEqual([
        { id: rep.id },
      ]);
      expect(await auditDetails('membership.removed', rep.id)).toEqual([
        { actor_id: admin.id, details: { role: 'rep' } },
      ]);
    });

    it('answers 404 MEMBERSHIP_NOT_FOUND for a user who is not a member of this tenant', async () => {
      const elsewhere = await t.createTenant();
      const outsider = t.ownerOf(elsewhere);
      for (const userId of [outsider.id, randomUUID()]) {
        expect(await as().changeRole(userId, 'rep')).toMatchObject({
          status: 404,
          body: MEMBERSHIP_NOT_FOUND,
        });
        expect(await as().remove(userId)).toMatchObject({ status: 404, body: MEMBERSHIP_NOT_FOUND });
      }
      expect(
        await t.dataSource.query(`SELECT role FROM memberships WHERE user_id = $1`, [outsider.id]),
      ).toEqual([{ role: 'admin' }]);
    });

    it('answers 400 for a user id that is not a UUID', async () => {
      const response = await as().remove('not-a-uuid');
      expect(response.status).toBe(400);
      expect(response.body.error_code).toBe('VALIDATION_ERROR');
    });
  });

  /** How many backends wait, directly or in the queue behind another waiter, for a lock `pid` holds. */
  async function queuedBehind(pid: number): Promise<number> {
    const waiters = await t.dataSource.query<{ pid: number; blockers: number[] }[]>(
      `SELECT pid, pg_blocking_pids(pid) AS blockers FROM pg_stat_activity WHERE wait_event_type = 'Lock'`,
    );
    const queued = new Set([pid]);
    for (let grew = true; grew;) {
      grew = false;
      for (const waiter of waiters) {
        if (!queued.has(waiter.pid) && waiter.blockers.some((blocker) => queued.has(blocker))) {
          queued.add(waiter.pid);
          grew = true;
        }
      }
    }
    return queued.size - 1;
  }

  /**
   * One request wins. The other is refused, for the last admin (409) when both callers were admins as their
   * requests began, or else because the winner got there first: its caller is no admin (403 FORBIDDEN) or,
   * once removed, no member (403 TENANT_ACCESS_DENIED) any more.
   */
  function expectOneWinner(responses: Response[], success: number): void {
    const winners = responses.filter((response) => response.status === success);
    const losers = responses.filter((response) => response.status !== success);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    const tooLate = {
      detail: `You are not a member of tenant ${tenant}.`,
      error_code: 'TENANT_ACCESS_DENIED',
    };
    expect([LAST_ADMIN, ADMINS_ONLY, tooLate]).toContainEqual(losers[0].body);
    expect(losers[0].status).toBe(losers[0].body.error_code === 'LAST_ADMIN' ? 409 : 403);
  }

  describe('the last admin', () => {
    it('cannot be demoted', async () => {
      const response = await as().changeRole(admin.id, 'manager');
      expect(response.status).toBe(409);
      expect(response.body).toEqual(LAST_ADMIN);
      expect((await rolesInDatabase())[admin.id]).toBe('admin');
    });

    it('cannot be removed', async () => {
      await t.addMember(tenant, 'manager');
      const response = await as().remove(admin.id);
      expect(response.status).toBe(409);
      expect(response.body).toEqual(LAST_ADMIN);
      expect((await rolesInDatabase())[admin.id]).toBe('admin');
    });

    it('may keep the admin role it has (a no-op, not a conflict)', async () => {
      const response = await as().changeRole(admin.id, 'admin');
      expect(response.status).toBe(200);
      expect(response.body.role).toBe('admin');
    });

    it('can step down once another admin exists', async () => {
      const second = await t.addMember(tenant, 'admin');
      expect((await as().changeRole(admin.id, 'rep')).status).toBe(200);
      expect(await as(second).remove(admin.id)).toMatchObject({ status: 204 });
      expect(await rolesInDatabase()).toEqual({ [second.id]: 'admin' });
    });

    it('survives two admins demoting each other at the same moment: exactly one succeeds', async () => {
      const other = await t.addMember(tenant, 'admin');

      const responses = await Promise.all([
        as(admin).changeRole(other.id, 'rep'),
        as(other).changeRole(admin.id, 'rep'),
      ]);

      expectOneWinner(responses, 200);
      expect(Object.values(await rolesInDatabase()).sort()).toEqual(['admin', 'rep']);
    });

    it('answers 409 LAST_ADMIN to the second of two admins who were both admitted before either changed anything', async () => {
      const other = await t.addMember(tenant, 'admin');
      // Holding the tenant's membership rows makes both requests pass the membership check and then queue
      // for the admins' row locks, the narrowest window of the race, every time.
      const blocker = t.dataSource.createQueryRunner();
      await blocker.connect();
      await blocker.startTransaction();
      try {
        await blocker.query(`SELECT 1 FROM memberships WHERE tenant_id = $1 FOR UPDATE`, [tenant]);
        const [{ pid }] = (await blocker.query(`SELECT pg_backend_pid() AS pid`)) as { pid: number }[];
        const pending = Promise.all([
          as(admin).changeRole(other.id, 'rep'),
          as(other).changeRole(admin.id, 'rep'),
        ]);
        await waitFor(async () => (await queuedBehind(pid)) === 2);
        await blocker.commitTransaction();

        const responses = await pending;
        expect(responses.map((response) => response.status).sort()).toEqual([200, 409]);
        expect(responses.find((response) => response.status === 409)?.body).toEqual(LAST_ADMIN);
        expect(Object.values(await rolesInDatabase()).sort()).toEqual(['admin', 'rep']);
      } finally {
        if (blocker.isTransactionActive) await blocker.rollbackTransaction();
        await blocker.release();
      }
    });

    it('survives two admins removing each other at the same moment: exactly one succeeds', async () => {
      const other = await t.addMember(tenant, 'admin');

      const responses = await Promise.all([as(admin).remove(other.id), as(other).remove(admin.id)]);

      expectOneWinner(responses, 204);
      expect(Object.values(await rolesInDatabase())).toEqual(['admin']);
    });
  });

  describe('who may change memberships', () => {
    it.each<Role>(['rep', 'manager'])(
      'answers 403 FORBIDDEN to a %s on every write, and changes nothing',
      async (role) => {
        const caller = await t.addMember(tenant, role);
        const rep = await t.addMember(tenant, 'rep');
        const before = await rolesInDatabase();
        const email = `blocked-${randomUUID()}@example.test`;

        const responses: Response[] = [
          await as(caller).add({ email, role: 'rep', name: 'Blocked' }),
          await as(caller).changeRole(rep.id, 'admin'),
          await as(caller).changeRole(caller.id, 'admin'),
          await as(caller).remove(rep.id),
        ];

        for (const response of responses) {
          expect(response.status).toBe(403);
          expect(response.body).toEqual(ADMINS_ONLY);
        }
        expect(await rolesInDatabase()).toEqual(before);
        expect(await t.dataSource.query(`SELECT 1 FROM users WHERE email = $1`, [email])).toEqual([]);
      },
    );
  });

  describe('the effects of a change, at once', () => {
    it("leaves a removed member's deals unassigned, visible in the team view", async () => {
      const rep = await t.addMember(tenant, 'rep');
      const deal = await created(apiFor(t, tenant, rep), { name: 'Orphaned Deal' });
      expect(deal.owner_id).toBe(rep.id);

      await as().remove(rep.id).expect(204);

      const team = apiFor(t, tenant, admin);
      const fetched = await team.get(deal.id);
      expect(fetched.status).toBe(200);
      expect(fetched.body).toMatchObject({ id: deal.id, owner_id: null, version: deal.version });
      const due = await team.due({ scope: 'team', ...WIDE_WINDOW });
      expect(idsOf(due)).toContain(deal.id);
      const list = await team.list({ scope: 'team' });
      expect(idsOf(list)).toContain(deal.id);
      const mine = await team.list({ scope: 'mine' });
      expect(idsOf(mine)).not.toContain(deal.id);
      expect(
        await t.dataSource.query(`SELECT owner_id FROM opportunities WHERE tenant_id = $1 AND id = $2`, [
          tenant,
          deal.id,
        ]),
      ).toEqual([{ owner_id: null }]);
    });

    it('shuts a removed member out at once, though their access token has not expired', async () => {
      const rep = await t.addMember(tenant, 'rep');
      const repApi = apiFor(t, tenant, rep);
      expect((await repApi.due()).status).toBe(200);

      await as().remove(rep.id).expect(204);

      const denied = {
        detail: `You are not a member of tenant ${tenant}.`,
        error_code: 'TENANT_ACCESS_DENIED',
      };
      expect(await repApi.due()).toMatchObject({ status: 403, body: denied });
      expect(await as(rep).list()).toMatchObject({ status: 403, body: denied });
      const createdAfter = await repApi.create({ name: 'After removal' });
      expect(createdAfter).toMatchObject({ status: 403, body: denied });
      const tenants = await t.http().get('/api/v1/tenants').set('Authorization', `Bearer ${rep.token}`);
      expect(tenants.body).toEqual([]);
      const rows = await t.dataSource.query(
        `SELECT 1 FROM opportunities WHERE tenant_id = $1 AND name = $2`,
        [tenant, 'After removal'],
      );
      expect(rows).toEqual([]);
    });

    it('takes the team view from a demoted manager at once', async () => {
      const manager = await t.addMember(tenant, 'manager');
      const managerApi = apiFor(t, tenant, manager);
      expect((await managerApi.due({ scope: 'team' })).status).toBe(200);

      await as().changeRole(manager.id, 'rep').expect(200);

      const response = await managerApi.due({ scope: 'team' });
      expect(response.status).toBe(403);
      expect(response.body).toEqual({
        detail: 'Only managers and admins can see the team view (scope=team).',
        error_code: 'FORBIDDEN',
      });
      expect((await managerApi.due({ scope: 'mine' })).status).toBe(200);
    });

    it('gives a promoted rep the admin routes at once', async () => {
      const rep = await t.addMember(tenant, 'rep');
      expect((await as(rep).remove(admin.id)).status).toBe(403);

      await as().changeRole(rep.id, 'admin').expect(200);

      expect((await as(rep).changeRole(admin.id, 'manager')).status).toBe(200);
      expect(await rolesInDatabase()).toEqual({ [admin.id]: 'manager', [rep.id]: 'admin' });
      const audit = await t.http().get('/api/v1/audit').set(t.headersFor(tenant, rep));
      expect(audit.status).toBe(200);
    });

    it("keeps a removed member's deals in the pipeline summary of the team", async () => {
      const rep = await t.addMember(tenant, 'rep');
      await created(apiFor(t, tenant, rep), { value: 1234.5 });
      await as().remove(rep.id).expect(204);

      const summary = await apiFor(t, tenant, admin).summary({ scope: 'team', ...WIDE_WINDOW });
      expect(summary.status).toBe(200);
      expect(summary.body.pipeline_value_open).toBe(1234.5);
      const stillThere = await t.http().get(OPPORTUNITIES).set(t.headersFor(tenant)).query({ scope: 'team' });
      expect(stillThere.body).toHaveLength(1);
    });
  });
});
