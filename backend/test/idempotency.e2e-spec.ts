import { randomUUID } from 'node:crypto';
import type { OpportunityDto } from '../src/opportunities/dto/opportunity.dto';
import { createTestApp, type TestApp, type TestUser } from './support/test-app';

const NOW = '2026-07-15T12:00:00.000Z';
const OPPORTUNITIES = '/api/v1/opportunities';
const KEY = 'Idempotency-Key';

const plan = (details = 'Send the revised contract') => ({
  new_next_action_at: '2026-07-20T09:00:00.000Z',
  new_next_action_details: details,
});

describe('Idempotency-Key on the POSTs that change data', () => {
  let t: TestApp;
  let tenant: string;
  let rep: TestUser;

  beforeAll(async () => {
    t = await createTestApp(NOW);
    tenant = await t.createTenant({ role: 'manager' });
    rep = await t.addMember(tenant, 'rep');
  });
  afterAll(() => t.close());

  async function createOpportunity(user?: TestUser, key?: string) {
    const request = t.http().post(OPPORTUNITIES).set(t.headersFor(tenant, user));
    if (key) request.set(KEY, key);
    return request.send({
      name: 'Initech Renewal',
      stage: 'Proposal',
      value: 1200,
      next_action_at: '2026-07-15T09:00:00Z',
      next_action_details: 'Call about the renewal',
      ...(user ? { owner_id: user.id } : {}),
    });
  }

  async function newOpportunity(): Promise<OpportunityDto> {
    const response = await createOpportunity();
    expect(response.status).toBe(201);
    return response.body as OpportunityDto;
  }

  const complete = (id: string, key: string | undefined, body: object = plan(), user?: TestUser) => {
    const request = t.http().post(`${OPPORTUNITIES}/${id}/complete_action`).set(t.headersFor(tenant, user));
    if (key !== undefined) request.set(KEY, key);
    return request.send(body);
  };

  async function completionsOf(id: string): Promise<number> {
    const [row] = await t.dataSource.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM opportunity_actions
        WHERE tenant_id = $1 AND opportunity_id = $2 AND type = 'completed'`,
      [tenant, id],
    );
    return row.count;
  }

  it('answers a retry with the first answer and changes nothing', async () => {
    const opportunity = await newOpportunity();
    const key = randomUUID();
    const first = await complete(opportunity.id, key);
    expect(first.status).toBe(200);
    expect(first.get('Idempotent-Replayed')).toBeUndefined();

    const retry = await complete(opportunity.id, key);
    expect(retry.status).toBe(200);
    expect(retry.get('Idempotent-Replayed')).toBe('true');
    expect(retry.text).toBe(first.text);
    expect(await completionsOf(opportunity.id)).toBe(1);
  });

  it('treats the same body with its fields in another order as the same request', async () => {
    const opportunity = await newOpportunity();
    const key = randomUUID();
    const { new_next_action_at, new_next_action_details } = plan();
    expect(
      (await complete(opportunity.id, key, { new_next_action_at, new_next_action_details })).status,
    ).toBe(200);
    const retry = await complete(opportunity.id, key, { new_next_action_details, new_next_action_at });
    expect(retry.status).toBe(200);
    expect(retry.get('Idempotent-Replayed')).toBe('true');
    expect(await completionsOf(opportunity.id)).toBe(1);
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED for the same key with another body, and changes nothing', async () => {
    const opportunity = await newOpportunity();
    const key = randomUUID();
    expect((await complete(opportunity.id, key)).status).toBe(200);

    const reused = await complete(opportunity.id, key, plan('Something else entirely'));
    expect(reused.status).toBe(422);
    expect(reused.body).toEqual({ detail: expect.any(String), error_code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await completionsOf(opportunity.id)).toBe(1);
  });

  it('answers 422 for the same key on another opportunity of the same route', async () => {
    const [first, second] = [await newOpportunity(), await newOpportunity()];
    const key = randomUUID();
    expect((await complete(first.id, key)).status).toBe(200);
    const reused = await complete(second.id, key);
    expect(reused.status).toBe(422);
    expect(reused.body.error_code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await completionsOf(second.id)).toBe(0);
  });

  it('completes once when the same request is sent ten times at once', async () => {
    const opportunity = await newOpportunity();
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 10 }, () => complete(opportunity.id, key)));

    const statuses = answers.map((answer) => answer.status);
    expect(statuses.every((status) => status === 200 || status === 409)).toBe(true);
    const originals = answers.filter((answer) => answer.status === 200 && !answer.get('Idempotent-Replayed'));
    expect(originals).toHaveLength(1);
    for (const answer of answers.filter((each) => each.status === 409)) {
      expect(answer.body.error_code).toBe('IDEMPOTENCY_KEY_IN_PROGRESS');
    }
    for (const answer of answers.filter((each) => each.status === 200)) {
      expect(answer.text).toBe(originals[0].text);
    }
    expect(await completionsOf(opportunity.id)).toBe(1);

    const later = await complete(opportunity.id, key);
    expect(later.status).toBe(200);
    expect(later.text).toBe(originals[0].text);
  });

  it('replays a creation with its 201 and the same opportunity, creating only one', async () => {
    const key = randomUUID();
    const first = await createOpportunity(rep, key);
    const retry = await createOpportunity(rep, key);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.get('Idempotent-Replayed')).toBe('true');
    expect(retry.body.id).toBe(first.body.id);
    const [row] = await t.dataSource.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM opportunities WHERE tenant_id = $1 AND owner_id = $2`,
      [tenant, rep.id],
    );
    expect(row.count).toBe(1);
  });

  it("keeps each user's keys apart: another member's same key is a request of its own", async () => {
    const key = randomUUID();
    const mine = await createOpportunity(undefined, key);
    const theirs = await createOpportunity(rep, key);
    expect(mine.status).toBe(201);
    expect(theirs.status).toBe(201);
    expect(theirs.get('Idempotent-Replayed')).toBeUndefined();
    expect(theirs.body.id).not.toBe(mine.body.id);
  });

  it('keeps routes apart: the same key on another route is a request of its own', async () => {
    const key = randomUUID();
    const created = await createOpportunity(undefined, key);
    expect(created.status).toBe(201);
    const completed = await complete(created.body.id as string, key);
    expect(completed.status).toBe(200);
    expect(completed.get('Idempotent-Replayed')).toBeUndefined();
  });

  it('keeps no key for a failed request: its corrected retry runs', async () => {
    const opportunity = await newOpportunity();
    const key = randomUUID();
    const invalid = await complete(opportunity.id, key, {
      ...plan(),
      new_next_action_at: '2020-01-01T00:00:00Z',
    });
    expect(invalid.status).toBe(400);
    const corrected = await complete(opportunity.id, key);
    expect(corrected.status).toBe(200);
    expect(corrected.get('Idempotent-Replayed')).toBeUndefined();
    expect(await completionsOf(opportunity.id)).toBe(1);
  });

  it('replays a bulk answer, its 207 and every item result, without running it again', async () => {
    const [good, closed] = [await newOpportunity(), await newOpportunity()];
    const closing = await t
      .http()
      .post(`${OPPORTUNITIES}/${closed.id}/close`)
      .set(t.headersFor(tenant))
      .send({ outcome: 'won', reason: 'Signed' });
    expect(closing.status).toBe(200);
    const key = randomUUID();
    const send = () =>
      t
        .http()
        .post(`${OPPORTUNITIES}/bulk/complete`)
        .set(t.headersFor(tenant))
        .set(KEY, key)
        .send({ items: [{ id: good.id }, { id: closed.id }], shared: plan() });
    const first = await send();
    expect(first.status).toBe(207);
    const retry = await send();
    expect(retry.status).toBe(207);
    expect(retry.text).toBe(first.text);
    expect(await completionsOf(good.id)).toBe(1);
  });

  it('runs a request again once its key has expired (24 hours)', async () => {
    const opportunity = await newOpportunity();
    const key = randomUUID();
    expect((await complete(opportunity.id, key)).status).toBe(200);
    await t.dataSource.query(
      `UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE tenant_id = $1 AND key = $2`,
      [tenant, key],
    );
    const again = await complete(opportunity.id, key);
    expect(again.status).toBe(200);
    expect(again.get('Idempotent-Replayed')).toBeUndefined();
    expect(await completionsOf(opportunity.id)).toBe(2);
  });

  it('keeps a key for 24 hours', async () => {
    const key = randomUUID();
    expect((await createOpportunity(undefined, key)).status).toBe(201);
    const [row] = await t.dataSource.query<{ hours: number }[]>(
      `SELECT round(extract(epoch FROM expires_at - created_at) / 3600)::int AS hours
         FROM idempotency_keys WHERE tenant_id = $1 AND key = $2`,
      [tenant, key],
    );
    expect(row.hours).toBe(24);
  });

  it.each([
    ['longer than 255 characters', 'k'.repeat(256)],
    ['not printable ASCII', 'clé-1'],
    ['only spaces', '   '],
  ])('answers 400 IDEMPOTENCY_KEY_INVALID for a key %s, and changes nothing', async (_case, key) => {
    const opportunity = await newOpportunity();
    const response = await complete(opportunity.id, key);
    expect(response.status).toBe(400);
    expect(response.body.error_code).toBe('IDEMPOTENCY_KEY_INVALID');
    expect(await completionsOf(opportunity.id)).toBe(0);
  });

  it('changes data twice for two requests without a key, as before', async () => {
    const opportunity = await newOpportunity();
    expect((await complete(opportunity.id, undefined)).status).toBe(200);
    expect((await complete(opportunity.id, undefined, plan('And the next step'))).status).toBe(200);
    expect(await completionsOf(opportunity.id)).toBe(2);
  });

  it("does not let a non-member learn anything from a tenant's keys", async () => {
    const opportunity = await newOpportunity();
    const key = randomUUID();
    expect((await complete(opportunity.id, key)).status).toBe(200);
    const outsiderTenant = await t.createTenant();
    const outsider = t.ownerOf(outsiderTenant);
    const response = await t
      .http()
      .post(`${OPPORTUNITIES}/${opportunity.id}/complete_action`)
      .set({ ...t.headersFor(outsiderTenant, outsider), 'X-Tenant-ID': tenant })
      .set(KEY, key)
      .send(plan());
    expect(response.status).toBe(403);
    expect(response.body.error_code).toBe('TENANT_ACCESS_DENIED');
  });
});
