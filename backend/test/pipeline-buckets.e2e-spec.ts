import type { OpportunityDto } from '../src/opportunities/dto/opportunity.dto';
import { createTestApp, type TestApp, type TestUser } from './support/test-app';

const NOW = '2026-07-15T12:00:00.000Z';
const OPPORTUNITIES = '/api/v1/opportunities';

interface Bucket {
  owner_key: string;
  day: string;
  open_count: number;
  value_total: string;
  rescheduled_count: number;
}

/** A day offset from NOW at a given hour (UTC), so deals land on many buckets, some on day edges. */
const at = (days: number, hour = 9) =>
  new Date(Date.parse('2026-07-15T00:00:00Z') + days * 86_400_000 + hour * 3_600_000).toISOString();

describe('pipeline buckets, the summary at a million deals', () => {
  let t: TestApp;
  let tenant: string;
  let reps: TestUser[];

  beforeAll(async () => {
    t = await createTestApp(NOW);
    tenant = await t.createTenant({ role: 'admin' });
    reps = [await t.addMember(tenant, 'rep'), await t.addMember(tenant, 'rep')];
  });
  afterAll(() => t.close());

  const post = async (path: string, body: object, status = 200) => {
    const response = await t.http().post(path).set(t.headersFor(tenant)).send(body);
    expect(response.status).toBe(status);
    return response.body as OpportunityDto;
  };

  /** The buckets as the triggers kept them, and as a recount of the deals themselves gives them. */
  async function bucketsKeptAndRecounted(): Promise<[Bucket[], Bucket[]]> {
    const kept = await t.dataSource.query<Bucket[]>(
      `SELECT owner_key::text, day::text, open_count::int, value_total::text, rescheduled_count::int
         FROM pipeline_buckets WHERE tenant_id = $1 AND open_count <> 0 ORDER BY 1, 2`,
      [tenant],
    );
    const recounted = await t.dataSource.query<Bucket[]>(
      `SELECT coalesce(owner_id, '00000000-0000-0000-0000-000000000000')::text AS owner_key,
              (next_action_at AT TIME ZONE 'UTC')::date::text AS day, count(*)::int AS open_count,
              sum(value)::numeric(20, 2)::text AS value_total,
              count(*) FILTER (WHERE reschedule_count > 0)::int AS rescheduled_count
         FROM opportunities WHERE tenant_id = $1 AND next_action_at IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`,
      [tenant],
    );
    return [kept, recounted];
  }

  it('stay equal to a recount of the deals through every kind of change', async () => {
    const deals: OpportunityDto[] = [];
    for (let index = 0; index < 12; index++) {
      deals.push(
        await post(
          OPPORTUNITIES,
          {
            name: `Deal ${index}`,
            value: 1000 + index * 10.5,
            stage: 'Proposal',
            next_action_at: at(index - 6, index % 2 === 0 ? 0 : 23),
            next_action_details: 'First call',
            owner_id: reps[index % 2].id,
          },
          201,
        ),
      );
    }
    const [a, b, c, d, e, f, g, h] = deals;
    await post(`${OPPORTUNITIES}/${a.id}/complete_action`, {
      new_next_action_at: at(3),
      new_next_action_details: 'Next',
    });
    await post(`${OPPORTUNITIES}/${b.id}/reschedule`, {
      new_next_action_at: at(0, 18),
      reason: 'Travelling',
    });
    await post(`${OPPORTUNITIES}/${c.id}/close`, { outcome: 'lost', reason: 'Budget' });
    await post(`${OPPORTUNITIES}/${d.id}/close`, { outcome: 'won' });
    await post(`${OPPORTUNITIES}/${d.id}/reopen`, {
      stage: 'Negotiation',
      next_action_at: at(1, 15),
      next_action_details: 'Upsell',
    });
    const patched = await t
      .http()
      .patch(`${OPPORTUNITIES}/${e.id}`)
      .set(t.headersFor(tenant))
      .send({ value: 99999.99, owner_id: reps[0].id });
    expect(patched.status).toBe(200);
    const bulk = await t
      .http()
      .post(`${OPPORTUNITIES}/bulk/complete`)
      .set(t.headersFor(tenant))
      .send({
        items: [{ id: f.id }, { id: g.id }, { id: c.id }],
        shared: { new_next_action_at: at(2), new_next_action_details: 'Follow up' },
      });
    expect(bulk.status).toBe(207);
    await post(`${OPPORTUNITIES}/bulk/reschedule`, {
      items: [{ id: h.id }, { id: a.id }],
      shared: { new_next_action_at: at(30), reason: 'Quarter end' },
    });
    // A removed member's deals become unassigned: a cascaded UPDATE, which the triggers see too.
    const removed = await t.http().delete(`/api/v1/memberships/${reps[1].id}`).set(t.headersFor(tenant));
    expect(removed.status).toBe(204);

    const [kept, recounted] = await bucketsKeptAndRecounted();
    expect(recounted.length).toBeGreaterThan(5);
    expect(kept).toEqual(recounted);
  });

  it('answers the summary from them, equal to counting the deals one by one', async () => {
    const summary = await t.http().get(`${OPPORTUNITIES}/due/summary?scope=team`).set(t.headersFor(tenant));
    expect(summary.status).toBe(200);
    const [expected] = await t.dataSource.query<Record<string, number>[]>(
      `SELECT count(*) FILTER (WHERE next_action_at < $2)::int AS overdue_count,
              count(*) FILTER (WHERE next_action_at >= $2 AND next_action_at < $3)::int AS due_today_count,
              coalesce(sum(value) FILTER (WHERE next_action_at < $3), 0)::float AS due_value_total,
              coalesce(sum(value), 0)::float AS pipeline_value_open,
              count(*) FILTER (WHERE reschedule_count > 0)::int AS rescheduled_count
         FROM opportunities WHERE tenant_id = $1 AND next_action_at IS NOT NULL`,
      [tenant, NOW, '2026-07-16T00:00:00.000Z'],
    );
    expect(summary.body).toEqual(expected);
    expect(summary.body.overdue_count).toBeGreaterThan(0);
    expect(summary.body.due_today_count).toBeGreaterThan(0);
  });
});
