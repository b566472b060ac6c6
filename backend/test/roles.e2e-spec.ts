import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import type { OpportunityDto } from '../src/opportunities/dto/opportunity.dto';
import {
  apiFor,
  created,
  cursorOf,
  nextLink,
  NOT_FOUND_ERROR,
  type Api,
  type Body,
  type ErrorEnvelope,
} from './support/api';
import { createTestApp, TEST_PASSWORD, type TestApp, type TestUser } from './support/test-app';

const NOW = '2026-07-15T12:00:00.000Z';
const DUE_TODAY = '2026-07-15T09:00:00.000Z';
const NEXT_WEEK = '2026-07-22T09:00:00.000Z';
const AUDIT = '/api/v1/audit';

const TEAM_VIEW_FORBIDDEN = {
  detail: 'Only managers and admins can see the team view (scope=team).',
  error_code: 'FORBIDDEN',
};
const ADMINS_ONLY = { detail: 'Only admins can use this endpoint.', error_code: 'FORBIDDEN' };
const NOT_A_MEMBER = {
  detail: 'The request is invalid: see errors for each field.',
  error_code: 'VALIDATION_ERROR',
  errors: [{ field: 'owner_id', message: 'owner_id must be a member of the tenant' }],
};

function ids(response: Response): string[] {
  expect(response.status).toBe(200);
  return (response.body as { id: string }[]).map((row) => row.id).sort();
}

interface AuditEvent {
  id: string;
  at: string;
  action: string;
  actor_id: string | null;
  actor_name: string | null;
  target_type: string;
  target_id: string;
  details: Body | null;
  request_id: string | null;
}

/**
 * A team of an admin, a manager and two reps, each with one deal due today, and one unassigned deal (its
 * owner left the team). Values are powers of two, so every sum says which deals it counted.
 */
interface Team {
  tenant: string;
  admin: TestUser;
  manager: TestUser;
  rep: TestUser;
  teammate: TestUser;
  deals: {
    rep: OpportunityDto;
    teammate: OpportunityDto;
    manager: OpportunityDto;
    unassigned: OpportunityDto;
  };
}

