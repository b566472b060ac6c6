import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import type { ErrorBody } from '../src/common/errors/api-error';
import type { CompleteActionResponseDto } from '../src/opportunities/dto/complete-action.dto';
import type { OpportunityDto } from '../src/opportunities/dto/opportunity.dto';
import { createTestApp, type TestApp } from './support/test-app';

const NOW = '2026-07-15T12:00:00.000Z';
const OPPORTUNITIES = '/api/v1/opportunities';

const NEW_OPPORTUNITY = {
  name: 'Globex Renewal',
  value: 12000,
  stage: 'Prospecting',
  next_action_at: '2026-07-15T09:00:00Z',
  next_action_details: 'Call the buyer',
};
const COMPLETION = {
  new_next_action_at: '2026-07-20T09:00:00Z',
  new_next_action_details: 'Send the renewal quote',
};

interface Route {
  name: string;
  /** `id` is the opportunity a route about one opportunity addresses. */
  send(t: TestApp, id: string, tenantHeader: string | undefined): Promise<Response>;
}

function route(
  name: string,
  method: 'get' | 'post',
  path: (id: string) => string,
  body?: Record<string, unknown>,
): Route {
  return {
    name,
    send: (t, id, tenantHeader) => {
      const request = method === 'get' ? t.http().get(path(id)) : t.http().post(path(id)).send(body);
      return tenantHeader === undefined ? request : request.set('X-Tenant-ID', tenantHeader);
    },
  };
}

const TENANT_SCOPED_ROUTES: Route[] = [
  route('GET /opportunities/due', 'get', () => `${OPPORTUNITIES}/due`),
  route('GET /opportunities/due/summary', 'get', () => `${OPPORTUNITIES}/due/summary`),
  route('POST /opportunities', 'post', () => OPPORTUNITIES, NEW_OPPORTUNITY),
  route('GET /opportunities/{id}', 'get', (id) => `${OPPORTUNITIES}/${id}`),
  route('GET /opportunities/{id}/actions', 'get', (id) => `${OPPORTUNITIES}/${id}/actions`),
  route(
    'POST /opportunities/{id}/complete_action',
    'post',
    (id) => `${OPPORTUNITIES}/${id}/complete_action`,
    COMPLETION,
  ),
  route('GET /tenants/current', 'get', () => '/api/v1/tenants/current'),
];

const INVALID_TENANT_DETAIL =
  'The X-Tenant-ID header must be 2-63 lowercase letters, digits or hyphens, starting with a letter or digit.';

