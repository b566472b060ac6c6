import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Response } from 'supertest';
import type { BulkResultDto } from '../src/opportunities/dto/bulk.dto';
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
const EARLIER = '2026-07-15T11:00:00.000Z';
const DUE_AT = '2026-07-15T09:00:00.000Z';
const SHARED_AT = '2026-07-20T09:00:00.000Z';
const OWN_AT = '2026-07-21T09:00:00.000Z';

const SHARED_COMPLETION = {
  new_next_action_at: SHARED_AT,
  new_next_action_details: 'Send the renewal quote',
};
const SHARED_RESCHEDULE = { new_next_action_at: SHARED_AT, reason: 'Quarter-end freeze at the customer' };

type Operation = 'complete' | 'reschedule';

describe('bulk changes', () => {
  let t: TestApp;
  let tenant: string;
  let otherTenant: string;
  let api: Api;
  let otherApi: Api;

  beforeAll(async () => {
    t = await createTestApp(NOW);
  });
  beforeEach(async () => {
    t.clock.set(EARLIER);
    tenant = await t.createTenant();
    otherTenant = await t.createTenant();
    api = apiFor(t, tenant);
    otherApi = apiFor(t, otherTenant);
  });
  afterAll(() => t.close());

  const send = (operation: Operation, body: Body): Promise<Response> =>
    operation === 'complete' ? api.bulkComplete(body) : api.bulkReschedule(body);
  const sharedOf = (operation: Operation) =>
    operation === 'complete' ? SHARED_COMPLETION : SHARED_RESCHEDULE;
  /** The event a successful item of `operation` appends. */
  const eventOf = (operation: Operation) => (operation === 'complete' ? 'completed' : 'rescheduled');

  /** Open deals created before NOW; the bulk request then runs at NOW. */
  async function openDeals(count: number, api_ = api): Promise<OpportunityDto[]> {
    const deals: OpportunityDto[] = [];
    for (let index = 0; index < count; index += 1)
      deals.push(await created(api_, { name: `Deal ${index + 1}` }));
    return deals;
  }

  async function fetched(id: string, api_ = api): Promise<OpportunityDto> {
    const response = await api_.get(id);
    expect(response.status).toBe(200);
    return response.body as OpportunityDto;
  }

  async function expectUnchanged(before: OpportunityDto, types: string[], tenantId = tenant): Promise<void> {
    expect(await fetched(before.id, tenantId === tenant ? api : otherApi)).toEqual(before);
    expect(await eventTypes(t, tenantId, before.id)).toEqual(types);
  }

  describe.each<Operation>(['complete', 'reschedule'])('POST /opportunities/bulk/%s', (operation) => {
    it('changes every item and answers 200 with each opportunity, in the order sent', async () => {
      const deals = await openDeals(3);
      t.clock.set(NOW);
      const items = [deals[2], deals[0], deals[1]].map((deal) => ({ id: deal.id, expected_version: 1 }));
      const response = await send(operation, { items, shared: sharedOf(operation) });
      expect(response.status).toBe(200);
      const body = response.body as BulkResultDto;
      expect(body.succeeded).toBe(3);
      expect(body.failed).toBe(0);
      expect(body.results.map((result) => [result.id, result.status])).toEqual(
        items.map((item) => [item.id, 200]),
      );
      for (const result of body.results) {
        expect(result.error).toBeUndefined();
        expect(result.opportunity).toEqual(await fetched(result.id));
        expect(result.opportunity).toMatchObject({
          next_action_at: SHARED_AT,
          version: 2,
          updated_at: NOW,
          reschedule_count: operation === 'reschedule' ? 1 : 0,
        });
        expect(await eventTypes(t, tenant, result.id)).toEqual([eventOf(operation), 'created']);
      }
      expect((await api.due()).body).toEqual([]);
    });

    it('gives each item its own next action when it has one, and the shared one otherwise', async () => {
      const [own, shared, mixed] = await openDeals(3);
      t.clock.set(NOW);
      const ownFields =
        operation === 'complete'
          ? { new_next_action_at: OWN_AT, new_next_action_details: 'Own plan' }
          : { new_next_action_at: OWN_AT, reason: 'Own reason' };
      const response = await send(operation, {
        items: [
          { id: own.id, ...ownFields },
          { id: shared.id },
          { id: mixed.id, new_next_action_at: OWN_AT },
        ],
        shared: sharedOf(operation),
      });
      expect(response.status).toBe(200);
      const after = (response.body as BulkResultDto).results.map((result) => result.opportunity);
      const details = (deal: OpportunityDto | undefined) => [deal?.next_action_at, deal?.next_action_details];
      if (operation === 'complete') {
        expect(after.map(details)).toEqual([
          [OWN_AT, 'Own plan'],
          [SHARED_AT, 'Send the renewal quote'],
          [OWN_AT, 'Send the renewal quote'],
        ]);
      } else {
        expect(after.map(details)).toEqual([
          [OWN_AT, 'Follow up on proposal feedback'],
          [SHARED_AT, 'Follow up on proposal feedback'],
          [OWN_AT, 'Follow up on proposal feedback'],
        ]);
        const reasons = [];
        for (const deal of [own, shared, mixed]) {
          const [event] = (await api.timeline(deal.id)).body as OpportunityEventDto[];
          reasons.push(event.reason);
        }
        expect(reasons).toEqual(['Own reason', SHARED_RESCHEDULE.reason, SHARED_RESCHEDULE.reason]);
      }
    });

    it('applies only the good items of a mix and answers 207 with the status and error of every failure', async () => {
      const [good, stale, closedDeal, lastGood] = await openDeals(4);
      const [foreign] = await openDeals(1, otherApi);
      t.clock.set('2026-07-15T11:30:00.000Z');
      const staleNow = (await api.patch(stale.id, { value: 1 }).expect(200)).body as OpportunityDto;
      const closed = (await api.close(closedDeal.id, { outcome: 'won' }).expect(200)).body as OpportunityDto;
      const missing = randomUUID();
      t.clock.set(NOW);

      const response = await send(operation, {
        items: [
          { id: good.id, expected_version: 1 },
          { id: stale.id, expected_version: 1 },
          { id: foreign.id, expected_version: 1 },
          { id: missing, expected_version: 1 },
          { id: closed.id, expected_version: closed.version },
          { id: lastGood.id },
        ],
        shared: sharedOf(operation),
      });

      expect(response.status).toBe(207);
      const changed = await Promise.all([fetched(good.id), fetched(lastGood.id)]);
      expect(response.body).toEqual({
        succeeded: 2,
        failed: 4,
        results: [
          { id: good.id, status: 200, opportunity: changed[0] },
          { id: stale.id, status: 409, error: versionConflict(1, 2) },
          { id: foreign.id, status: 404, error: NOT_FOUND_ERROR },
          { id: missing, status: 404, error: NOT_FOUND_ERROR },
          { id: closed.id, status: 409, error: CLOSED_ERROR },
          { id: lastGood.id, status: 200, opportunity: changed[1] },
        ],
      });
      for (const deal of changed) {
        expect(deal).toMatchObject({ next_action_at: SHARED_AT, version: 2, updated_at: NOW });
        expect(await eventTypes(t, tenant, deal.id)).toEqual([eventOf(operation), 'created']);
      }
      await expectUnchanged(staleNow, ['created']);
      await expectUnchanged(closed, ['closed', 'created']);
      await expectUnchanged(foreign, ['created'], otherTenant);
      expect(await eventTypes(t, tenant, missing)).toEqual([]);
    });

    it('answers 207 when every item failed', async () => {
      const response = await send(operation, { items: [{ id: randomUUID() }], shared: sharedOf(operation) });
      expect(response.status).toBe(207);
      expect(response.body).toMatchObject({ succeeded: 0, failed: 1 });
    });

    it('reports an item whose date is not in the future as its own 400, and applies the others', async () => {
      const [good, past] = await openDeals(2);
      t.clock.set(NOW);
      const response = await send(operation, {
        items: [{ id: good.id }, { id: past.id, new_next_action_at: '2026-07-15T11:59:59.999Z' }],
        shared: sharedOf(operation),
      });
      expect(response.status).toBe(207);
      expect((response.body as BulkResultDto).results[1]).toEqual({
        id: past.id,
        status: 400,
        error: {
          detail: VALIDATION_DETAIL,
          error_code: 'VALIDATION_ERROR',
          errors: [{ field: 'new_next_action_at', message: 'new_next_action_at must be in the future' }],
        },
      });
      expect((await fetched(good.id)).version).toBe(2);
      await expectUnchanged(past, ['created']);
    });

    it('accepts 200 items', async () => {
      const [deal] = await openDeals(1);
      t.clock.set(NOW);
      const missing = Array.from({ length: 199 }, () => ({ id: randomUUID() }));
      const response = await send(operation, {
        items: [...missing, { id: deal.id }],
        shared: sharedOf(operation),
      });
      expect(response.status).toBe(207);
      const body = response.body as BulkResultDto;
      expect({ succeeded: body.succeeded, failed: body.failed }).toEqual({ succeeded: 1, failed: 199 });
      expect(body.results).toHaveLength(200);
      expect(body.results[199]).toMatchObject({ id: deal.id, status: 200 });
      expect(await eventTypes(t, tenant, deal.id)).toEqual([eventOf(operation), 'created']);
    });

    describe('a request that is wrong as a whole', () => {
      let deal: OpportunityDto;

      beforeEach(async () => {
        [deal] = await openDeals(1);
        t.clock.set(NOW);
      });
      afterEach(async () => {
        await expectUnchanged(deal, ['created']);
      });

      async function expectRefused(body: Body, field: string): Promise<void> {
        const response = await send(operation, body);
        expect(response.status).toBe(400);
        const envelope = response.body as ErrorEnvelope;
        expect(envelope.error_code).toBe('VALIDATION_ERROR');
        expect(envelope.errors?.map((error) => error.field)).toEqual([field]);
      }

      it('answers 400 for more than 200 items and changes none', async () => {
        const items = [{ id: deal.id }, ...Array.from({ length: 200 }, () => ({ id: randomUUID() }))];
        await expectRefused({ items, shared: sharedOf(operation) }, 'items');
      });

      it('answers 400 naming the repeated item for an id sent twice, and changes none', async () => {
        await expectRefused(
          { items: [{ id: deal.id }, { id: randomUUID() }, { id: deal.id }], shared: sharedOf(operation) },
          'items.2.id',
        );
      });

      it('answers 400 for an id sent twice in different letter case, which names the same opportunity', async () => {
        await expectRefused(
          { items: [{ id: deal.id }, { id: deal.id.toUpperCase() }], shared: sharedOf(operation) },
          'items.1.id',
        );
      });

      it('answers 400 naming the item that has neither its own nor a shared next action, and changes none', async () => {
        const own =
          operation === 'complete'
            ? { new_next_action_at: OWN_AT, new_next_action_details: 'Own plan' }
            : { new_next_action_at: OWN_AT, reason: 'Own reason' };
        await expectRefused({ items: [{ id: randomUUID(), ...own }, { id: deal.id }] }, 'items.1');
      });

      it('answers 400 when an item has only half of a next action and nothing is shared', async () => {
        await expectRefused({ items: [{ id: deal.id, new_next_action_at: OWN_AT }] }, 'items.0');
      });

      it.each<[string, (id: string, shared: Body) => Body, string]>([
        ['no items', (_id, shared) => ({ items: [], shared }), 'items'],
        ['no items at all', (_id, shared) => ({ shared }), 'items'],
        ['items that are not a list', (id, shared) => ({ items: { id }, shared }), 'items'],
        [
          'an item id that is not a UUID',
          (id, shared) => ({ items: [{ id }, { id: 'nope' }], shared }),
          'items.1.id',
        ],
        [
          'an item without an id',
          (_id, shared) => ({ items: [{ expected_version: 1 }], shared }),
          'items.0.id',
        ],
        [
          'an unknown field in an item',
          (id, shared) => ({ items: [{ id, priority: 1 }], shared }),
          'items.0.priority',
        ],
        [
          'an unknown field at the top',
          (id, shared) => ({ items: [{ id }], shared, dry_run: true }),
          'dry_run',
        ],
        [
          'expected_version 0',
          (id, shared) => ({ items: [{ id, expected_version: 0 }], shared }),
          'items.0.expected_version',
        ],
        [
          'a shared date without a time zone',
          (id, shared) => ({
            items: [{ id }],
            shared: { ...shared, new_next_action_at: '2026-07-20T09:00:00' },
          }),
          'shared.new_next_action_at',
        ],
        [
          'a shared next action without its date',
          (id, shared) => ({ items: [{ id }], shared: { ...shared, new_next_action_at: undefined } }),
          'shared.new_next_action_at',
        ],
      ])('answers 400 for %s, and changes none', async (_case, body, field) => {
        await expectRefused(body(deal.id, sharedOf(operation)), field);
      });
    });
  });

  describe('bulk fields of their own', () => {
    it('keeps the notes of each completion, its own or the shared ones', async () => {
      const [own, shared] = await openDeals(2);
      t.clock.set(NOW);
      await api
        .bulkComplete({
          items: [{ id: own.id, notes: 'Own notes' }, { id: shared.id }],
          shared: { ...SHARED_COMPLETION, notes: 'Shared notes' },
        })
        .expect(200);
      const notes = [];
      for (const deal of [own, shared]) {
        const [event] = (await api.timeline(deal.id)).body as OpportunityEventDto[];
        notes.push([event.type, event.details, event.due_at, event.notes]);
      }
      expect(notes).toEqual([
        ['completed', 'Follow up on proposal feedback', DUE_AT, 'Own notes'],
        ['completed', 'Follow up on proposal feedback', DUE_AT, 'Shared notes'],
      ]);
    });

    it.each<[string, Body, string]>([
      ['a reason over 500 characters', { reason: 'x'.repeat(501) }, 'shared.reason'],
      ['a blank reason', { reason: '  ' }, 'shared.reason'],
    ])('answers 400 to a bulk reschedule with %s', async (_case, change, field) => {
      const [deal] = await openDeals(1);
      const response = await api.bulkReschedule({
        items: [{ id: deal.id }],
        shared: { ...SHARED_RESCHEDULE, ...change },
      });
      expect(response.status).toBe(400);
      expect((response.body as ErrorEnvelope).errors?.map((error) => error.field)).toEqual([field]);
      await expectUnchanged(deal, ['created']);
    });

    it('keeps an item whole when saving it fails, and still applies the others', async () => {
      const [good, doomed] = await openDeals(2);
      t.clock.set(NOW);
      // The event row is written first; a trigger then refuses the UPDATE, so only a rollback can remove it.
      const trigger = `refuse_update_${tenant.replace(/-/g, '_')}`;
      await t.dataSource.query(`
        CREATE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'refused by the test'; END $$`);
      await t.dataSource.query(`
        CREATE TRIGGER ${trigger} BEFORE UPDATE ON opportunities
        FOR EACH ROW WHEN (OLD.tenant_id = '${tenant}' AND OLD.id = '${doomed.id}') EXECUTE FUNCTION ${trigger}()`);
      const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      try {
        const response = await api.bulkComplete({
          items: [{ id: doomed.id }, { id: good.id }],
          shared: SHARED_COMPLETION,
        });
        expect(response.status).toBe(207);
        expect((response.body as BulkResultDto).results).toEqual([
          {
            id: doomed.id,
            status: 500,
            error: {
              detail: 'An unexpected error occurred. It has been logged.',
              error_code: 'INTERNAL_ERROR',
            },
          },
          { id: good.id, status: 200, opportunity: await fetched(good.id) },
        ]);
        expect(response.text).not.toContain('refused by the test');
        expect(logged).toHaveBeenCalled();
      } finally {
        logged.mockRestore();
        await t.dataSource.query(`DROP TRIGGER ${trigger} ON opportunities`);
        await t.dataSource.query(`DROP FUNCTION ${trigger}()`);
      }
      await expectUnchanged(doomed, ['created']);
      expect(await eventTypes(t, tenant, good.id)).toEqual(['completed', 'created']);
    });
  });
});