describe('roles', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(NOW);
  });
  afterAll(() => t.close());

  async function team(): Promise<Team> {
    const tenant = await t.createTenant({ name: 'Roles Team' });
    const admin = t.ownerOf(tenant);
    const manager = await t.addMember(tenant, 'manager');
    const rep = await t.addMember(tenant, 'rep');
    const teammate = await t.addMember(tenant, 'rep');
    const leaver = await t.addMember(tenant, 'rep');
    const deal = (user: TestUser, value: number) =>
      created(apiFor(t, tenant, user), { name: `Deal ${value}`, value, next_action_at: DUE_TODAY });
    const deals = {
      rep: await deal(rep, 1),
      teammate: await deal(teammate, 2),
      manager: await deal(manager, 4),
      unassigned: await deal(leaver, 8),
    };
    await t.http().delete(`/api/v1/memberships/${leaver.id}`).set(t.headersFor(tenant)).expect(204);
    deals.unassigned = { ...deals.unassigned, owner_id: null };
    return { tenant, admin, manager, rep, teammate, deals };
  }

  async function versionOf(
    tenant: string,
    id: string,
  ): Promise<{ version: number; owner_id: string | null }> {
    const [row] = await t.dataSource.query<{ version: number; owner_id: string | null }[]>(
      `SELECT version, owner_id FROM opportunities WHERE tenant_id = $1 AND id = $2`,
      [tenant, id],
    );
    return row;
  }

  describe('what each role sees', () => {
    let x: Team;
    let rep: Api;
    let manager: Api;
    let admin: Api;

    beforeAll(async () => {
      x = await team();
      rep = apiFor(t, x.tenant, x.rep);
      manager = apiFor(t, x.tenant, x.manager);
      admin = apiFor(t, x.tenant, x.admin);
    });

    it('shows a rep only their own deals in the due list, the list and the summary', async () => {
      expect(ids(await rep.due())).toEqual([x.deals.rep.id]);
      expect(ids(await rep.due({ scope: 'mine' }))).toEqual([x.deals.rep.id]);
      expect(ids(await rep.list())).toEqual([x.deals.rep.id]);
      const summary = await rep.summary();
      expect(summary.status).toBe(200);
      expect(summary.body).toMatchObject({ overdue_count: 1, due_value_total: 1, pipeline_value_open: 1 });
    });

    it('shows managers and admins the whole team, unassigned deals included, with scope=team', async () => {
      const everything = Object.values(x.deals)
        .map((deal) => deal.id)
        .sort();
      for (const api of [manager, admin]) {
        expect(ids(await api.due({ scope: 'team' }))).toEqual(everything);
        expect(ids(await api.list({ scope: 'team' }))).toEqual(everything);
        const summary = await api.summary({ scope: 'team' });
        expect(summary.body).toMatchObject({
          overdue_count: 4,
          due_value_total: 15,
          pipeline_value_open: 15,
        });
      }
      const unassigned = ((await manager.list({ scope: 'team' })).body as OpportunityDto[]).find(
        (row) => row.id === x.deals.unassigned.id,
      );
      expect(unassigned?.owner_id).toBeNull();
    });

    it('keeps scope=mine the default for managers and admins too', async () => {
      expect(ids(await manager.due())).toEqual([x.deals.manager.id]);
      expect(ids(await manager.list())).toEqual([x.deals.manager.id]);
      expect((await manager.summary()).body).toMatchObject({ pipeline_value_open: 4 });
      expect(ids(await admin.due())).toEqual([]);
    });

    it('answers 403 FORBIDDEN to a rep who asks for the team view', async () => {
      for (const response of [
        await rep.due({ scope: 'team' }),
        await rep.summary({ scope: 'team' }),
        await rep.list({ scope: 'team' }),
      ]) {
        expect(response.status).toBe(403);
        expect(response.body).toEqual(TEAM_VIEW_FORBIDDEN);
      }
    });

    it('answers 400 for a scope that does not exist', async () => {
      const response = await manager.due({ scope: 'everyone' });
      expect(response.status).toBe(400);
      expect((response.body as ErrorEnvelope).errors?.map((error) => error.field)).toEqual(['scope']);
    });

    it("answers 404 to a rep who reaches a teammate's deal by id, and changes nothing", async () => {
      const id = x.deals.teammate.id;
      const before = await versionOf(x.tenant, id);
      const attempts = [
        await rep.get(id),
        await rep.timeline(id),
        await rep.patch(id, { name: 'Mine now' }),
        await rep.complete(id, { new_next_action_at: NEXT_WEEK, new_next_action_details: 'Taken over' }),
        await rep.reschedule(id, { new_next_action_at: NEXT_WEEK, reason: 'Busy' }),
        await rep.close(id, { outcome: 'lost' }),
        await rep.get(x.deals.unassigned.id),
      ];
      for (const response of attempts) {
        expect(response.status).toBe(404);
        expect(response.body).toEqual(NOT_FOUND_ERROR);
      }
      expect(await versionOf(x.tenant, id)).toEqual(before);
    });

    it('lets a manager open any deal of the team by id', async () => {
      for (const deal of Object.values(x.deals)) {
        expect((await manager.get(deal.id)).body).toMatchObject({ id: deal.id, owner_id: deal.owner_id });
      }
    });
  });

  describe('owners', () => {
    let x: Team;
    /** A new deal of the rep's, due today, so that each test changes its own. */
    let deal: OpportunityDto;

    beforeAll(async () => {
      x = await team();
    });
    beforeEach(async () => {
      deal = await created(apiFor(t, x.tenant, x.rep), { name: 'Rep deal', next_action_at: DUE_TODAY });
    });

    async function reassignments(id: string): Promise<Body[]> {
      return t.dataSource.query(
        `SELECT actor_id, details, request_id FROM audit_events
          WHERE tenant_id = $1 AND action = 'opportunity.reassigned' AND target_id = $2`,
        [x.tenant, id],
      );
    }

    it("refuses a rep who creates a deal in a teammate's name", async () => {
      const name = `Not mine ${randomUUID()}`;
      const response = await apiFor(t, x.tenant, x.rep).create({ name, owner_id: x.teammate.id });
      expect(response.status).toBe(403);
      expect(response.body).toEqual({
        detail: 'Only managers and admins can create opportunities for someone else.',
        error_code: 'FORBIDDEN',
      });
      const rows = await t.dataSource.query(
        `SELECT 1 FROM opportunities WHERE tenant_id = $1 AND name = $2`,
        [x.tenant, name],
      );
      expect(rows).toEqual([]);
    });

    it('makes the caller the owner of a new deal unless told otherwise; a rep may name themselves', async () => {
      const rep = apiFor(t, x.tenant, x.rep);
      expect(deal.owner_id).toBe(x.rep.id);
      expect((await created(rep, { owner_id: x.rep.id.toUpperCase() })).owner_id).toBe(x.rep.id);
    });

    it("lets a manager create a deal for a member, which lands in that member's list", async () => {
      const handed = await created(apiFor(t, x.tenant, x.manager), {
        name: 'Handed over',
        owner_id: x.rep.id,
      });
      expect(handed.owner_id).toBe(x.rep.id);
      expect(ids(await apiFor(t, x.tenant, x.rep).list())).toContain(handed.id);
      expect(ids(await apiFor(t, x.tenant, x.manager).list())).not.toContain(handed.id);
    });

    it('refuses an owner who is not a member of the tenant, on create and on edit', async () => {
      const elsewhere = await t.createTenant();
      const manager = apiFor(t, x.tenant, x.manager);
      for (const ownerId of [t.ownerOf(elsewhere).id, randomUUID()]) {
        expect(await manager.create({ owner_id: ownerId })).toMatchObject({
          status: 400,
          body: NOT_A_MEMBER,
        });
        expect(await manager.patch(deal.id, { owner_id: ownerId })).toMatchObject({
          status: 400,
          body: NOT_A_MEMBER,
        });
      }
      expect(await versionOf(x.tenant, deal.id)).toEqual({ version: 1, owner_id: x.rep.id });
    });

    it("moves a deal from one rep's list to another's when a manager reassigns it, and audits it", async () => {
      const requestId = `reassign-${randomUUID()}`;
      const response = await apiFor(t, x.tenant, x.manager)
        .patch(deal.id, { owner_id: x.teammate.id, expected_version: 1 })
        .set('X-Request-ID', requestId);

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: deal.id, owner_id: x.teammate.id, version: 2 });
      expect(ids(await apiFor(t, x.tenant, x.rep).due())).not.toContain(deal.id);
      expect(ids(await apiFor(t, x.tenant, x.teammate).due())).toContain(deal.id);
      const audit = await t.http().get(AUDIT).set(t.headersFor(x.tenant));
      expect(audit.body).toContainEqual({
        id: expect.any(String),
        at: expect.any(String),
        action: 'opportunity.reassigned',
        actor_id: x.manager.id,
        actor_name: 'Test manager',
        target_type: 'opportunity',
        target_id: deal.id,
        details: { from_owner_id: x.rep.id, to_owner_id: x.teammate.id },
        request_id: requestId,
      });
    });

    it('records the reassignment whatever the letter case of the new owner id', async () => {
      const response = await apiFor(t, x.tenant, x.manager).patch(deal.id, {
        owner_id: x.teammate.id.toUpperCase(),
      });
      expect(response.status).toBe(200);
      expect(response.body.owner_id).toBe(x.teammate.id);
      expect(await reassignments(deal.id)).toEqual([
        {
          actor_id: x.manager.id,
          details: { from_owner_id: x.rep.id, to_owner_id: x.teammate.id },
          request_id: expect.any(String),
        },
      ]);
    });

    it('lets a manager give an unassigned deal an owner', async () => {
      const response = await apiFor(t, x.tenant, x.manager).patch(x.deals.unassigned.id, {
        owner_id: x.teammate.id,
      });
      expect(response.status).toBe(200);
      expect(ids(await apiFor(t, x.tenant, x.teammate).list())).toContain(x.deals.unassigned.id);
      expect(await reassignments(x.deals.unassigned.id)).toEqual([
        expect.objectContaining({ details: { from_owner_id: null, to_owner_id: x.teammate.id } }),
      ]);
    });

    it('refuses a rep who reassigns their own deal, and changes nothing', async () => {
      const response = await apiFor(t, x.tenant, x.rep).patch(deal.id, {
        owner_id: x.teammate.id,
        name: 'Renamed on the way out',
      });
      expect(response.status).toBe(403);
      expect(response.body).toEqual({
        detail: 'Only managers and admins can reassign opportunities.',
        error_code: 'FORBIDDEN',
      });
      expect(await versionOf(x.tenant, deal.id)).toEqual({ version: 1, owner_id: x.rep.id });
      expect((await apiFor(t, x.tenant, x.rep).get(deal.id)).body.name).toBe('Rep deal');
      expect(await reassignments(deal.id)).toEqual([]);
    });

    it('lets a rep name themselves as the owner of their own deal (nothing to reassign)', async () => {
      const response = await apiFor(t, x.tenant, x.rep).patch(deal.id, { owner_id: x.rep.id.toUpperCase() });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ owner_id: x.rep.id, version: 1 });
      expect(await reassignments(deal.id)).toEqual([]);
    });
  });

  describe('GET /tenants', () => {
    it("lists only the caller's tenants, by name, with the role in each", async () => {
      const zulu = await t.createTenant({ name: 'Zulu Team', timezone: 'Europe/Berlin', currency: 'EUR' });
      const alpha = await t.createTenant({ name: 'Alpha Team' });
      await t.createTenant({ name: 'Another Team' });
      const user = await t.addMember(alpha, 'rep');
      await t.addMember(zulu, 'manager', { email: user.email });

      const response = await t.http().get('/api/v1/tenants').set('Authorization', `Bearer ${user.token}`);

      expect(response.status).toBe(200);
      expect(response.body).toEqual([
        { id: alpha, name: 'Alpha Team', timezone: 'UTC', currency: 'USD', role: 'rep' },
        { id: zulu, name: 'Zulu Team', timezone: 'Europe/Berlin', currency: 'EUR', role: 'manager' },
      ]);
    });
  });

  describe('the audit log', () => {
    let x: Team;

    beforeAll(async () => {
      x = await team();
    });

    const audit = (tenant: string, user: TestUser, query: Record<string, string | number> = {}) =>
      t.http().get(AUDIT).set(t.headersFor(tenant, user)).query(query);

    it('shows admins sign-ins, membership changes, completions and reassignments, with actor and request id', async () => {
      const rid = (what: string) => `${what}-${randomUUID()}`;
      const expected: Partial<AuditEvent>[] = [];
      const expect_ = (event: Partial<AuditEvent>) => expected.push(event);

      const signIn = rid('sign-in');
      await t
        .http()
        .post('/api/v1/auth/login')
        .set('X-Request-ID', signIn)
        .send({ email: x.admin.email, password: TEST_PASSWORD })
        .expect(200);
      expect_({
        action: 'user.signed_in',
        actor_id: x.admin.id,
        target_type: 'user',
        target_id: x.admin.id,
        request_id: signIn,
      });

      const membersAs = (user: TestUser, requestId: string) => ({
        ...t.headersFor(x.tenant, user),
        'X-Request-ID': requestId,
      });
      const added = rid('add');
      const newcomer = `newcomer-${randomUUID()}@example.test`;
      const addResponse = await t
        .http()
        .post('/api/v1/memberships')
        .set(membersAs(x.admin, added))
        .send({ email: newcomer, role: 'rep', name: 'Newcomer' })
        .expect(201);
      const newcomerId: string = addResponse.body.membership.user_id;
      expect_({
        action: 'membership.added',
        actor_id: x.admin.id,
        target_type: 'user',
        target_id: newcomerId,
        details: { role: 'rep', invited: true },
        request_id: added,
      });

      const promoted = rid('promote');
      await t
        .http()
        .patch(`/api/v1/memberships/${newcomerId}`)
        .set(membersAs(x.admin, promoted))
        .send({ role: 'manager' })
        .expect(200);
      expect_({
        action: 'membership.role_changed',
        actor_id: x.admin.id,
        target_id: newcomerId,
        details: { from: 'rep', to: 'manager' },
        request_id: promoted,
      });

      const completed = rid('complete');
      await apiFor(t, x.tenant, x.rep)
        .complete(x.deals.rep.id, { new_next_action_at: NEXT_WEEK, new_next_action_details: 'Demo' })
        .set('X-Request-ID', completed)
        .expect(200);
      expect_({
        action: 'opportunity.action_completed',
        actor_id: x.rep.id,
        actor_name: 'Test rep',
        target_type: 'opportunity',
        target_id: x.deals.rep.id,
        details: { next_action_at: NEXT_WEEK },
        request_id: completed,
      });

      const reassigned = rid('reassign');
      await apiFor(t, x.tenant, x.manager)
        .patch(x.deals.teammate.id, { owner_id: x.rep.id })
        .set('X-Request-ID', reassigned)
        .expect(200);
      expect_({
        action: 'opportunity.reassigned',
        actor_id: x.manager.id,
        target_id: x.deals.teammate.id,
        details: { from_owner_id: x.teammate.id, to_owner_id: x.rep.id },
        request_id: reassigned,
      });

      const removed = rid('remove');
      await t.http().delete(`/api/v1/memberships/${newcomerId}`).set(membersAs(x.admin, removed)).expect(204);
      expect_({
        action: 'membership.removed',
        actor_id: x.admin.id,
        actor_name: 'Test admin',
        target_id: newcomerId,
        details: { role: 'manager' },
        request_id: removed,
      });

      const response = await audit(x.tenant, x.admin);
      expect(response.status).toBe(200);
      const events = response.body as AuditEvent[];
      const ours = events.filter((event) => expected.some((e) => e.request_id === event.request_id));
      expect(ours).toEqual(expected.reverse().map((event): unknown => expect.objectContaining(event)));
      for (const event of events) {
        expect(Object.keys(event).sort()).toEqual([
          'action',
          'actor_id',
          'actor_name',
          'at',
          'details',
          'id',
          'request_id',
          'target_id',
          'target_type',
        ]);
      }
    });

    it('lists the newest first and pages it with the Link header, without gaps or repeats', async () => {
      for (let i = 0; i < 3; i += 1) await t.signIn(x.admin.email);
      const whole = (await audit(x.tenant, x.admin)).body as AuditEvent[];
      expect(whole.length).toBeGreaterThanOrEqual(7);
      const instants = whole.map((event) => event.at);
      expect(instants).toEqual([...instants].sort().reverse());

      const paged: AuditEvent[] = [];
      let response = await audit(x.tenant, x.admin, { limit: 2 });
      for (let pages = 1; ; pages += 1) {
        expect(response.status).toBe(200);
        paged.push(...(response.body as AuditEvent[]));
        const link = nextLink(response);
        if (!link) break;
        expect(link).toMatch(/^\/api\/v1\/audit\?limit=2&cursor=/);
        expect(pages).toBeLessThan(20);
        response = await audit(x.tenant, x.admin, { limit: 2, cursor: cursorOf(link) });
      }
      expect(paged.map((event) => event.id)).toEqual(whole.map((event) => event.id));
    });

    it('answers 403 FORBIDDEN to managers and reps', async () => {
      for (const user of [x.manager, x.rep]) {
        const response = await audit(x.tenant, user);
        expect(response.status).toBe(403);
        expect(response.body).toEqual(ADMINS_ONLY);
      }
    });
  });
});