describe('tenancy', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(NOW);
  });
  afterAll(() => t.close());

  async function createOpportunity(tenant: string, body: Record<string, unknown>): Promise<OpportunityDto> {
    const response = await t.http().post(OPPORTUNITIES).set('X-Tenant-ID', tenant).send(body);
    expect(response.status).toBe(201);
    return response.body as OpportunityDto;
  }

  async function historyRows(tenant: string, opportunityId: string): Promise<number> {
    const [row] = await t.dataSource.query<{ count: string }[]>(
      `SELECT count(*) FROM opportunity_actions WHERE tenant_id = $1 AND opportunity_id = $2`,
      [tenant, opportunityId],
    );
    return Number(row.count);
  }

  describe.each(TENANT_SCOPED_ROUTES)('the X-Tenant-ID guard on $name', (scoped) => {
    it.each([
      ['absent', undefined],
      ['empty', ''],
      ['only spaces', '   '],
    ])('answers 400 TENANT_ID_MISSING when the header is %s', async (_case, header) => {
      const response = await scoped.send(t, randomUUID(), header);
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        detail: 'The X-Tenant-ID header is required.',
        error_code: 'TENANT_ID_MISSING',
      });
    });

    it.each([
      ['uppercase', 'Demo-Tenant-1'],
      ['one character', 'a'],
      ['64 characters', 'a'.repeat(64)],
      ['containing a space', 'demo tenant'],
      ['starting with a hyphen', '-demo-tenant'],
      ['containing an underscore', 'demo_tenant'],
    ])('answers 400 TENANT_ID_INVALID when the header is %s', async (_case, header) => {
      const response = await scoped.send(t, randomUUID(), header);
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ detail: INVALID_TENANT_DETAIL, error_code: 'TENANT_ID_INVALID' });
    });

    it.each([
      ['a well-formed unknown id', `no-such-tenant-${randomUUID().slice(0, 8)}`],
      ['an unknown id of the maximum 63 characters', 'z'.repeat(63)],
    ])('answers 404 TENANT_NOT_FOUND for %s', async (_case, header) => {
      const response = await scoped.send(t, randomUUID(), header);
      expect(response.status).toBe(404);
      expect(response.body).toEqual({
        detail: `Tenant ${header} not found.`,
        error_code: 'TENANT_NOT_FOUND',
      });
    });

    it('answers 2xx for the same request with a known tenant', async () => {
      const tenant = await t.createTenant();
      const opportunity = await createOpportunity(tenant, NEW_OPPORTUNITY);
      const response = await scoped.send(t, opportunity.id, tenant);
      expect([200, 201]).toContain(response.status);
    });
  });

  it('checks the tenant before the body or the path id', async () => {
    const invalidBody = await t.http().post(OPPORTUNITIES).send({ name: '' });
    expect((invalidBody.body as ErrorBody).error_code).toBe('TENANT_ID_MISSING');
    const invalidId = await t.http().get(`${OPPORTUNITIES}/not-a-uuid`).set('X-Tenant-ID', 'no-such-tenant');
    expect((invalidId.body as ErrorBody).error_code).toBe('TENANT_NOT_FOUND');
  });

  describe("another tenant's data", () => {
    const SECRET = {
      name: 'Initech Secret Merger',
      value: 987654.32,
      stage: 'Negotiation',
      next_action_at: '2026-07-14T08:00:00Z',
      next_action_details: 'Call the Initech CFO about the merger',
    };
    let tenantA: string;
    let tenantB: string;
    let secret: OpportunityDto;
    let secretSnapshot: OpportunityDto;
    let ownOfB: OpportunityDto;

    beforeAll(async () => {
      tenantA = await t.createTenant({ name: 'Team A' });
      tenantB = await t.createTenant({ name: 'Team B' });
      t.clock.set('2026-07-15T10:00:00.000Z');
      secret = await createOpportunity(tenantA, SECRET);
      await createOpportunity(tenantA, { ...SECRET, name: 'Initech Second Deal' });
      const completed = await t
        .http()
        .post(`${OPPORTUNITIES}/${secret.id}/complete_action`)
        .set('X-Tenant-ID', tenantA)
        .send({ ...COMPLETION, new_next_action_at: '2026-07-15T11:00:00.000Z', notes: 'Initech notes' })
        .expect(200);
      secretSnapshot = (completed.body as CompleteActionResponseDto).opportunity;
      ownOfB = await createOpportunity(tenantB, { ...NEW_OPPORTUNITY, value: 10 });
    });

    beforeEach(() => t.clock.set('2026-07-15T10:00:00.000Z'));

    afterEach(async () => {
      const fetched = await t.http().get(`${OPPORTUNITIES}/${secret.id}`).set('X-Tenant-ID', tenantA);
      expect(fetched.body).toEqual(secretSnapshot);
      expect(await historyRows(tenantA, secret.id)).toBe(1);
      expect(await historyRows(tenantB, secret.id)).toBe(0);
    });

    function expectNothingOf(response: Response): void {
      for (const revealing of [secret.id, SECRET.name, SECRET.next_action_details, 'Initech', tenantA]) {
        expect(response.text).not.toContain(revealing);
      }
    }

    it.each([
      ['reading', (id: string) => t.http().get(`${OPPORTUNITIES}/${id}`)],
      ['reading the history of', (id: string) => t.http().get(`${OPPORTUNITIES}/${id}/actions`)],
      [
        'completing',
        (id: string) => t.http().post(`${OPPORTUNITIES}/${id}/complete_action`).send(COMPLETION),
      ],
      [
        'completing with the right expected_version',
        (id: string) =>
          t
            .http()
            .post(`${OPPORTUNITIES}/${id}/complete_action`)
            .send({ ...COMPLETION, expected_version: secretSnapshot.version }),
      ],
    ])(
      "answers %s another tenant's opportunity exactly like a missing one and reveals nothing",
      async (_action, send) => {
        const foreign = await send(secret.id).set('X-Tenant-ID', tenantB);
        const missing = await send(randomUUID()).set('X-Tenant-ID', tenantB);
        expect(foreign.status).toBe(404);
        expect(foreign.body).toEqual({
          detail: 'Opportunity not found or access denied',
          error_code: 'OPPORTUNITY_NOT_FOUND',
        });
        expect(foreign.status).toBe(missing.status);
        expect(foreign.body).toEqual(missing.body);
        expectNothingOf(foreign);
      },
    );

    it("never lists another tenant's rows in the due list or its summary", async () => {
      const wide = { from: '2000-01-01T00:00:00Z', until: '2100-01-01T00:00:00Z' };
      for (const query of [{}, wide]) {
        const due = await t.http().get(`${OPPORTUNITIES}/due`).set('X-Tenant-ID', tenantB).query(query);
        expect((due.body as OpportunityDto[]).map((o) => o.id)).toEqual([ownOfB.id]);
        expectNothingOf(due);
        const summary = await t
          .http()
          .get(`${OPPORTUNITIES}/due/summary`)
          .set('X-Tenant-ID', tenantB)
          .query(query);
        expect(summary.body).toEqual({ overdue_count: 1, due_today_count: 0, due_value_total: 10 });
      }
    });

    it("reveals none of another tenant's rows through a cursor taken from its list", async () => {
      const pageOfA = await t
        .http()
        .get(`${OPPORTUNITIES}/due`)
        .set('X-Tenant-ID', tenantA)
        .query({ limit: 1 });
      const link = pageOfA.get('Link');
      const match = /^<([^>]+)>; rel="next"$/.exec(link ?? '');
      expect(match).not.toBeNull();
      const cursor = new URL(match?.[1] ?? '', 'http://localhost').searchParams.get('cursor') ?? '';

      const due = await t
        .http()
        .get(`${OPPORTUNITIES}/due`)
        .set('X-Tenant-ID', tenantB)
        .query({ cursor, from: '2000-01-01T00:00:00Z', until: '2100-01-01T00:00:00Z' });
      expect(due.status).toBe(200);
      expect((due.body as OpportunityDto[]).every((o) => o.id === ownOfB.id)).toBe(true);
      expectNothingOf(due);
    });

    it('describes only the tenant of the header', async () => {
      const current = await t.http().get('/api/v1/tenants/current').set('X-Tenant-ID', tenantB);
      expect(current.body).toEqual({ id: tenantB, name: 'Team B', timezone: 'UTC', currency: 'USD' });
    });
  });
});
