import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import type { ErrorBody } from '../src/common/errors/api-error';
import type { CompleteActionResponseDto } from '../src/opportunities/dto/complete-action.dto';
import type { OpportunityDto } from '../src/opportunities/dto/opportunity.dto';
import { createTestApp, type TestApp } from './support/test-app';

// The token of a member of another tenant, with that tenant's header swapped in, is the classic IDOR:
// the isolation matrix (isolation.e2e-spec.ts) covers every endpoint of the spec that way.

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

const RESCHEDULE = { new_next_action_at: '2026-07-21T09:00:00Z', reason: 'The buyer is away' };
const REOPEN = {
  stage: 'Qualification',
  next_action_at: '2026-07-22T09:00:00Z',
  next_action_details: 'Call the new buyer',
};

type Body = Record<string, unknown>;

interface Route {
  name: string;
  /** `id` is the opportunity a route about one opportunity addresses. */
  send(t: TestApp, id: string, headers: Record<string, string>): Promise<Response>;
  /** What the opportunity must have gone through for the route to succeed on it (reopen needs a closed one). */
  prepare?(t: TestApp, id: string, tenant: string): Promise<void>;
}

function route(
  name: string,
  method: 'get' | 'post' | 'patch',
  path: (id: string) => string,
  body?: Body | ((id: string) => Body),
  prepare?: Route['prepare'],
): Route {
  return {
    name,
    prepare,
    send: (t, id, headers) => {
      const payload = typeof body === 'function' ? body(id) : body;
      const request =
        method === 'get'
          ? t.http().get(path(id)).set(headers)
          : method === 'patch'
            ? t.http().patch(path(id)).set(headers).send(payload)
            : t.http().post(path(id)).set(headers).send(payload);
      return request;
    },
  };
}

async function closeAsLost(t: TestApp, id: string, tenant: string): Promise<void> {
  await t
    .http()
    .post(`${OPPORTUNITIES}/${id}/close`)
    .set(t.headersFor(tenant))
    .send({ outcome: 'lost' })
    .expect(200);
}

