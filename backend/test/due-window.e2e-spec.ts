import type { Response } from 'supertest';
import type { ErrorBody } from '../src/common/errors/api-error';
import type { DueSummaryDto } from '../src/opportunities/dto/due-summary.dto';
import type { OpportunityDto } from '../src/opportunities/dto/opportunity.dto';
import { createTestApp, type TestApp } from './support/test-app';

const DUE = '/api/v1/opportunities/due';
const SUMMARY = '/api/v1/opportunities/due/summary';
const NOW = '2026-07-15T12:00:00.000Z';

type Query = Record<string, string | number>;
type DueCounts = Pick<DueSummaryDto, 'overdue_count' | 'due_today_count' | 'due_value_total'>;

/** Oldest first, ties by id: PostgreSQL orders uuids as their canonical lowercase text sorts. */
function dueOrder(opportunities: OpportunityDto[]): string[] {
  return [...opportunities]
    .sort((a, b) =>
      a.next_action_at === b.next_action_at
        ? a.id.localeCompare(b.id)
        : String(a.next_action_at).localeCompare(String(b.next_action_at)),
    )
    .map((opportunity) => opportunity.id);
}

function idsOf(response: Response): string[] {
  return (response.body as OpportunityDto[]).map((opportunity) => opportunity.id);
}

function nextLink(response: Response): string | undefined {
  const link = response.get('Link');
  if (link === undefined) return undefined;
  const match = /^<([^>]+)>; rel="next"$/.exec(link);
  if (!match) throw new Error(`Link header is not a single rel="next" link: ${link}`);
  return match[1];
}

