import { createTestApp, type TestApp } from './support/test-app';

const NOW = '2026-11-26T15:00:00.000Z';
const AN_HOUR_EARLIER = '2026-11-26T14:00:00.000Z';

describe('the next-action contract', () => {
  let t: TestApp;
  let tenant: string;

  beforeAll(async () => {
    t = await createTestApp(NOW);
    tenant = await t.createTenant({ timezone: 'UTC' });
  });
  beforeEach(() => t.clock.set(NOW));
  afterAll(() => t.close());

  const create = (body: Record<string, unknown>) =>
    t
      .http()
      .post('/api/v1/opportunities')
      .set(t.headersFor(tenant))
      .send({
        name: 'Acme Corp Deal',
        value: 50000,
        stage: 'Proposal',
        next_action_at: '2026-11-25T10:00:00Z',
        next_action_details: 'Follow up on proposal feedback',
        ...body,
      });

  it('creates an opportunity and answers 201 with it', async () => {
    const response = await create({});
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Acme Corp Deal',
      value: 50000,
      stage: 'Proposal',
      owner_id: t.ownerOf(tenant).id,
      status: 'open',
      next_action_at: '2026-11-25T10:00:00.000Z',
      next_action_details: 'Follow up on proposal feedback',
      is_overdue: true,
      reschedule_count: 0,
      closed_at: null,
      version: 1,
      created_at: NOW,
      updated_at: NOW,
    });
  });

  it('lists due opportunities as a plain JSON array with the original fields', async () => {
    const response = await t.http().get('/api/v1/opportunities/due').set(t.headersFor(tenant));
    expect(response.status).toBe(200);
    expect(Array.isArray(response.body)).toBe(true);
    expect(response.body[0]).toMatchObject({
      id: expect.any(String),
      name: 'Acme Corp Deal',
      value: 50000,
      stage: 'Proposal',
      next_action_at: '2026-11-25T10:00:00.000Z',
      next_action_details: 'Follow up on proposal feedback',
      is_overdue: true,
      version: 1,
    });
  });

  it('completes an action, plans the next one and keeps the finished one in the history', async () => {
    t.clock.set(AN_HOUR_EARLIER);
    const { body: created } = await create({ name: 'Enterprise Software Deal - $75,000', value: 75000 });
    t.clock.set(NOW);
    const response = await t
      .http()
      .post(`/api/v1/opportunities/${created.id}/complete_action`)
      .set(t.headersFor(tenant))
      .send({
        new_next_action_at: '2026-12-01T14:00:00Z',
        new_next_action_details: 'Send technical documentation',
        expected_version: 1,
        notes: 'Answered their questions',
      });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      message: 'Action completed successfully',
      opportunity_id: created.id,
      opportunity: expect.objectContaining({
        next_action_at: '2026-12-01T14:00:00.000Z',
        next_action_details: 'Send technical documentation',
        is_overdue: false,
        version: 2,
      }),
    });

    const history = await t
      .http()
      .get(`/api/v1/opportunities/${created.id}/actions`)
      .set(t.headersFor(tenant));
    expect(history.status).toBe(200);
    expect(history.body).toEqual([
      {
        id: expect.any(String),
        opportunity_id: created.id,
        type: 'completed',
        occurred_at: NOW,
        details: 'Follow up on proposal feedback',
        due_at: '2026-11-25T10:00:00.000Z',
        completed_at: NOW,
        notes: 'Answered their questions',
      },
      {
        id: expect.any(String),
        opportunity_id: created.id,
        type: 'created',
        occurred_at: AN_HOUR_EARLIER,
        to_stage: 'Proposal',
        details: 'Follow up on proposal feedback',
        next_action_at: '2026-11-25T10:00:00.000Z',
      },
    ]);
    const fetched = await t.http().get(`/api/v1/opportunities/${created.id}`).set(t.headersFor(tenant));
    expect(fetched.body).toMatchObject({ version: 2, next_action_details: 'Send technical documentation' });
  });

  it('summarizes the due list and the whole open pipeline', async () => {
    const other = await t.createTenant({ timezone: 'UTC' });
    const post = (next_action_at: string, value: number) =>
      t.http().post('/api/v1/opportunities').set(t.headersFor(other)).send({
        name: 'Deal',
        value,
        stage: 'Prospecting',
        next_action_at,
        next_action_details: 'Call',
      });
    await post('2026-11-20T10:00:00Z', 100.5);
    await post('2026-11-26T20:00:00Z', 200);
    await post('2026-11-27T09:00:00Z', 400);
    const response = await t.http().get('/api/v1/opportunities/due/summary').set(t.headersFor(other));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      overdue_count: 1,
      due_today_count: 1,
      due_value_total: 300.5,
      pipeline_value_open: 700.5,
      rescheduled_count: 0,
    });
  });

  it("describes the tenant of the header, with the caller's role, and lists the caller's tenants without one", async () => {
    const current = await t.http().get('/api/v1/tenants/current').set(t.headersFor(tenant));
    expect(current.body).toEqual({
      id: tenant,
      name: 'Test Team',
      timezone: 'UTC',
      currency: 'USD',
      role: 'admin',
    });
    const all = await t
      .http()
      .get('/api/v1/tenants')
      .set('Authorization', `Bearer ${t.ownerOf(tenant).token}`);
    expect(all.status).toBe(200);
    expect(all.body).toEqual(expect.arrayContaining([current.body]));
  });

  it('reports health at the root, outside /api/v1', async () => {
    const response = await t.http().get('/health');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
    expect((await t.http().get('/health/live')).body).toEqual({ status: 'ok' });
  });

  it('serves the OpenAPI spec with X-Tenant-ID as a required header', async () => {
    const response = await t.http().get('/docs-json');
    expect(response.status).toBe(200);
    const due = response.body.paths['/api/v1/opportunities/due'].get;
    expect(due.operationId).toBe('opportunities_getDue');
    expect(due.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'X-Tenant-ID', in: 'header', required: true }),
      ]),
    );
  });
});
