import { DEMO_PASSWORD, DEMO_USERS } from '../src/database/seed/demo-data';
import { seedDemoData } from '../src/database/seed/seed';
import type { DueSummaryDto } from '../src/opportunities/dto/due-summary.dto';
import type { OpportunityEventDto } from '../src/opportunities/dto/opportunity-event.dto';
import type { OpportunityDto } from '../src/opportunities/dto/opportunity.dto';
import { createTestApp, type TestApp } from './support/test-app';

// The only file that seeds: the demo tenants have fixed ids in the database the e2e files share.
const DEMO_TENANT_IDS = ['demo-tenant-1', 'demo-tenant-2'];

interface DueMix {
  tenant_id: string;
  total: number;
  overdue: number;
  due_today: number;
  future: number;
}

describe('the demo data seed', () => {
  let t: TestApp;
  let firstRun: { tenants: number; opportunities: number; usersCreated: number };
  let manager: Record<string, string>;

  beforeAll(async () => {
    t = await createTestApp();
    firstRun = await seedDemoData(t.dataSource);
    const token = await t.signIn('manager@demo-tenant-1.test', DEMO_PASSWORD);
    manager = { 'X-Tenant-ID': 'demo-tenant-1', Authorization: `Bearer ${token}` };
  });
  afterAll(() => t.close());

  /** Everything the seed wrote, so a second run can be compared with it row by row. */
  async function snapshot(): Promise<unknown> {
    return t.dataSource.query<unknown[]>(
      `SELECT t.id, t.name, t.timezone, t.currency,
              (SELECT json_agg(o ORDER BY o.id) FROM opportunities o WHERE o.tenant_id = t.id) AS opportunities,
              (SELECT json_agg(a ORDER BY a.id) FROM opportunity_actions a WHERE a.tenant_id = t.id) AS actions
       FROM tenants t WHERE t.id = ANY($1) ORDER BY t.id`,
      [DEMO_TENANT_IDS],
    );
  }

  it('creates demo-tenant-1 "Demo Sales Team" and demo-tenant-2', async () => {
    const tenants = await t.dataSource.query<{ id: string; name: string }[]>(
      `SELECT id, name FROM tenants WHERE id = ANY($1) ORDER BY id`,
      [DEMO_TENANT_IDS],
    );
    expect(tenants.map((tenant) => tenant.id)).toEqual(DEMO_TENANT_IDS);
    expect(tenants[0].name).toBe('Demo Sales Team');
    const current = await t.http().get('/api/v1/tenants/current').set(manager);
    expect(current.body).toMatchObject({ id: 'demo-tenant-1', name: 'Demo Sales Team' });
  });

  it('reports how many opportunities it created', async () => {
    const [row] = await t.dataSource.query<{ count: string }[]>(
      `SELECT count(*) FROM opportunities WHERE tenant_id = ANY($1)`,
      [DEMO_TENANT_IDS],
    );
    expect(firstRun).toEqual({
      tenants: 2,
      opportunities: Number(row.count),
      usersCreated: DEMO_USERS.length,
    });
  });

  it('creates the demo accounts with their roles, each able to sign in with the demo password', async () => {
    const members = await t.dataSource.query<{ email: string; tenant_id: string; role: string }[]>(
      `SELECT u.email, m.tenant_id, m.role FROM users u JOIN memberships m ON m.user_id = u.id
        WHERE m.tenant_id = ANY($1) ORDER BY u.email, m.tenant_id`,
      [DEMO_TENANT_IDS],
    );
    expect(members).toEqual([
      { email: 'admin@demo-tenant-1.test', tenant_id: 'demo-tenant-1', role: 'admin' },
      { email: 'manager@demo-tenant-1.test', tenant_id: 'demo-tenant-1', role: 'manager' },
      { email: 'manager@demo-tenant-1.test', tenant_id: 'demo-tenant-2', role: 'manager' },
      { email: 'rep@demo-tenant-1.test', tenant_id: 'demo-tenant-1', role: 'rep' },
      { email: 'rep@demo-tenant-2.test', tenant_id: 'demo-tenant-2', role: 'rep' },
    ]);
    for (const user of DEMO_USERS)
      await expect(t.signIn(user.email, DEMO_PASSWORD)).resolves.toEqual(expect.any(String));
  });

  it('spreads the demo deals over the reps and the manager, so each sees a due list of their own', async () => {
    const owners = await t.dataSource.query<{ tenant_id: string; email: string; deals: number }[]>(
      `SELECT o.tenant_id, u.email, count(*)::int AS deals FROM opportunities o JOIN users u ON u.id = o.owner_id
        WHERE o.tenant_id = ANY($1) GROUP BY 1, 2 ORDER BY 1, 2`,
      [DEMO_TENANT_IDS],
    );
    expect(owners.map(({ tenant_id, email }) => `${tenant_id} ${email}`)).toEqual([
      'demo-tenant-1 manager@demo-tenant-1.test',
      'demo-tenant-1 rep@demo-tenant-1.test',
      'demo-tenant-2 manager@demo-tenant-1.test',
      'demo-tenant-2 rep@demo-tenant-2.test',
    ]);
    const repToken = await t.signIn('rep@demo-tenant-1.test', DEMO_PASSWORD);
    const mine = await t
      .http()
      .get('/api/v1/opportunities/due')
      .set({ 'X-Tenant-ID': 'demo-tenant-1', Authorization: `Bearer ${repToken}` });
    expect(mine.status).toBe(200);
    expect((mine.body as OpportunityDto[]).length).toBeGreaterThan(0);
  });

  it('gives each demo tenant at least 12 opportunities, overdue, due later today and in the future in its own zone', async () => {
    const rows = await t.dataSource.query<DueMix[]>(
      `WITH bounds AS (
         SELECT id, (date_trunc('day', now() AT TIME ZONE timezone) + interval '1 day') AT TIME ZONE timezone AS end_of_today
         FROM tenants WHERE id = ANY($1)
       )
       SELECT o.tenant_id,
              count(*)::int AS total,
              count(*) FILTER (WHERE o.next_action_at < now())::int AS overdue,
              count(*) FILTER (WHERE o.next_action_at >= now() AND o.next_action_at < b.end_of_today)::int AS due_today,
              count(*) FILTER (WHERE o.next_action_at >= b.end_of_today)::int AS future
       FROM opportunities o JOIN bounds b ON b.id = o.tenant_id
       GROUP BY o.tenant_id ORDER BY o.tenant_id`,
      [DEMO_TENANT_IDS],
    );
    expect(rows.map((row) => row.tenant_id)).toEqual(DEMO_TENANT_IDS);
    for (const row of rows) {
      expect(row.total).toBeGreaterThanOrEqual(12);
      expect(row.overdue).toBeGreaterThan(0);
      expect(row.due_today).toBeGreaterThan(0);
      expect(row.future).toBeGreaterThan(0);
    }
  });

  it('includes "Acme Corp Deal" and "Enterprise Software Deal - $75,000" for demo-tenant-1', async () => {
    const rows = await t.dataSource.query<{ name: string }[]>(
      `SELECT name FROM opportunities WHERE tenant_id = 'demo-tenant-1' AND name = ANY($1) ORDER BY name`,
      [['Acme Corp Deal', 'Enterprise Software Deal - $75,000']],
    );
    expect(rows.map((row) => row.name)).toEqual(['Acme Corp Deal', 'Enterprise Software Deal - $75,000']);
  });

  it('gives every seeded opportunity a timeline that starts with created, lies in the past and counts its versions', async () => {
    const rows = await t.dataSource.query<
      { name: string; version: number; events: number; first: string; completed: number; latest: Date }[]
    >(
      `SELECT o.name, o.version, count(a.id)::int AS events,
              (array_agg(a.type ORDER BY a.occurred_at, a.id))[1] AS first,
              count(a.id) FILTER (WHERE a.type = 'completed')::int AS completed,
              max(a.occurred_at) AS latest
       FROM opportunities o
       LEFT JOIN opportunity_actions a ON a.tenant_id = o.tenant_id AND a.opportunity_id = o.id
       WHERE o.tenant_id = ANY($1) GROUP BY o.tenant_id, o.id`,
      [DEMO_TENANT_IDS],
    );
    expect(rows.some((row) => row.completed > 0)).toBe(true);
    for (const row of rows) {
      // Every change the API makes to a deal's next action writes one event and one version, creation included.
      expect({ name: row.name, version: row.version, first: row.first }).toEqual({
        name: row.name,
        version: row.events,
        first: 'created',
      });
      expect(row.latest.getTime()).toBeLessThan(Date.now());
    }
  });

  it('counts the pushes of each current action as the rescheduled events since its last completion', async () => {
    const rows = await t.dataSource.query<{ name: string; reschedule_count: number; pushes: number }[]>(
      `SELECT o.name, o.reschedule_count,
              (SELECT count(*)::int FROM opportunity_actions a
               WHERE a.tenant_id = o.tenant_id AND a.opportunity_id = o.id AND a.type = 'rescheduled'
                 AND a.occurred_at > coalesce((SELECT max(c.occurred_at) FROM opportunity_actions c
                                               WHERE c.tenant_id = o.tenant_id AND c.opportunity_id = o.id
                                                 AND c.type IN ('completed', 'reopened')), '-infinity')) AS pushes
       FROM opportunities o
       WHERE o.tenant_id = ANY($1) AND o.closed_at IS NULL`,
      [DEMO_TENANT_IDS],
    );
    expect(rows.some((row) => row.reschedule_count >= 2)).toBe(true);
    for (const row of rows) {
      expect({ name: row.name, reschedule_count: row.reschedule_count }).toEqual({
        name: row.name,
        reschedule_count: row.pushes,
      });
    }
  });

  it('shows deals closed won and lost, without a next action and out of the due list, and pushed deals', async () => {
    const get = (path: string, query: Record<string, string> = {}) =>
      t
        .http()
        .get(`/api/v1/opportunities${path}`)
        .set(manager)
        .query(path.endsWith('/actions') ? query : { scope: 'team', ...query });
    const won = (await get('', { status: 'won' })).body as OpportunityDto[];
    const lost = (await get('', { status: 'lost' })).body as OpportunityDto[];
    expect(won.length).toBeGreaterThan(0);
    expect(lost.length).toBeGreaterThan(0);
    for (const closed of [...won, ...lost]) {
      expect(closed).toMatchObject({ next_action_at: null, next_action_details: null, is_overdue: false });
      expect(closed.closed_at).not.toBeNull();
      const timeline = (await get(`/${closed.id}/actions`)).body as OpportunityEventDto[];
      expect(timeline[0]).toMatchObject({ type: 'closed', outcome: closed.status });
    }
    const due = (await get('/due', { from: '2000-01-01T00:00:00Z', until: '2100-01-01T00:00:00Z' }))
      .body as OpportunityDto[];
    const closedIds = new Set([...won, ...lost].map((closed) => closed.id));
    expect(due.filter((open) => closedIds.has(open.id))).toEqual([]);
    expect(((await get('/due/summary')).body as DueSummaryDto).rescheduled_count).toBeGreaterThan(0);
  });

  it('adds nothing and changes nothing when it runs a second time', async () => {
    const before = await snapshot();
    const secondRun = await seedDemoData(t.dataSource);
    expect(secondRun).toEqual({ tenants: 2, opportunities: 0, usersCreated: 0 });
    expect(await snapshot()).toEqual(before);
  });
});