const TENANT_SCOPED_ROUTES: Route[] = [
  route('GET /opportunities/due', 'get', () => `${OPPORTUNITIES}/due`),
  route('GET /opportunities/due/summary', 'get', () => `${OPPORTUNITIES}/due/summary`),
  route('GET /opportunities', 'get', () => OPPORTUNITIES),
  route('POST /opportunities', 'post', () => OPPORTUNITIES, NEW_OPPORTUNITY),
  route('GET /opportunities/{id}', 'get', (id) => `${OPPORTUNITIES}/${id}`),
  route('PATCH /opportunities/{id}', 'patch', (id) => `${OPPORTUNITIES}/${id}`, { value: 13000 }),
  route('GET /opportunities/{id}/actions', 'get', (id) => `${OPPORTUNITIES}/${id}/actions`),
  route(
    'POST /opportunities/{id}/complete_action',
    'post',
    (id) => `${OPPORTUNITIES}/${id}/complete_action`,
    COMPLETION,
  ),
  route(
    'POST /opportunities/{id}/reschedule',
    'post',
    (id) => `${OPPORTUNITIES}/${id}/reschedule`,
    RESCHEDULE,
  ),
  route('POST /opportunities/{id}/close', 'post', (id) => `${OPPORTUNITIES}/${id}/close`, { outcome: 'won' }),
  route(
    'POST /opportunities/{id}/reopen',
    'post',
    (id) => `${OPPORTUNITIES}/${id}/reopen`,
    REOPEN,
    closeAsLost,
  ),
  route(
    'POST /opportunities/bulk/complete',
    'post',
    () => `${OPPORTUNITIES}/bulk/complete`,
    (id) => ({
      items: [{ id }],
      shared: COMPLETION,
    }),
  ),
  route(
    'POST /opportunities/bulk/reschedule',
    'post',
    () => `${OPPORTUNITIES}/bulk/reschedule`,
    (id) => ({
      items: [{ id }],
      shared: RESCHEDULE,
    }),
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
    const response = await t.http().post(OPPORTUNITIES).set(t.headersFor(tenant)).send(body);
    expect(response.status).toBe(201);
    return response.body as OpportunityDto;
  }

  async function eventTypes(tenant: string, opportunityId: string): Promise<string[]> {
    const rows = await t.dataSource.query<{ type: string }[]>(
      `SELECT type FROM opportunity_actions WHERE tenant_id = $1 AND opportunity_id = $2 ORDER BY type`,
      [tenant, opportunityId],
    );
    return rows.map((row) => row.type);
  }

  describe.each(TENANT_SCOPED_ROUTES)('the sign-in and X-Tenant-ID checks on $name', (scoped) => {
    let home: string;
    let bearer: Record<string, string>;

    beforeAll(async () => {
      home = await t.createTenant();
      bearer = { Authorization: `Bearer ${t.ownerOf(home).token}` };
    });

    it('answers 401 UNAUTHENTICATED without an access token, even with a valid tenant header', async () => {
      const response = await scoped.send(t, randomUUID(), { 'X-Tenant-ID': home });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({
        detail: 'Sign in first: the Authorization header needs a valid Bearer access token.',
        error_code: 'UNAUTHENTICATED',
      });
    });

    it.each([
      ['absent', undefined],
      ['empty', ''],
      ['only spaces', '   '],
    ])('answers 400 TENANT_ID_MISSING when the header is %s', async (_case, header) => {
      const headers = header === undefined ? bearer : { ...bearer, 'X-Tenant-ID': header };
      const response = await scoped.send(t, randomUUID(), headers);
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
      const response = await scoped.send(t, randomUUID(), { ...bearer, 'X-Tenant-ID': header });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ detail: INVALID_TENANT_DETAIL, error_code: 'TENANT_ID_INVALID' });
    });

    it.each([
      ['a well-formed unknown id', () => `no-such-tenant-${randomUUID().slice(0, 8)}`],
      ['an unknown id of the maximum 63 characters', () => 'z'.repeat(63)],
      ['a tenant that exists but is not the caller’s', () => otherTenant],
    ])('answers 403 TENANT_ACCESS_DENIED, the same for every case, for %s', async (_case, header) => {
      const tenant = header();
      const response = await scoped.send(t, randomUUID(), { ...bearer, 'X-Tenant-ID': tenant });
      expect(response.status).toBe(403);
      expect(response.body).toEqual({
        detail: `You are not a member of tenant ${tenant}.`,
        error_code: 'TENANT_ACCESS_DENIED',
      });
    });

    it('answers 2xx for the same request with a tenant of the caller', async () => {
      const opportunity = await createOpportunity(home, NEW_OPPORTUNITY);
      await scoped.prepare?.(t, opportunity.id, home);
      const response = await scoped.send(t, opportunity.id, t.headersFor(home));
      expect([200, 201]).toContain(response.status);
    });
  });

  let otherTenant: string;
  beforeAll(async () => {
    otherTenant = await t.createTenant({ name: 'Someone Else' });
  });

  it('checks the token, then the tenant, before the body or the path id', async () => {
    const unauthenticated = await t.http().post(OPPORTUNITIES).set('X-Tenant-ID', 'no-such-tenant').send({});
    expect((unauthenticated.body as ErrorBody).error_code).toBe('UNAUTHENTICATED');
    const home = await t.createTenant();
    const bearer = { Authorization: `Bearer ${t.ownerOf(home).token}` };
    const invalidBody = await t.http().post(OPPORTUNITIES).set(bearer).send({ name: '' });
    expect((invalidBody.body as ErrorBody).error_code).toBe('TENANT_ID_MISSING');
    const invalidId = await t
      .http()
      .get(`${OPPORTUNITIES}/not-a-uuid`)
      .set({ ...bearer, 'X-Tenant-ID': 'no-such-tenant' });
    expect((invalidId.body as ErrorBody).error_code).toBe('TENANT_ACCESS_DENIED');
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
        .set(t.headersFor(tenantA))
        .send({ ...COMPLETION, new_next_action_at: '2026-07-15T11:00:00.000Z', notes: 'Initech notes' })
        .expect(200);
      secretSnapshot = (completed.body as CompleteActionResponseDto).opportunity;
      ownOfB = await createOpportunity(tenantB, { ...NEW_OPPORTUNITY, value: 10 });
    });

    beforeEach(() => t.clock.set('2026-07-15T10:00:00.000Z'));

    afterEach(async () => {
      const fetched = await t.http().get(`${OPPORTUNITIES}/${secret.id}`).set(t.headersFor(tenantA));
      expect(fetched.body).toEqual(secretSnapshot);
      expect(await eventTypes(tenantA, secret.id)).toEqual(['completed', 'created']);
      expect(await eventTypes(tenantB, secret.id)).toEqual([]);
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
      [
        'editing',
        (id: string) =>
          t
            .http()
            .patch(`${OPPORTUNITIES}/${id}`)
            .send({ name: 'Renamed', stage: 'Proposal', expected_version: secretSnapshot.version }),
      ],
      ['rescheduling', (id: string) => t.http().post(`${OPPORTUNITIES}/${id}/reschedule`).send(RESCHEDULE)],
      ['closing', (id: string) => t.http().post(`${OPPORTUNITIES}/${id}/close`).send({ outcome: 'lost' })],
      ['reopening', (id: string) => t.http().post(`${OPPORTUNITIES}/${id}/reopen`).send(REOPEN)],
    ])(
      "answers %s another tenant's opportunity exactly like a missing one and reveals nothing",
      async (_action, send) => {
        const foreign = await send(secret.id).set(t.headersFor(tenantB));
        const missing = await send(randomUUID()).set(t.headersFor(tenantB));
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
        const due = await t.http().get(`${OPPORTUNITIES}/due`).set(t.headersFor(tenantB)).query(query);
        expect((due.body as OpportunityDto[]).map((o) => o.id)).toEqual([ownOfB.id]);
        expectNothingOf(due);
        const summary = await t
          .http()
          .get(`${OPPORTUNITIES}/due/summary`)
          .set(t.headersFor(tenantB))
          .query(query);
        expect(summary.body).toEqual({
          overdue_count: 1,
          due_today_count: 0,
          due_value_total: 10,
          pipeline_value_open: 10,
          rescheduled_count: 0,
        });
      }
    });

    it.each([
      ['complete', { shared: COMPLETION }],
      ['reschedule', { shared: RESCHEDULE }],
    ])(
      "answers a bulk %s item of another tenant's opportunity exactly like a missing one",
      async (operation, body) => {
        const missing = randomUUID();
        const response = await t
          .http()
          .post(`${OPPORTUNITIES}/bulk/${operation}`)
          .set(t.headersFor(tenantB))
          .send({ ...body, items: [{ id: secret.id }, { id: missing }] });
        expect(response.status).toBe(207);
        const notFound = {
          status: 404,
          error: { detail: 'Opportunity not found or access denied', error_code: 'OPPORTUNITY_NOT_FOUND' },
        };
        expect(response.body).toEqual({
          succeeded: 0,
          failed: 2,
          results: [
            { id: secret.id, ...notFound },
            { id: missing, ...notFound },
          ],
        });
      },
    );

    it("never lists another tenant's rows in the list of all opportunities, whatever the filter", async () => {
      for (const query of [
        {},
        { status: 'all' },
        { q: 'Initech' },
        { stage: 'Negotiation', status: 'all' },
      ]) {
        const list = await t.http().get(OPPORTUNITIES).set(t.headersFor(tenantB)).query(query);
        expect(list.status).toBe(200);
        const expected = 'q' in query || 'stage' in query ? [] : [ownOfB.id];
        expect((list.body as OpportunityDto[]).map((o) => o.id)).toEqual(expected);
        expectNothingOf(list);
      }
    });

    it("reveals none of another tenant's rows through a cursor taken from its list", async () => {
      const pageOfA = await t
        .http()
        .get(`${OPPORTUNITIES}/due`)
        .set(t.headersFor(tenantA))
        .query({ limit: 1 });
      const link = pageOfA.get('Link');
      const match = /^<([^>]+)>; rel="next"$/.exec(link ?? '');
      expect(match).not.toBeNull();
      const cursor = new URL(match?.[1] ?? '', 'http://localhost').searchParams.get('cursor') ?? '';

      const due = await t
        .http()
        .get(`${OPPORTUNITIES}/due`)
        .set(t.headersFor(tenantB))
        .query({ cursor, from: '2000-01-01T00:00:00Z', until: '2100-01-01T00:00:00Z' });
      expect(due.status).toBe(200);
      expect((due.body as OpportunityDto[]).every((o) => o.id === ownOfB.id)).toBe(true);
      expectNothingOf(due);
    });

    it('describes only the tenant of the header', async () => {
      const current = await t.http().get('/api/v1/tenants/current').set(t.headersFor(tenantB));
      expect(current.body).toEqual({
        id: tenantB,
        name: 'Team B',
        timezone: 'UTC',
        currency: 'USD',
        role: 'admin',
      });
    });
  });
});
