import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Response } from 'supertest';
import type { ErrorBody } from '../src/common/errors/api-error';
import type { CompleteActionResponseDto } from '../src/opportunities/dto/complete-action.dto';
import type { OpportunityEventDto } from '../src/opportunities/dto/opportunity-event.dto';
import type { OpportunityDto } from '../src/opportunities/dto/opportunity.dto';
import { createTestApp, type TestApp } from './support/test-app';

const NOW = '2026-07-15T12:00:00.000Z';
const A_MINUTE_EARLIER = '2026-07-15T11:59:00.000Z';
const OPPORTUNITIES = '/api/v1/opportunities';
const PARALLEL = 8;

function nextLink(response: Response): string | undefined {
  const link = response.get('Link');
  if (link === undefined) return undefined;
  const match = /^<([^>]+)>; rel="next"$/.exec(link);
  if (!match) throw new Error(`Link header is not a single rel="next" link: ${link}`);
  return match[1];
}

describe('completing an action', () => {
  let t: TestApp;
  let tenant: string;

  beforeAll(async () => {
    t = await createTestApp(NOW);
    tenant = await t.createTenant();
  });
  beforeEach(() => t.clock.set(NOW));
  afterAll(() => t.close());

  /** Created a minute before NOW, so that its `created` event is older than anything done to it at NOW. */
  async function createOpportunity(): Promise<OpportunityDto> {
    t.clock.set(A_MINUTE_EARLIER);
    const response = await t.http().post(OPPORTUNITIES).set(t.headersFor(tenant)).send({
      name: 'Umbrella Corp Deal',
      value: 42000,
      stage: 'Proposal',
      next_action_at: '2026-07-15T09:00:00Z',
      next_action_details: 'Initial plan',
    });
    expect(response.status).toBe(201);
    t.clock.set(NOW);
    return response.body as OpportunityDto;
  }

  const complete = (id: string, body: Record<string, unknown>) =>
    t.http().post(`${OPPORTUNITIES}/${id}/complete_action`).set(t.headersFor(tenant)).send(body);

  const plan = (index: number) => ({
    new_next_action_at: `2026-07-${20 + index}T09:00:00.000Z`,
    new_next_action_details: `Plan ${index}`,
  });

  async function fetchOpportunity(id: string): Promise<OpportunityDto> {
    const response = await t.http().get(`${OPPORTUNITIES}/${id}`).set(t.headersFor(tenant));
    expect(response.status).toBe(200);
    return response.body as OpportunityDto;
  }

  async function fetchHistory(id: string, query: Record<string, string | number> = {}): Promise<Response> {
    return t.http().get(`${OPPORTUNITIES}/${id}/actions`).set(t.headersFor(tenant)).query(query);
  }

  /** The whole timeline straight from the table, in the order the API promises: newest first, ties by id. */
  async function timelineInDatabase(
    opportunityId: string,
  ): Promise<{ id: string; type: string; details: string }[]> {
    return t.dataSource.query<{ id: string; type: string; details: string }[]>(
      `SELECT id::text AS id, type, details FROM opportunity_actions
       WHERE tenant_id = $1 AND opportunity_id = $2 ORDER BY occurred_at DESC, id DESC`,
      [tenant, opportunityId],
    );
  }

  /** The completed actions only: the history a completion appends to, newest first. */
  async function historyInDatabase(opportunityId: string): Promise<{ id: string; details: string }[]> {
    return (await timelineInDatabase(opportunityId)).filter((row) => row.type === 'completed');
  }

  /**
   * Sends the requests while another transaction holds the opportunity's row lock, and releases it only once
   * several of them wait on it: so they truly overlap in the database, however fast the machine.
   */
  async function sendTogether(opportunityId: string, send: () => Promise<Response>[]): Promise<Response[]> {
    const holder = t.dataSource.createQueryRunner();
    await holder.connect();
    try {
      await holder.startTransaction();
      await holder.query(`SELECT 1 FROM opportunities WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [
        tenant,
        opportunityId,
      ]);
      const responses = Promise.all(send());
      for (let attempt = 0; ; attempt += 1) {
        // Activity is snapshotted once per transaction; clear it so every poll sees the present.
        await holder.query(`SELECT pg_stat_clear_snapshot()`);
        const [row] = (await holder.query(
          `SELECT count(*) AS waiting FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        )) as { waiting: string }[];
        if (Number(row.waiting) >= 2) break;
        if (attempt === 100) throw new Error('the requests never waited on the row together');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await holder.commitTransaction();
      return await responses;
    } finally {
      await holder.release();
    }
  }

  describe('concurrently', () => {
    it(`lets exactly one of ${PARALLEL} simultaneous completions with the same expected_version through`, async () => {
      const opportunity = await createOpportunity();

      const responses = await sendTogether(opportunity.id, () =>
        Array.from({ length: PARALLEL }, async (_, index) =>
          complete(opportunity.id, { ...plan(index), expected_version: 1 }),
        ),
      );

      const statuses = responses.map((response) => response.status).sort();
      expect(statuses).toEqual([200, ...Array.from({ length: PARALLEL - 1 }, () => 409)]);
      for (const conflict of responses.filter((response) => response.status === 409)) {
        expect(conflict.body).toEqual({
          detail:
            'The opportunity changed elsewhere: expected version 1, current version is 2. Reload it and try again.',
          error_code: 'VERSION_CONFLICT',
        });
      }
      const winner = (
        responses.find((response) => response.status === 200)?.body as CompleteActionResponseDto
      ).opportunity;
      expect(await fetchOpportunity(opportunity.id)).toEqual(winner);
      expect(winner.version).toBe(2);
      expect((await timelineInDatabase(opportunity.id)).map((row) => [row.type, row.details])).toEqual([
        ['completed', 'Initial plan'],
        ['created', 'Initial plan'],
      ]);
    });

    it(`serialises ${PARALLEL} simultaneous completions without expected_version and loses none`, async () => {
      const opportunity = await createOpportunity();

      const responses = await sendTogether(opportunity.id, () =>
        Array.from({ length: PARALLEL }, async (_, index) => complete(opportunity.id, plan(index))),
      );

      expect(responses.map((response) => response.status)).toEqual(
        Array.from({ length: PARALLEL }, () => 200),
      );
      const versions = responses.map((r) => (r.body as CompleteActionResponseDto).opportunity.version);
      expect(versions.sort((a, b) => a - b)).toEqual(Array.from({ length: PARALLEL }, (_, i) => i + 2));
      // Each completion archived the plan the previous one set: every plan is in the history or current, once.
      const current = await fetchOpportunity(opportunity.id);
      expect(current.version).toBe(PARALLEL + 1);
      const archived = (await historyInDatabase(opportunity.id)).map((row) => row.details);
      expect([...archived, current.next_action_details].sort()).toEqual(
        ['Initial plan', ...Array.from({ length: PARALLEL }, (_, index) => `Plan ${index}`)].sort(),
      );
    });
  });

  describe('a version conflict', () => {
    it('answers 409 and changes nothing: not the opportunity, not the history', async () => {
      const opportunity = await createOpportunity();
      expect((await complete(opportunity.id, { ...plan(1), expected_version: 1 })).status).toBe(200);
      const afterFirst = await fetchOpportunity(opportunity.id);
      t.clock.set('2026-07-15T13:00:00.000Z');

      for (const expected_version of [1, 3]) {
        const response = await complete(opportunity.id, {
          ...plan(2),
          expected_version,
          notes: 'Lost update',
        });
        expect(response.status).toBe(409);
        expect((response.body as ErrorBody).error_code).toBe('VERSION_CONFLICT');
        expect((response.body as ErrorBody).detail).toContain(`expected version ${expected_version}`);
      }

      t.clock.set(NOW);
      expect(await fetchOpportunity(opportunity.id)).toEqual(afterFirst);
      expect((await timelineInDatabase(opportunity.id)).map((row) => [row.type, row.details])).toEqual([
        ['completed', 'Initial plan'],
        ['created', 'Initial plan'],
      ]);
    });

    it('lets the client retry with the current version and succeed', async () => {
      const opportunity = await createOpportunity();
      await complete(opportunity.id, plan(1)).expect(200);
      expect((await complete(opportunity.id, { ...plan(2), expected_version: 1 })).status).toBe(409);

      const retried = await complete(opportunity.id, { ...plan(2), expected_version: 2 });
      expect(retried.status).toBe(200);
      expect((retried.body as CompleteActionResponseDto).opportunity).toMatchObject({
        version: 3,
        next_action_details: 'Plan 2',
      });
    });
  });

  describe('the history', () => {
    it('appends one entry per completion, newest first, each remembering the plan it replaced', async () => {
      const opportunity = await createOpportunity();
      const completedAt = [
        '2026-07-15T12:00:00.000Z',
        '2026-07-16T12:00:00.000Z',
        '2026-07-17T12:00:00.000Z',
      ];
      for (const [index, at] of completedAt.entries()) {
        t.clock.set(at);
        await complete(opportunity.id, { ...plan(index), notes: `Note ${index}` }).expect(200);
      }

      const response = await fetchHistory(opportunity.id);
      expect(response.status).toBe(200);
      expect(response.get('Link')).toBeUndefined();
      const completed = (index: number, details: string, dueAt: string) => ({
        id: expect.any(String),
        opportunity_id: opportunity.id,
        type: 'completed',
        occurred_at: completedAt[index],
        details,
        due_at: dueAt,
        completed_at: completedAt[index],
        notes: `Note ${index}`,
      });
      expect(response.body).toEqual([
        completed(2, 'Plan 1', plan(1).new_next_action_at),
        completed(1, 'Plan 0', plan(0).new_next_action_at),
        completed(0, 'Initial plan', '2026-07-15T09:00:00.000Z'),
        {
          id: expect.any(String),
          opportunity_id: opportunity.id,
          type: 'created',
          occurred_at: A_MINUTE_EARLIER,
          to_stage: 'Proposal',
          details: 'Initial plan',
          next_action_at: '2026-07-15T09:00:00.000Z',
        },
      ]);
    });

    it.each([1, 2, 3])(
      'pages through the history with limit=%i and Link headers, visiting every entry once in order',
      async (limit) => {
        // The creation and five completions at the same instant: only the id orders them, which paging must respect.
        t.clock.set(NOW);
        const created = await t.http().post(OPPORTUNITIES).set(t.headersFor(tenant)).send({
          name: 'Tied Deal',
          value: 1,
          stage: 'Proposal',
          next_action_at: '2026-07-15T09:00:00Z',
          next_action_details: 'Initial plan',
        });
        const opportunity = created.body as OpportunityDto;
        for (let index = 0; index < 5; index += 1) await complete(opportunity.id, plan(index)).expect(200);

        const visited: string[] = [];
        let response = await fetchHistory(opportunity.id, { limit });
        for (let page = 1; ; page += 1) {
          expect(response.status).toBe(200);
          const entries = response.body as OpportunityEventDto[];
          expect(entries.length).toBeLessThanOrEqual(limit);
          visited.push(...entries.map((entry) => entry.id));
          const link = nextLink(response);
          if (link === undefined) break;
          expect(new URL(link, 'http://localhost').searchParams.get('limit')).toBe(String(limit));
          expect(page).toBeLessThan(10);
          response = await t.http().get(link).set(t.headersFor(tenant));
        }
        const timeline = await timelineInDatabase(opportunity.id);
        expect(visited).toEqual(timeline.map((row) => row.id));
        expect(timeline.map((row) => row.type).sort()).toEqual([
          'completed',
          'completed',
          'completed',
          'completed',
          'completed',
          'created',
        ]);
      },
    );

    it('keeps notes trimmed, and whitespace-only notes as none', async () => {
      const opportunity = await createOpportunity();
      await complete(opportunity.id, { ...plan(0), notes: '  Called them  ' }).expect(200);
      t.clock.set('2026-07-15T12:00:01.000Z');
      await complete(opportunity.id, { ...plan(1), notes: ' \n ' }).expect(200);

      const history = (await fetchHistory(opportunity.id)).body as OpportunityEventDto[];
      expect(history.map((entry) => [entry.type, entry.notes])).toEqual([
        ['completed', null],
        ['completed', 'Called them'],
        ['created', undefined],
      ]);
    });

    it('answers 404 for the history of a missing opportunity rather than an empty list', async () => {
      const response = await fetchHistory(randomUUID());
      expect(response.status).toBe(404);
      expect((response.body as ErrorBody).error_code).toBe('OPPORTUNITY_NOT_FOUND');
    });

    it('answers 400 VALIDATION_ERROR naming cursor for a malformed history cursor', async () => {
      const opportunity = await createOpportunity();
      const response = await fetchHistory(opportunity.id, { cursor: 'bm90IGpzb24' });
      expect(response.status).toBe(400);
      expect((response.body as ErrorBody).errors?.[0]?.field).toBe('cursor');
    });
  });

  describe('failures', () => {
    /** Every timeline row of the opportunity, of any tenant: what a failed change must not have added to. */
    async function eventTypesOf(opportunityId: string): Promise<string[]> {
      const rows = await t.dataSource.query<{ type: string }[]>(
        `SELECT type FROM opportunity_actions WHERE opportunity_id = $1 ORDER BY occurred_at, id`,
        [opportunityId],
      );
      return rows.map((row) => row.type);
    }

    it('answers 404 for a missing opportunity and writes no history', async () => {
      const missing = randomUUID();
      for (const body of [plan(0), { ...plan(0), expected_version: 1 }]) {
        const response = await complete(missing, body);
        expect(response.status).toBe(404);
        expect(response.body).toEqual({
          detail: 'Opportunity not found or access denied',
          error_code: 'OPPORTUNITY_NOT_FOUND',
        });
      }
      expect(await eventTypesOf(missing)).toEqual([]);
    });

    it('keeps neither the history entry nor the new next action when saving the opportunity fails', async () => {
      const failing = await t.createTenant();
      const created = await t.http().post(OPPORTUNITIES).set(t.headersFor(failing)).send({
        name: 'Doomed Deal',
        value: 1,
        stage: 'Prospecting',
        next_action_at: '2026-07-15T09:00:00Z',
        next_action_details: 'Initial plan',
      });
      const opportunity = created.body as OpportunityDto;
      // The history row is written first; a trigger then refuses the UPDATE, so only a rollback can remove it.
      const trigger = `refuse_update_${failing.replace(/-/g, '_')}`;
      await t.dataSource.query(`
        CREATE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'refused by the test'; END $$`);
      await t.dataSource.query(`
        CREATE TRIGGER ${trigger} BEFORE UPDATE ON opportunities
        FOR EACH ROW WHEN (OLD.tenant_id = '${failing}') EXECUTE FUNCTION ${trigger}()`);
      const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      try {
        const response = await t
          .http()
          .post(`${OPPORTUNITIES}/${opportunity.id}/complete_action`)
          .set(t.headersFor(failing))
          .send({ ...plan(0), expected_version: 1 });
        expect(response.status).toBe(500);
        expect(response.body).toEqual({
          detail: 'An unexpected error occurred. It has been logged.',
          error_code: 'INTERNAL_ERROR',
        });
        expect(logged).toHaveBeenCalled();
      } finally {
        logged.mockRestore();
        await t.dataSource.query(`DROP TRIGGER ${trigger} ON opportunities`);
        await t.dataSource.query(`DROP FUNCTION ${trigger}()`);
      }

      expect(await eventTypesOf(opportunity.id)).toEqual(['created']);
      const fetched = await t.http().get(`${OPPORTUNITIES}/${opportunity.id}`).set(t.headersFor(failing));
      expect(fetched.body).toEqual(opportunity);
    });
  });
});
