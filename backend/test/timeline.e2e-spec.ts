import type { OpportunityEventDto } from '../src/opportunities/dto/opportunity-event.dto';
import type { OpportunityDto } from '../src/opportunities/dto/opportunity.dto';
import {
  allPages,
  apiFor,
  created,
  cursorOf,
  nextLink,
  timelineInDatabase,
  VALIDATION_DETAIL,
  type Api,
  type Body,
  type ErrorEnvelope,
} from './support/api';
import { createTestApp, type TestApp } from './support/test-app';

const NOW = '2026-07-15T12:00:00.000Z';
const DUE_AT = '2026-07-15T09:00:00.000Z';
const TOMORROW = '2026-07-16T09:00:00.000Z';
const NEXT_WEEK = '2026-07-22T09:00:00.000Z';
const WIDE_WINDOW = { from: '2000-01-01T00:00:00Z', until: '2100-01-01T00:00:00Z' };

/** NOW plus some minutes, as the API writes instants. */
function minutesLater(minutes: number): string {
  return new Date(new Date(NOW).getTime() + minutes * 60_000).toISOString();
}

describe('what the lifecycle shows: the timeline and the summary', () => {
  let t: TestApp;
  let tenant: string;
  let api: Api;

  beforeAll(async () => {
    t = await createTestApp(NOW);
  });
  beforeEach(async () => {
    t.clock.set(NOW);
    tenant = await t.createTenant();
    api = apiFor(t, tenant);
  });
  afterAll(() => t.close());

  async function timeline(id: string): Promise<OpportunityEventDto[]> {
    const response = await api.timeline(id);
    expect(response.status).toBe(200);
    return response.body as OpportunityEventDto[];
  }

  /** Created a minute before NOW, so that what the test does at NOW comes after its `created` event. */
  async function openDeal(overrides: Body = {}): Promise<OpportunityDto> {
    t.clock.set(minutesLater(-1));
    const opportunity = await created(api, overrides);
    t.clock.set(NOW);
    return opportunity;
  }

  describe('the timeline', () => {
    /** One deal through every kind of event, a minute apart. */
    async function story(): Promise<OpportunityDto> {
      t.clock.set(minutesLater(0));
      const opportunity = await created(api, { stage: 'Prospecting' });
      t.clock.set(minutesLater(1));
      await api.patch(opportunity.id, { stage: 'Proposal' }).expect(200);
      t.clock.set(minutesLater(2));
      await api.reschedule(opportunity.id, { new_next_action_at: TOMORROW, reason: 'Busy' }).expect(200);
      t.clock.set(minutesLater(3));
      await api
        .complete(opportunity.id, {
          new_next_action_at: NEXT_WEEK,
          new_next_action_details: 'Send terms',
          notes: 'Done',
        })
        .expect(200);
      t.clock.set(minutesLater(4));
      await api.close(opportunity.id, { outcome: 'won', reason: 'Signed' }).expect(200);
      t.clock.set(minutesLater(5));
      await api
        .reopen(opportunity.id, {
          stage: 'Negotiation',
          next_action_at: '2026-07-30T09:00:00Z',
          next_action_details: 'Upsell',
        })
        .expect(200);
      return opportunity;
    }

    it('lists every type of event, newest first, each with the fields of its type', async () => {
      const opportunity = await story();
      const base = (minutes: number) => ({
        id: expect.any(String),
        opportunity_id: opportunity.id,
        occurred_at: minutesLater(minutes),
      });
      expect(await timeline(opportunity.id)).toEqual([
        {
          ...base(5),
          type: 'reopened',
          from_stage: 'Closed Won',
          to_stage: 'Negotiation',
          next_action_at: '2026-07-30T09:00:00.000Z',
          details: 'Upsell',
        },
        {
          ...base(4),
          type: 'closed',
          from_stage: 'Proposal',
          to_stage: 'Closed Won',
          outcome: 'won',
          reason: 'Signed',
          details: 'Send terms',
          previous_next_action_at: NEXT_WEEK,
        },
        {
          ...base(3),
          type: 'completed',
          details: 'Follow up on proposal feedback',
          due_at: TOMORROW,
          completed_at: minutesLater(3),
          notes: 'Done',
        },
        {
          ...base(2),
          type: 'rescheduled',
          previous_next_action_at: DUE_AT,
          next_action_at: TOMORROW,
          reason: 'Busy',
        },
        { ...base(1), type: 'stage_changed', from_stage: 'Prospecting', to_stage: 'Proposal' },
        {
          ...base(0),
          type: 'created',
          to_stage: 'Prospecting',
          details: 'Follow up on proposal feedback',
          next_action_at: DUE_AT,
        },
      ]);
    });

    it.each([1, 2, 4])(
      'pages with limit=%i through events that share one instant, visiting each once in order',
      async (limit) => {
        // Everything happens at NOW: only the id orders the events, which the cursor must respect.
        const opportunity = await created(api, { stage: 'Prospecting' });
        await api.patch(opportunity.id, { stage: 'Proposal' }).expect(200);
        await api.reschedule(opportunity.id, { new_next_action_at: TOMORROW, reason: 'Busy' }).expect(200);
        await api
          .complete(opportunity.id, { new_next_action_at: NEXT_WEEK, new_next_action_details: 'Send' })
          .expect(200);
        await api.close(opportunity.id, { outcome: 'lost' }).expect(200);
        await api
          .reopen(opportunity.id, {
            stage: 'Proposal',
            next_action_at: NEXT_WEEK,
            next_action_details: 'Retry',
          })
          .expect(200);

        const { rows, pages, links } = await allPages<OpportunityEventDto>(
          api,
          await api.timeline(opportunity.id, { limit }),
        );
        expect(rows.map((row) => row.id)).toEqual(
          (await timelineInDatabase(t, tenant, opportunity.id)).map((row) => row.id),
        );
        expect(rows.map((row) => row.type).sort()).toEqual([
          'closed',
          'completed',
          'created',
          'reopened',
          'rescheduled',
          'stage_changed',
        ]);
        expect(pages.every((size) => size <= limit)).toBe(true);
        for (const link of links)
          expect(new URL(link, 'http://localhost').searchParams.get('limit')).toBe(String(limit));
      },
    );

    it('refuses a cursor taken from the due list', async () => {
      await created(api);
      const other = await created(api);
      const link = nextLink(await api.due({ limit: 1 }));
      expect(link).toBeDefined();
      const response = await api.timeline(other.id, { cursor: cursorOf(link ?? '') });
      expect(response.status).toBe(400);
      const body = response.body as ErrorEnvelope;
      expect({ detail: body.detail, fields: body.errors?.map((error) => error.field) }).toEqual({
        detail: VALIDATION_DETAIL,
        fields: ['cursor'],
      });
    });
  });

  describe('the summary', () => {
    it('counts open opportunities only in pipeline_value_open and rescheduled_count, whatever the window', async () => {
      const overdue = await openDeal({ value: 100 });
      const future = await openDeal({ value: 20, next_action_at: NEXT_WEEK });
      await openDeal({ value: 3, next_action_at: TOMORROW });
      const won = await openDeal({ value: 4000 });
      const lost = await openDeal({ value: 50000 });
      await api
        .reschedule(overdue.id, { new_next_action_at: '2026-07-15T18:00:00Z', reason: 'Later today' })
        .expect(200);
      await api
        .reschedule(future.id, { new_next_action_at: '2026-07-23T09:00:00Z', reason: 'One' })
        .expect(200);
      await api
        .reschedule(future.id, { new_next_action_at: '2026-07-24T09:00:00Z', reason: 'Two' })
        .expect(200);
      await api
        .reschedule(won.id, { new_next_action_at: TOMORROW, reason: 'Pushed before it closed' })
        .expect(200);
      await api.close(won.id, { outcome: 'won' }).expect(200);
      await api.close(lost.id, { outcome: 'lost' }).expect(200);
      // A closed row that still carries pushes (the database allows it): the summary must not count it.
      await t.dataSource.query(
        `INSERT INTO opportunities (tenant_id, name, value, stage, closed_at, reschedule_count)
         VALUES ($1, 'Imported closed deal', 700000, 'Closed Lost', $2, 3)`,
        [tenant, NOW],
      );

      expect((await api.summary()).body).toEqual({
        overdue_count: 0,
        due_today_count: 1,
        due_value_total: 100,
        pipeline_value_open: 123,
        rescheduled_count: 2,
      });
      expect((await api.summary(WIDE_WINDOW)).body).toEqual({
        overdue_count: 0,
        due_today_count: 3,
        due_value_total: 123,
        pipeline_value_open: 123,
        rescheduled_count: 2,
      });
      expect((await api.summary({ until: '2026-07-15T13:00:00Z' })).body).toEqual({
        overdue_count: 0,
        due_today_count: 0,
        due_value_total: 0,
        pipeline_value_open: 123,
        rescheduled_count: 2,
      });
    });

    it('answers zeros for a tenant without opportunities', async () => {
      expect((await api.summary()).body).toEqual({
        overdue_count: 0,
        due_today_count: 0,
        due_value_total: 0,
        pipeline_value_open: 0,
        rescheduled_count: 0,
      });
    });
  });
});
