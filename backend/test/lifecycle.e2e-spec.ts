import type { Response } from 'supertest';
import type { OpportunityEventDto } from '../src/opportunities/dto/opportunity-event.dto';
import type { OpportunityDto } from '../src/opportunities/dto/opportunity.dto';
import {
  apiFor,
  CLOSED_ERROR,
  created,
  eventTypes,
  NOT_FOUND_ERROR,
  VALIDATION_DETAIL,
  versionConflict,
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

function expectValidationError(response: Response, field: string): void {
  expect(response.status).toBe(400);
  const body = response.body as ErrorEnvelope;
  expect(body.detail).toBe(VALIDATION_DETAIL);
  expect(body.error_code).toBe('VALIDATION_ERROR');
  expect(body.errors?.map((error) => error.field)).toEqual([field]);
}

describe('the pipeline lifecycle', () => {
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

  async function fetched(id: string): Promise<OpportunityDto> {
    const response = await api.get(id);
    expect(response.status).toBe(200);
    return response.body as OpportunityDto;
  }

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

  async function closedDeal(outcome: 'won' | 'lost' = 'won'): Promise<OpportunityDto> {
    const opportunity = await openDeal();
    const response = await api.close(opportunity.id, { outcome });
    expect(response.status).toBe(200);
    return response.body as OpportunityDto;
  }

  /** What a refused change must have left alone: the opportunity as it was, and its timeline. */
  async function expectUnchanged(before: OpportunityDto, types: string[]): Promise<void> {
    expect(await fetched(before.id)).toEqual(before);
    expect(await eventTypes(t, tenant, before.id)).toEqual(types);
  }

  describe('editing an opportunity (PATCH)', () => {
    it('changes name, value and stage in one new version and records the stage change in the timeline', async () => {
      const opportunity = await openDeal();
      const response = await api.patch(opportunity.id, {
        name: '  Acme Corp Deal (3 sites) ',
        value: 65000.5,
        stage: 'Negotiation',
        expected_version: 1,
      });
      expect(response.status).toBe(200);
      const edited = {
        ...opportunity,
        name: 'Acme Corp Deal (3 sites)',
        value: 65000.5,
        stage: 'Negotiation',
        version: 2,
        updated_at: NOW,
      };
      expect(response.body).toEqual(edited);
      expect(await fetched(opportunity.id)).toEqual(edited);
      const [newest, ...rest] = await timeline(opportunity.id);
      expect(newest).toEqual({
        id: expect.any(String),
        opportunity_id: opportunity.id,
        type: 'stage_changed',
        occurred_at: NOW,
        from_stage: 'Proposal',
        to_stage: 'Negotiation',
      });
      expect(rest.map((event) => event.type)).toEqual(['created']);
    });

    it('records no event when only the name or the value changes', async () => {
      const opportunity = await openDeal();
      await api.patch(opportunity.id, { name: 'Renamed' }).expect(200);
      const response = await api.patch(opportunity.id, { value: 1 });
      expect(response.body).toEqual({
        ...opportunity,
        name: 'Renamed',
        value: 1,
        version: 3,
        updated_at: NOW,
      });
      expect(await eventTypes(t, tenant, opportunity.id)).toEqual(['created']);
    });

    it('changes nothing, not even the version, when every value sent is the current one', async () => {
      const opportunity = await openDeal();
      const response = await api.patch(opportunity.id, {
        name: opportunity.name,
        value: opportunity.value,
        stage: opportunity.stage,
        expected_version: 1,
      });
      expect(response.status).toBe(200);
      expect(response.body).toEqual(opportunity);
      await expectUnchanged(opportunity, ['created']);
    });

    it.each([
      ['an older version', 1],
      ['a newer version', 3],
    ])('answers 409 VERSION_CONFLICT for %s and changes nothing', async (_case, expectedVersion) => {
      const opportunity = await openDeal();
      const edited = (await api.patch(opportunity.id, { value: 2 }).expect(200)).body as OpportunityDto;
      t.clock.set(minutesLater(5));

      const response = await api.patch(opportunity.id, {
        stage: 'Negotiation',
        name: 'Lost update',
        expected_version: expectedVersion,
      });
      expect(response.status).toBe(409);
      expect(response.body).toEqual(versionConflict(expectedVersion, 2));
      await expectUnchanged(edited, ['created']);
    });

    it('answers 400 naming the body for a body without anything to change', async () => {
      const opportunity = await openDeal();
      for (const body of [{}, { expected_version: 1 }]) {
        const response = await api.patch(opportunity.id, body);
        expect(response.status).toBe(400);
        expect(response.body).toEqual({
          detail: VALIDATION_DETAIL,
          error_code: 'VALIDATION_ERROR',
          errors: [{ field: 'body', message: 'send at least one of name, value, stage, owner_id' }],
        });
      }
      await expectUnchanged(opportunity, ['created']);
    });

    it.each([
      ['owner', 'me'],
      ['next_action_at', '2026-07-30T09:00:00Z'],
      ['next_action_details', 'Call them'],
      ['status', 'won'],
      ['version', 7],
      ['closed_at', NOW],
    ])(
      'answers 400 for the field %s, which PATCH does not accept, and changes nothing',
      async (field, value) => {
        const opportunity = await openDeal();
        const response = await api.patch(opportunity.id, { name: 'Renamed', [field]: value });
        expect(response.status).toBe(400);
        expect((response.body as ErrorEnvelope).errors).toEqual([
          { field, message: `${field} is not an accepted field` },
        ]);
        await expectUnchanged(opportunity, ['created']);
      },
    );

    it.each(['Closed Won', 'Closed Lost'])(
      'answers 400 for the closed stage %s, pointing to /close, and changes nothing',
      async (stage) => {
        const opportunity = await openDeal();
        const response = await api.patch(opportunity.id, { stage });
        expectValidationError(response, 'stage');
        expect((response.body as ErrorEnvelope).errors?.[0]?.message).toContain('/close');
        await expectUnchanged(opportunity, ['created']);
      },
    );

    it.each<[string, Body, string]>([
      ['an empty name', { name: '  ' }, 'name'],
      ['a name over 200 characters', { name: 'x'.repeat(201) }, 'name'],
      ['a negative value', { value: -1 }, 'value'],
      ['a value with three decimals', { value: 1.005 }, 'value'],
      ['a value as a string', { value: '5' }, 'value'],
      ['a stage in another case', { stage: 'negotiation' }, 'stage'],
      ['expected_version 0', { value: 5, expected_version: 0 }, 'expected_version'],
    ])('answers 400 VALIDATION_ERROR for %s and changes nothing', async (_case, body, field) => {
      const opportunity = await openDeal();
      expectValidationError(await api.patch(opportunity.id, body), field);
      await expectUnchanged(opportunity, ['created']);
    });

    it('answers 404 for a missing opportunity', async () => {
      const response = await api.patch('3b241101-e2bb-4255-8caf-4136c566a962', { name: 'Ghost' });
      expect(response.status).toBe(404);
      expect(response.body).toEqual(NOT_FOUND_ERROR);
    });
  });

  describe('rescheduling', () => {
    it('moves the date without completing the action, counts the push and records both dates and the reason', async () => {
      const opportunity = await openDeal();
      const response = await api.reschedule(opportunity.id, {
        new_next_action_at: '2026-07-17T10:00:00+02:00',
        reason: '  Customer is travelling until Friday ',
        expected_version: 1,
      });
      expect(response.status).toBe(200);
      const moved = {
        ...opportunity,
        next_action_at: '2026-07-17T08:00:00.000Z',
        is_overdue: false,
        reschedule_count: 1,
        version: 2,
        updated_at: NOW,
      };
      expect(response.body).toEqual(moved);
      expect(await fetched(opportunity.id)).toEqual(moved);
      expect(await timeline(opportunity.id)).toEqual([
        {
          id: expect.any(String),
          opportunity_id: opportunity.id,
          type: 'rescheduled',
          occurred_at: NOW,
          previous_next_action_at: DUE_AT,
          next_action_at: '2026-07-17T08:00:00.000Z',
          reason: 'Customer is travelling until Friday',
        },
        expect.objectContaining({ type: 'created' }),
      ]);
    });

    it('takes the action out of today’s due list when it moves to tomorrow', async () => {
      const opportunity = await openDeal();
      expect((await api.due()).body).toEqual([opportunity]);
      await api.reschedule(opportunity.id, { new_next_action_at: TOMORROW, reason: 'Busy' }).expect(200);
      expect((await api.due()).body).toEqual([]);
      expect((await api.due({ until: '2026-07-17T00:00:00Z' })).body).toEqual([
        expect.objectContaining({ id: opportunity.id, next_action_at: TOMORROW, reschedule_count: 1 }),
      ]);
    });

    it('counts every push of the current action, and starts again from 0 when the action is completed', async () => {
      const opportunity = await openDeal();
      for (const [index, day] of ['16', '17', '18'].entries()) {
        t.clock.set(minutesLater(index));
        const pushed = await api.reschedule(opportunity.id, {
          new_next_action_at: `2026-07-${day}T09:00:00Z`,
          reason: `Push ${index + 1}`,
        });
        expect((pushed.body as OpportunityDto).reschedule_count).toBe(index + 1);
      }
      t.clock.set(minutesLater(10));
      const completed = await api.complete(opportunity.id, {
        new_next_action_at: NEXT_WEEK,
        new_next_action_details: 'Send the contract',
      });
      expect((completed.body as { opportunity: OpportunityDto }).opportunity.reschedule_count).toBe(0);
      t.clock.set(minutesLater(11));
      const again = await api.reschedule(opportunity.id, { new_next_action_at: NEXT_WEEK, reason: 'Again' });
      expect((again.body as OpportunityDto).reschedule_count).toBe(1);

      const events = await timeline(opportunity.id);
      expect(events.map((event) => [event.type, event.reason, event.previous_next_action_at])).toEqual([
        ['rescheduled', 'Again', NEXT_WEEK],
        ['completed', undefined, undefined],
        ['rescheduled', 'Push 3', '2026-07-17T09:00:00.000Z'],
        ['rescheduled', 'Push 2', '2026-07-16T09:00:00.000Z'],
        ['rescheduled', 'Push 1', DUE_AT],
        ['created', undefined, undefined],
      ]);
      // Rescheduling never completes the action: the completion archived the plan set at creation, moved.
      expect(events[1]).toMatchObject({
        details: 'Follow up on proposal feedback',
        due_at: '2026-07-18T09:00:00.000Z',
      });
    });

    it('accepts a reason of 1 and of 500 characters', async () => {
      const opportunity = await openDeal();
      await api.reschedule(opportunity.id, { new_next_action_at: TOMORROW, reason: 'x' }).expect(200);
      t.clock.set(minutesLater(1));
      await api
        .reschedule(opportunity.id, { new_next_action_at: TOMORROW, reason: 'y'.repeat(500) })
        .expect(200);
      const events = await timeline(opportunity.id);
      expect(events.slice(0, 2).map((event) => event.reason)).toEqual(['y'.repeat(500), 'x']);
    });

    it.each<[string, Body, string]>([
      ['without a reason', { new_next_action_at: TOMORROW }, 'reason'],
      ['with an empty reason', { new_next_action_at: TOMORROW, reason: '' }, 'reason'],
      ['with a whitespace-only reason', { new_next_action_at: TOMORROW, reason: ' \n ' }, 'reason'],
      [
        'with a reason of 501 characters',
        { new_next_action_at: TOMORROW, reason: 'x'.repeat(501) },
        'reason',
      ],
      ['without a date', { reason: 'Busy' }, 'new_next_action_at'],
      ['with a bare date', { new_next_action_at: '2026-07-16', reason: 'Busy' }, 'new_next_action_at'],
      ['to exactly now', { new_next_action_at: NOW, reason: 'Busy' }, 'new_next_action_at'],
      [
        'to the past',
        { new_next_action_at: '2026-07-15T11:59:59.999Z', reason: 'Busy' },
        'new_next_action_at',
      ],
      ['with an unknown field', { new_next_action_at: TOMORROW, reason: 'Busy', notes: 'x' }, 'notes'],
    ])('answers 400 VALIDATION_ERROR %s and changes nothing', async (_case, body, field) => {
      const opportunity = await openDeal();
      expectValidationError(await api.reschedule(opportunity.id, body), field);
      await expectUnchanged(opportunity, ['created']);
    });

    it('says why a date that is not in the future is refused', async () => {
      const opportunity = await openDeal();
      const response = await api.reschedule(opportunity.id, { new_next_action_at: NOW, reason: 'Busy' });
      expect((response.body as ErrorEnvelope).errors).toEqual([
        { field: 'new_next_action_at', message: 'new_next_action_at must be in the future' },
      ]);
    });

    it('answers 409 VERSION_CONFLICT for a stale expected_version and changes nothing', async () => {
      const opportunity = await openDeal();
      const moved = (await api.reschedule(opportunity.id, { new_next_action_at: TOMORROW, reason: 'One' }))
        .body as OpportunityDto;
      const response = await api.reschedule(opportunity.id, {
        new_next_action_at: NEXT_WEEK,
        reason: 'Two',
        expected_version: 1,
      });
      expect(response.status).toBe(409);
      expect(response.body).toEqual(versionConflict(1, 2));
      await expectUnchanged(moved, ['rescheduled', 'created']);
    });
  });

  describe('closing', () => {
    it.each([
      ['won', 'Closed Won'],
      ['lost', 'Closed Lost'],
    ])('closes as %s: stage %s, closed_at now, no next action, never overdue', async (outcome, stage) => {
      const opportunity = await openDeal();
      const response = await api.close(opportunity.id, { outcome, expected_version: 1 });
      expect(response.status).toBe(200);
      const closed = {
        ...opportunity,
        stage,
        status: outcome,
        next_action_at: null,
        next_action_details: null,
        is_overdue: false,
        closed_at: NOW,
        version: 2,
        updated_at: NOW,
      };
      expect(response.body).toEqual(closed);
      expect(await fetched(opportunity.id)).toEqual(closed);
      const [row] = await t.dataSource.query<Record<string, unknown>[]>(
        `SELECT stage, next_action_at, next_action_details, closed_at FROM opportunities
         WHERE tenant_id = $1 AND id = $2`,
        [tenant, opportunity.id],
      );
      expect(row).toEqual({
        stage,
        next_action_at: null,
        next_action_details: null,
        closed_at: new Date(NOW),
      });
    });

    it('records the outcome, the reason and the action it dropped in the timeline', async () => {
      const opportunity = await openDeal({ stage: 'Negotiation' });
      await api.close(opportunity.id, { outcome: 'lost', reason: ' Chose a cheaper vendor ' }).expect(200);
      const [closedEvent] = await timeline(opportunity.id);
      expect(closedEvent).toEqual({
        id: expect.any(String),
        opportunity_id: opportunity.id,
        type: 'closed',
        occurred_at: NOW,
        from_stage: 'Negotiation',
        to_stage: 'Closed Lost',
        outcome: 'lost',
        reason: 'Chose a cheaper vendor',
        details: 'Follow up on proposal feedback',
        previous_next_action_at: DUE_AT,
      });
    });

    it.each([
      ['without a reason', {}],
      ['with a blank reason', { reason: '   ' }],
    ])('records a null reason when closed %s', async (_case, body) => {
      const opportunity = await openDeal();
      await api.close(opportunity.id, { outcome: 'won', ...body }).expect(200);
      const [closedEvent] = await timeline(opportunity.id);
      expect(closedEvent).toMatchObject({ type: 'closed', outcome: 'won', reason: null });
    });

    it('takes the deal out of the due list and every count of the summary, whatever the window', async () => {
      const kept = await openDeal({ name: 'Kept', value: 20 });
      const lost = await openDeal({ name: 'Lost', value: 300 });
      const won = await openDeal({ name: 'Won', value: 4000, next_action_at: TOMORROW });
      await api.close(lost.id, { outcome: 'lost' }).expect(200);
      await api.close(won.id, { outcome: 'won' }).expect(200);

      for (const query of [{}, WIDE_WINDOW]) {
        expect((await api.due(query)).body).toEqual([kept]);
        expect((await api.summary(query)).body).toEqual({
          overdue_count: 1,
          due_today_count: 0,
          due_value_total: 20,
          pipeline_value_open: 20,
          rescheduled_count: 0,
        });
      }
    });

    it('forgets the pushes of the dropped action', async () => {
      const opportunity = await openDeal();
      await api.reschedule(opportunity.id, { new_next_action_at: TOMORROW, reason: 'One' }).expect(200);
      await api.reschedule(opportunity.id, { new_next_action_at: NEXT_WEEK, reason: 'Two' }).expect(200);
      expect((await api.summary()).body).toMatchObject({ rescheduled_count: 1 });
      const closed = await api.close(opportunity.id, { outcome: 'lost' });
      expect((closed.body as OpportunityDto).reschedule_count).toBe(0);
      expect((await api.summary()).body).toMatchObject({ rescheduled_count: 0, pipeline_value_open: 0 });
    });

    it.each([
      ['won', 'won'],
      ['won', 'lost'],
      ['lost', 'won'],
    ])(
      'answers 409 OPPORTUNITY_CLOSED to closing a deal closed as %s again as %s, and changes nothing',
      async (first, second) => {
        const closed = await closedDeal(first as 'won' | 'lost');
        t.clock.set(minutesLater(5));
        const response = await api.close(closed.id, { outcome: second, expected_version: closed.version });
        expect(response.status).toBe(409);
        expect(response.body).toEqual(CLOSED_ERROR);
        await expectUnchanged(closed, ['closed', 'created']);
      },
    );

    it.each<[string, (api: Api, id: string) => Promise<Response>]>([
      [
        'completing its action',
        (api, id) => api.complete(id, { new_next_action_at: NEXT_WEEK, new_next_action_details: 'Call' }),
      ],
      ['rescheduling it', (api, id) => api.reschedule(id, { new_next_action_at: NEXT_WEEK, reason: 'Busy' })],
      ['editing its name', (api, id) => api.patch(id, { name: 'Renamed' })],
      ['moving it to an open stage', (api, id) => api.patch(id, { stage: 'Proposal', expected_version: 2 })],
    ])('answers 409 OPPORTUNITY_CLOSED to %s once it is closed, and changes nothing', async (_case, send) => {
      const closed = await closedDeal();
      t.clock.set(minutesLater(5));
      const response = await send(api, closed.id);
      expect(response.status).toBe(409);
      expect(response.body).toEqual(CLOSED_ERROR);
      await expectUnchanged(closed, ['closed', 'created']);
    });

    it.each<[string, Body, string]>([
      ['without an outcome', {}, 'outcome'],
      ['with an unknown outcome', { outcome: 'cancelled' }, 'outcome'],
      ['with an outcome in another case', { outcome: 'Won' }, 'outcome'],
      ['with a reason of 501 characters', { outcome: 'won', reason: 'x'.repeat(501) }, 'reason'],
      ['with a stage', { outcome: 'won', stage: 'Closed Won' }, 'stage'],
    ])('answers 400 VALIDATION_ERROR %s and changes nothing', async (_case, body, field) => {
      const opportunity = await openDeal();
      expectValidationError(await api.close(opportunity.id, body), field);
      await expectUnchanged(opportunity, ['created']);
    });

    it('answers 409 VERSION_CONFLICT for a stale expected_version and changes nothing', async () => {
      const opportunity = await openDeal();
      const edited = (await api.patch(opportunity.id, { value: 1 })).body as OpportunityDto;
      const response = await api.close(opportunity.id, { outcome: 'won', expected_version: 1 });
      expect(response.status).toBe(409);
      expect(response.body).toEqual(versionConflict(1, 2));
      await expectUnchanged(edited, ['created']);
    });

    it('lets exactly one of several simultaneous closes through', async () => {
      const opportunity = await openDeal();
      const responses = await Promise.all(
        ['won', 'lost', 'won', 'lost', 'won'].map((outcome) => api.close(opportunity.id, { outcome })),
      );
      expect(responses.map((response) => response.status).sort()).toEqual([200, 409, 409, 409, 409]);
      for (const refused of responses.filter((response) => response.status === 409)) {
        expect(refused.body).toEqual(CLOSED_ERROR);
      }
      expect(await eventTypes(t, tenant, opportunity.id)).toEqual(['closed', 'created']);
    });
  });

  describe('reopening', () => {
    const REOPEN = {
      stage: 'Qualification',
      next_action_at: NEXT_WEEK,
      next_action_details: 'Call the new buyer',
    };

    it('brings a closed deal back into an open stage with its new next action', async () => {
      const closed = await closedDeal('lost');
      t.clock.set(minutesLater(30));
      const response = await api.reopen(closed.id, { ...REOPEN, expected_version: 2 });
      expect(response.status).toBe(200);
      const reopened = {
        ...closed,
        stage: 'Qualification',
        status: 'open',
        next_action_at: NEXT_WEEK,
        next_action_details: 'Call the new buyer',
        closed_at: null,
        version: 3,
        updated_at: minutesLater(30),
      };
      expect(response.body).toEqual(reopened);
      expect(await fetched(closed.id)).toEqual(reopened);
      const [event] = await timeline(closed.id);
      expect(event).toEqual({
        id: expect.any(String),
        opportunity_id: closed.id,
        type: 'reopened',
        occurred_at: minutesLater(30),
        from_stage: 'Closed Lost',
        to_stage: 'Qualification',
        next_action_at: NEXT_WEEK,
        details: 'Call the new buyer',
      });
    });

    it('makes the deal due again once its new action comes, and counts it in the open pipeline', async () => {
      const closed = await closedDeal();
      await api.reopen(closed.id, REOPEN).expect(200);
      expect((await api.summary()).body).toMatchObject({ pipeline_value_open: 50000, overdue_count: 0 });
      t.clock.set('2026-07-22T10:00:00.000Z');
      expect((await api.due()).body).toEqual([
        expect.objectContaining({ id: closed.id, is_overdue: true, status: 'open' }),
      ]);
    });

    it('starts the reopened action with no pushes, and counts new ones', async () => {
      const opportunity = await openDeal();
      await api.reschedule(opportunity.id, { new_next_action_at: TOMORROW, reason: 'One' }).expect(200);
      await api.close(opportunity.id, { outcome: 'won' }).expect(200);
      const reopened = await api.reopen(opportunity.id, REOPEN);
      expect((reopened.body as OpportunityDto).reschedule_count).toBe(0);
      const pushed = await api.reschedule(opportunity.id, {
        new_next_action_at: '2026-07-23T09:00:00Z',
        reason: 'Two',
      });
      expect((pushed.body as OpportunityDto).reschedule_count).toBe(1);
    });

    it.each<[string, Body, string]>([
      ['without next_action_at', { stage: 'Proposal', next_action_details: 'Call' }, 'next_action_at'],
      [
        'without next_action_details',
        { stage: 'Proposal', next_action_at: NEXT_WEEK },
        'next_action_details',
      ],
      ['with blank next_action_details', { ...REOPEN, next_action_details: '  ' }, 'next_action_details'],
      ['without a stage', { next_action_at: NEXT_WEEK, next_action_details: 'Call' }, 'stage'],
      ['into a closed stage', { ...REOPEN, stage: 'Closed Won' }, 'stage'],
      ['with a next action due now', { ...REOPEN, next_action_at: NOW }, 'next_action_at'],
      ['with a next action in the past', { ...REOPEN, next_action_at: DUE_AT }, 'next_action_at'],
      ['with an unknown field', { ...REOPEN, reason: 'Back' }, 'reason'],
    ])('answers 400 VALIDATION_ERROR %s and leaves the deal closed', async (_case, body, field) => {
      const closed = await closedDeal();
      expectValidationError(await api.reopen(closed.id, body), field);
      await expectUnchanged(closed, ['closed', 'created']);
    });

    it('answers 409 OPPORTUNITY_NOT_CLOSED for an open deal, and changes nothing', async () => {
      const opportunity = await openDeal();
      const response = await api.reopen(opportunity.id, REOPEN);
      expect(response.status).toBe(409);
      expect(response.body).toEqual({
        detail: 'The opportunity is open: only a closed opportunity can be reopened.',
        error_code: 'OPPORTUNITY_NOT_CLOSED',
      });
      await expectUnchanged(opportunity, ['created']);
    });

    it('answers 409 VERSION_CONFLICT for a stale expected_version and leaves the deal closed', async () => {
      const closed = await closedDeal();
      const response = await api.reopen(closed.id, { ...REOPEN, expected_version: 1 });
      expect(response.status).toBe(409);
      expect(response.body).toEqual(versionConflict(1, 2));
      await expectUnchanged(closed, ['closed', 'created']);
    });

    it('answers 404 for a missing opportunity', async () => {
      const response = await api.reopen('3b241101-e2bb-4255-8caf-4136c566a962', REOPEN);
      expect(response.status).toBe(404);
      expect(response.body).toEqual(NOT_FOUND_ERROR);
    });
  });
});
