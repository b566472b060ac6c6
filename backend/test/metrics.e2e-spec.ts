import { randomUUID } from 'node:crypto';
import type { OpportunityDto } from '../src/opportunities/dto/opportunity.dto';
import { createTestApp, type TestApp } from './support/test-app';

const NOW = '2026-07-15T12:00:00.000Z';
const OPPORTUNITIES = '/api/v1/opportunities';

/** The sum of every sample of `name` whose labels include all of `labels`, from Prometheus' text format. */
function valueOf(metrics: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of metrics.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = match[2] ?? '';
    if (Object.entries(labels).every(([key, value]) => present.includes(`${key}="${value}"`))) {
      total += Number(match[3]);
    }
  }
  return total;
}

describe('metrics', () => {
  let t: TestApp;
  let tenant: string;

  beforeAll(async () => {
    t = await createTestApp(NOW);
    tenant = await t.createTenant();
  });
  afterAll(() => t.close());

  const scrape = async (): Promise<string> => {
    const response = await t.http().get('/metrics');
    expect(response.status).toBe(200);
    return response.text;
  };

  async function createOpportunity(): Promise<OpportunityDto> {
    const response = await t.http().post(OPPORTUNITIES).set(t.headersFor(tenant)).send({
      name: 'Metrics Deal',
      value: 1000,
      stage: 'Proposal',
      next_action_at: '2026-07-16T09:00:00Z',
      next_action_details: 'First call',
    });
    expect(response.status).toBe(201);
    return response.body as OpportunityDto;
  }

  const plan = { new_next_action_at: '2026-07-20T09:00:00.000Z', new_next_action_details: 'Follow up' };

  it('answers in Prometheus text format without a token, outside the API prefix', async () => {
    const response = await t.http().get('/metrics');
    expect(response.status).toBe(200);
    expect(response.get('Content-Type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
    expect(response.text).toContain('# TYPE http_request_duration_seconds histogram');
    expect((await t.http().get('/api/v1/metrics')).status).toBe(404);
  });

  it('times requests by route template and status, never by raw id', async () => {
    const opportunity = await createOpportunity();
    expect((await t.http().get(`${OPPORTUNITIES}/${opportunity.id}`).set(t.headersFor(tenant))).status).toBe(
      200,
    );
    expect((await t.http().get(`${OPPORTUNITIES}/${opportunity.id}`)).status).toBe(401);
    expect((await t.http().get(`/api/v1/no-such-route/${randomUUID()}`)).status).toBe(404);
    expect((await t.http().get('/health/live')).status).toBe(200);

    const metrics = await scrape();
    const count = (route: string, status: number) =>
      valueOf(metrics, 'http_request_duration_seconds_count', {
        method: 'GET',
        route,
        status_code: String(status),
      });
    expect(count('/api/v1/opportunities/:id', 200)).toBeGreaterThanOrEqual(1);
    expect(count('/api/v1/opportunities/:id', 401)).toBeGreaterThanOrEqual(1);
    expect(count('unmatched', 404)).toBeGreaterThanOrEqual(1);
    expect(count('/health/live', 200)).toBeGreaterThanOrEqual(1);
    expect(metrics).not.toMatch(/route="[^"]*no-such-route/);
    expect(metrics).toContain('http_request_duration_seconds_bucket{le="0.001"');
    expect(metrics).not.toContain(opportunity.id);
  });

  it('shows the database pool and the event loop', async () => {
    const metrics = await scrape();
    for (const gauge of [
      'nat_db_pool_connections_total',
      'nat_db_pool_connections_idle',
      'nat_db_pool_requests_waiting',
    ]) {
      expect(metrics).toMatch(new RegExp(`^${gauge} \\d+$`, 'm'));
    }
    expect(valueOf(metrics, 'nat_db_pool_connections_max')).toBeGreaterThanOrEqual(1);
    expect(metrics).toMatch(/^nodejs_eventloop_lag_seconds \S+$/m);
    expect(metrics).toMatch(/^process_resident_memory_bytes \d+/m);
  });

  it('counts exactly the opportunities created and the actions completed, single and bulk', async () => {
    const before = await scrape();
    const created = [await createOpportunity(), await createOpportunity(), await createOpportunity()];
    const single = await t
      .http()
      .post(`${OPPORTUNITIES}/${created[0].id}/complete_action`)
      .set(t.headersFor(tenant))
      .send(plan);
    expect(single.status).toBe(200);
    // A stale version fails and rolls back: it is not counted.
    const stale = await t
      .http()
      .post(`${OPPORTUNITIES}/${created[1].id}/complete_action`)
      .set(t.headersFor(tenant))
      .send({ ...plan, expected_version: 99 });
    expect(stale.status).toBe(409);
    const bulk = await t
      .http()
      .post(`${OPPORTUNITIES}/bulk/complete`)
      .set(t.headersFor(tenant))
      .send({ items: [{ id: created[1].id }, { id: created[2].id }, { id: randomUUID() }], shared: plan });
    expect(bulk.status).toBe(207);
    const after = await scrape();

    const increase = (name: string) => valueOf(after, name) - valueOf(before, name);
    expect(increase('nat_opportunities_created_total')).toBe(3);
    expect(increase('nat_actions_completed_total')).toBe(3);
  });

  it('names no tenant and no user anywhere', async () => {
    const metrics = await scrape();
    expect(metrics).not.toContain(tenant);
    expect(metrics).not.toContain(t.ownerOf(tenant).id);
    expect(metrics).not.toContain(t.ownerOf(tenant).email);
    expect(metrics).not.toMatch(/tenant|user_id/i);
  });

  it('answers ready while the database answers', async () => {
    const response = await t.http().get('/health/ready');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });
});