function cursorOf(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

describe('the due list window and paging', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(NOW);
  });
  beforeEach(() => t.clock.set(NOW));
  afterAll(() => t.close());

  async function createOpportunity(
    tenant: string,
    nextActionAt: string,
    value = 1000,
  ): Promise<OpportunityDto> {
    const response = await t
      .http()
      .post('/api/v1/opportunities')
      .set(t.headersFor(tenant))
      .send({
        name: `Deal due ${nextActionAt}`,
        value,
        stage: 'Qualification',
        next_action_at: nextActionAt,
        next_action_details: 'Call the buyer',
      });
    expect(response.status).toBe(201);
    return response.body as OpportunityDto;
  }

  const getDue = (tenant: string, query: Query = {}) =>
    t.http().get(DUE).set(t.headersFor(tenant)).query(query);
  const getSummary = (tenant: string, query: Query = {}) =>
    t.http().get(SUMMARY).set(t.headersFor(tenant)).query(query);

  /** Follows rel="next" links from the first page until there is none; returns the ids of each page. */
  async function pagesFrom(tenant: string, query: Query): Promise<{ pages: string[][]; links: string[] }> {
    const pages: string[][] = [];
    const links: string[] = [];
    let response = await getDue(tenant, query);
    for (;;) {
      expect(response.status).toBe(200);
      pages.push(idsOf(response));
      const link = nextLink(response);
      if (link === undefined) return { pages, links };
      if (pages.length > 50) throw new Error('the Link chain does not end');
      links.push(link);
      response = await t.http().get(link).set(t.headersFor(tenant));
    }
  }

  describe("ends today at midnight in the tenant's time zone", () => {
    it.each([
      {
        zone: 'America/Los_Angeles',
        now: '2026-07-16T03:00:00.000Z', // 20:00 on July 15 locally, already July 16 in UTC
        lastDue: '2026-07-15T23:59:59.999-07:00',
        firstNotDue: '2026-07-16T00:00:00.000-07:00',
      },
      {
        zone: 'Asia/Kolkata',
        now: '2026-07-15T20:00:00.000Z', // 01:30 on July 16 locally, still July 15 in UTC
        lastDue: '2026-07-16T23:59:59.999+05:30',
        firstNotDue: '2026-07-17T00:00:00.000+05:30',
      },
      {
        zone: 'America/New_York',
        now: '2026-11-01T05:30:00.000Z', // 01:30 EDT, before the clocks fall back: a 25-hour day
        lastDue: '2026-11-01T23:59:59.999-05:00',
        firstNotDue: '2026-11-02T00:00:00.000-05:00',
      },
      {
        zone: 'America/New_York',
        now: '2026-11-01T12:00:00.000Z', // 07:00 EST, after the clocks fell back
        lastDue: '2026-11-01T23:59:59.999-05:00',
        firstNotDue: '2026-11-02T00:00:00.000-05:00',
      },
      {
        zone: 'Europe/Berlin',
        now: '2026-03-29T00:30:00.000Z', // 01:30 CET, before the clocks spring forward: a 23-hour day
        lastDue: '2026-03-29T23:59:59.999+02:00',
        firstNotDue: '2026-03-30T00:00:00.000+02:00',
      },
      {
        zone: 'Europe/Berlin',
        now: '2026-03-29T10:00:00.000Z', // 12:00 CEST, after the clocks sprang forward
        lastDue: '2026-03-29T23:59:59.999+02:00',
        firstNotDue: '2026-03-30T00:00:00.000+02:00',
      },
    ])(
      'lists an action at local 23:59:59.999 but not one at local midnight in $zone at $now',
      async ({ zone, now, lastDue, firstNotDue }) => {
        const tenant = await t.createTenant({ timezone: zone });
        t.clock.set(now);
        const due = await createOpportunity(tenant, lastDue, 700);
        await createOpportunity(tenant, firstNotDue, 300);

        const response = await getDue(tenant);
        expect(response.status).toBe(200);
        expect(idsOf(response)).toEqual([due.id]);
        const summary = await getSummary(tenant);
        expect(summary.body).toEqual({
          overdue_count: 0,
          due_today_count: 1,
          due_value_total: 700,
          pipeline_value_open: 1000,
          rescheduled_count: 0,
        });
      },
    );
  });

  describe('is_overdue', () => {
    it('is true exactly when next_action_at is before now', async () => {
      const tenant = await t.createTenant();
      const before = await createOpportunity(tenant, '2026-07-15T11:59:59.999Z');
      const atNow = await createOpportunity(tenant, '2026-07-15T12:00:00.000Z');
      const after = await createOpportunity(tenant, '2026-07-15T12:00:00.001Z');
      expect([before.is_overdue, atNow.is_overdue, after.is_overdue]).toEqual([true, false, false]);

      const response = await getDue(tenant);
      expect((response.body as OpportunityDto[]).map((o) => [o.id, o.is_overdue])).toEqual([
        [before.id, true],
        [atNow.id, false],
        [after.id, false],
      ]);
      expect((await getSummary(tenant)).body).toMatchObject({ overdue_count: 1, due_today_count: 2 });
    });

    it('follows the clock: the same action becomes overdue once its time has passed', async () => {
      const tenant = await t.createTenant();
      const opportunity = await createOpportunity(tenant, '2026-07-15T12:00:00.000Z');
      t.clock.set('2026-07-15T12:00:00.001Z');

      const listed = (await getDue(tenant)).body as OpportunityDto[];
      expect(listed.map((o) => o.is_overdue)).toEqual([true]);
      const fetched = await t.http().get(`/api/v1/opportunities/${opportunity.id}`).set(t.headersFor(tenant));
      expect((fetched.body as OpportunityDto).is_overdue).toBe(true);
    });
  });

  describe('ordering and keyset paging', () => {
    /** Created out of order, with five actions at the very same instant so that only the id can order them. */
    async function createTiedOpportunities(tenant: string, tied: number): Promise<string[]> {
      const created: OpportunityDto[] = [];
      created.push(await createOpportunity(tenant, '2026-07-15T10:00:00.000Z'));
      for (let i = 0; i < tied; i += 1)
        created.push(await createOpportunity(tenant, '2026-07-15T09:00:00.000Z'));
      created.push(await createOpportunity(tenant, '2026-07-15T08:00:00.000Z'));
      return dueOrder(created);
    }

    it('lists the oldest first and breaks ties by id', async () => {
      const tenant = await t.createTenant();
      const expected = await createTiedOpportunities(tenant, 5);

      const response = await getDue(tenant);
      expect(idsOf(response)).toEqual(expected);
      expect(response.get('Link')).toBeUndefined();
    });

    it.each([
      { rows: 7, tied: 5, sizes: [2, 2, 2, 1] },
      { rows: 6, tied: 4, sizes: [2, 2, 2] },
    ])(
      'visits each of $rows rows exactly once, in order, when following Link headers with limit=2',
      async ({ tied, sizes }) => {
        const tenant = await t.createTenant();
        const expected = await createTiedOpportunities(tenant, tied);

        const { pages } = await pagesFrom(tenant, { limit: 2 });
        expect(pages.map((page) => page.length)).toEqual(sizes);
        expect(pages.flat()).toEqual(expected);
      },
    );

    it('keeps until, from and limit in the Link target and honours them on every page', async () => {
      const tenant = await t.createTenant();
      await createOpportunity(tenant, '2026-07-14T23:59:59.999Z');
      const inWindow = [
        await createOpportunity(tenant, '2026-07-15T00:00:00.000Z'),
        await createOpportunity(tenant, '2026-07-15T06:00:00.000Z'),
        await createOpportunity(tenant, '2026-07-15T06:00:00.000Z'),
        await createOpportunity(tenant, '2026-07-16T09:00:00.000Z'),
        await createOpportunity(tenant, '2026-07-17T12:00:00.000Z'),
      ];
      await createOpportunity(tenant, '2026-07-18T00:00:00.000Z');
      const query = { from: '2026-07-15T00:00:00.000Z', until: '2026-07-18T00:00:00.000Z', limit: 2 };

      const { pages, links } = await pagesFrom(tenant, query);
      expect(pages.flat()).toEqual(dueOrder(inWindow));
      expect(links).toHaveLength(2);
      for (const link of links) {
        const url = new URL(link, 'http://localhost');
        expect(url.pathname).toBe(DUE);
        expect(url.searchParams.get('from')).toBe(query.from);
        expect(url.searchParams.get('until')).toBe(query.until);
        expect(url.searchParams.get('limit')).toBe('2');
        expect(url.searchParams.get('cursor')).toMatch(/^[\w-]+$/);
      }
    });
  });

  describe('the until and from window', () => {
    let tenant: string;
    let overdue: OpportunityDto;
    let laterToday: OpportunityDto;
    let tomorrow: OpportunityDto;

    beforeAll(async () => {
      tenant = await t.createTenant();
      overdue = await createOpportunity(tenant, '2026-07-15T10:00:00.000Z', 100);
      laterToday = await createOpportunity(tenant, '2026-07-15T18:00:00.000Z', 20);
      tomorrow = await createOpportunity(tenant, '2026-07-16T10:00:00.000Z', 3);
    });

    it('ends at the end of today when until is not given', async () => {
      expect(idsOf(await getDue(tenant))).toEqual([overdue.id, laterToday.id]);
    });

    it.each([
      { until: '2026-07-17T00:00:00.000Z', listed: ['overdue', 'laterToday', 'tomorrow'] },
      { until: '2026-07-15T15:00:00.000Z', listed: ['overdue'] },
      { until: '2026-07-15T18:00:00.000Z', listed: ['overdue'] },
      { until: '2026-07-15T18:00:00.001Z', listed: ['overdue', 'laterToday'] },
    ])('replaces the end of today with until=$until, exclusively', async ({ until, listed }) => {
      const byName: Record<string, string> = {
        overdue: overdue.id,
        laterToday: laterToday.id,
        tomorrow: tomorrow.id,
      };
      expect(idsOf(await getDue(tenant, { until }))).toEqual(listed.map((name) => byName[name]));
    });

    it('includes an action exactly at from and excludes one a millisecond earlier', async () => {
      expect(idsOf(await getDue(tenant, { from: '2026-07-15T18:00:00.000Z' }))).toEqual([laterToday.id]);
      expect(idsOf(await getDue(tenant, { from: '2026-07-15T18:00:00.001Z' }))).toEqual([]);
      expect(
        idsOf(await getDue(tenant, { from: '2026-07-15T10:00:00.000Z', until: '2026-07-16T10:00:00.000Z' })),
      ).toEqual([overdue.id, laterToday.id]);
    });

    it.each([
      { path: DUE, from: '2026-07-15T18:00:00.000Z', until: '2026-07-15T18:00:00.000Z' },
      { path: DUE, from: '2026-07-16T00:00:00.000Z', until: '2026-07-15T00:00:00.000Z' },
      { path: SUMMARY, from: '2026-07-15T18:00:00.000Z', until: '2026-07-15T18:00:00.000Z' },
      { path: SUMMARY, from: '2026-07-16T00:00:00.000Z', until: '2026-07-15T00:00:00.000Z' },
    ])('answers 400 VALIDATION_ERROR on $path when from=$from is not before until=$until', async (c) => {
      const response = await t
        .http()
        .get(c.path)
        .set(t.headersFor(tenant))
        .query({ from: c.from, until: c.until });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        detail: 'The request is invalid: see errors for each field.',
        error_code: 'VALIDATION_ERROR',
        errors: [{ field: 'until', message: 'until must be after from' }],
      });
    });

    it.each([
      ['from', '2026-07-15'],
      ['from', '2026-07-15T10:00:00'],
      ['until', 'tomorrow'],
      ['until', '2026-02-30T00:00:00Z'],
    ])('answers 400 VALIDATION_ERROR for %s=%s', async (field, value) => {
      for (const path of [DUE, SUMMARY]) {
        const response = await t
          .http()
          .get(path)
          .set(t.headersFor(tenant))
          .query({ [field]: value });
        expect(response.status).toBe(400);
        expect((response.body as ErrorBody).errors?.map((error) => error.field)).toEqual([field]);
      }
    });

    it.each<{ query: Query; summary: DueCounts }>([
      { query: {}, summary: { overdue_count: 1, due_today_count: 1, due_value_total: 120 } },
      {
        query: { until: '2026-07-17T00:00:00.000Z' },
        summary: { overdue_count: 1, due_today_count: 2, due_value_total: 123 },
      },
      {
        query: { until: '2026-07-15T11:00:00.000Z' },
        summary: { overdue_count: 1, due_today_count: 0, due_value_total: 100 },
      },
      {
        query: { from: '2026-07-15T18:00:00.000Z', until: '2026-07-17T00:00:00.000Z' },
        summary: { overdue_count: 0, due_today_count: 2, due_value_total: 23 },
      },
      {
        query: { from: '2026-07-16T10:00:00.001Z' },
        summary: { overdue_count: 0, due_today_count: 0, due_value_total: 0 },
      },
    ])('summarizes the same window as the list for $query', async ({ query, summary }) => {
      const response = await getSummary(tenant, query);
      expect(response.status).toBe(200);
      // The whole open pipeline is worth 123 whatever the window; nothing was rescheduled.
      expect(response.body).toEqual({ ...summary, pipeline_value_open: 123, rescheduled_count: 0 });
      const listed = (await getDue(tenant, query)).body as OpportunityDto[];
      expect(listed).toHaveLength(summary.overdue_count + summary.due_today_count);
      expect(listed.reduce((sum, o) => sum + o.value, 0)).toBe(
        (response.body as DueSummaryDto).due_value_total,
      );
    });
  });

  describe('limit', () => {
    let tenant: string;

    beforeAll(async () => {
      tenant = await t.createTenant();
      await t.dataSource.query(
        `INSERT INTO opportunities (tenant_id, owner_id, name, value, stage, next_action_at, next_action_details)
         SELECT $1, $3, 'Bulk deal ' || n, n, 'Prospecting', $2::timestamptz - n * interval '1 minute', 'Call back'
         FROM generate_series(1, 101) AS n`,
        [tenant, NOW, t.ownerOf(tenant).id],
      );
    });

    it('answers 100 rows and a Link by default, and the Link leads to the rest', async () => {
      const first = await getDue(tenant);
      expect(first.status).toBe(200);
      expect(first.body).toHaveLength(100);
      const link = nextLink(first);
      expect(link).toBeDefined();

      const second = await t
        .http()
        .get(link ?? '')
        .set(t.headersFor(tenant));
      expect(second.body).toHaveLength(1);
      expect(second.get('Link')).toBeUndefined();
      expect(new Set([...idsOf(first), ...idsOf(second)]).size).toBe(101);
    });

    it.each([
      { limit: 1, rows: 1, link: true },
      { limit: 500, rows: 101, link: false },
    ])('accepts limit=$limit', async ({ limit, rows, link }) => {
      const response = await getDue(tenant, { limit });
      expect(response.status).toBe(200);
      expect(response.body).toHaveLength(rows);
      expect(nextLink(response) !== undefined).toBe(link);
    });

    it.each(['0', '501', 'abc', '-1', '1.5', ''])(
      'answers 400 VALIDATION_ERROR for limit=%j',
      async (limit) => {
        const response = await getDue(tenant, { limit });
        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({ error_code: 'VALIDATION_ERROR' });
        expect((response.body as ErrorBody).errors?.map((error) => error.field)).toEqual(['limit']);
      },
    );
  });

  describe('cursor', () => {
    let tenant: string;

    beforeAll(async () => {
      tenant = await t.createTenant();
      await createOpportunity(tenant, '2026-07-15T09:00:00.000Z');
    });

    it.each([
      ['garbage', 'not a cursor!'],
      ['base64 of text that is not JSON', cursorOf('hello world')],
      ['base64 of a JSON string', cursorOf('"2026-07-15T09:00:00Z"')],
      ['base64 of JSON null', cursorOf('null')],
      ['JSON without an id', cursorOf({ at: '2026-07-15T09:00:00.000Z' })],
      ['JSON whose id is not a UUID', cursorOf({ at: '2026-07-15T09:00:00.000Z', id: '42' })],
      [
        'JSON whose at is not a date',
        cursorOf({ at: 'yesterday', id: '3b241101-e2bb-4255-8caf-4136c566a962' }),
      ],
      ['longer than 512 characters', 'a'.repeat(513)],
    ])('answers 400 VALIDATION_ERROR naming cursor for a cursor that is %s', async (_label, cursor) => {
      const response = await getDue(tenant, { cursor });
      expect(response.status).toBe(400);
      const body = response.body as ErrorBody;
      expect(body.error_code).toBe('VALIDATION_ERROR');
      expect(body.errors?.[0]?.field).toBe('cursor');
    });
  });
});
