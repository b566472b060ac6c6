import { LIST_SORTS } from '../src/opportunities/dto/list-query.dto';
import type { OpportunityDto } from '../src/opportunities/dto/opportunity.dto';
import {
  allPages,
  apiFor,
  created,
  cursorOf,
  idsOf,
  nextLink,
  OPPORTUNITIES,
  type Api,
  type ErrorEnvelope,
  type Query,
} from './support/api';
import { createTestApp, type TestApp } from './support/test-app';

const NOW = '2026-07-15T12:00:00.000Z';
const CLOSED_AT = '2026-07-15T12:30:00.000Z';

type SortColumn = 'next_action_at' | 'value' | 'updated_at' | 'name';

/** PostgreSQL orders uuids byte by byte, which is how their lowercase text compares. */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareValues(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/**
 * The order the API promises for `sort`: by the column in its direction, rows without a value (closed deals)
 * last in both directions, ties by id in the same direction.
 */
function sortedIds(rows: OpportunityDto[], sort: string): string[] {
  const descending = sort.startsWith('-');
  const column = sort.replace(/^-/, '') as SortColumn;
  return [...rows]
    .sort((a, b) => {
      const [x, y] = [a[column], b[column]];
      if (x === null || y === null) {
        const nulls = compareValues(x, y);
        if (nulls !== 0) return nulls;
      } else {
        const byValue = compareValues(x, y);
        if (byValue !== 0) return descending ? -byValue : byValue;
      }
      const byId = compareIds(a.id, b.id);
      return descending ? -byId : byId;
    })
    .map((row) => row.id);
}

function expectValidationError(body: unknown, field: string): void {
  const envelope = body as ErrorEnvelope;
  expect(envelope.error_code).toBe('VALIDATION_ERROR');
  expect(envelope.errors?.map((error) => error.field)).toEqual([field]);
}

describe('the list of all opportunities', () => {
  let t: TestApp;
  let tenant: string;
  let api: Api;
  /** By name, as the list answers them after the closes. */
  const deals: Record<string, OpportunityDto> = {};

  const byNextAction = (...names: string[]) =>
    sortedIds(
      names.map((name) => deals[name]),
      'next_action_at',
    );

  beforeAll(async () => {
    t = await createTestApp(NOW);
    tenant = await t.createTenant();
    api = apiFor(t, tenant);
    // All created at NOW (ties on updated_at), two sharing a next action, three sharing a value.
    const open = [
      { name: 'Acme Corp Deal', value: 50000, stage: 'Proposal', next_action_at: '2026-07-16T09:00:00Z' },
      {
        name: 'Globex Renewal',
        value: 12000,
        stage: 'Prospecting',
        next_action_at: '2026-07-15T09:00:00Z',
        next_action_details: 'Offer the 50% discount',
      },
      {
        name: 'Initech Upgrade',
        value: 12000,
        stage: 'Negotiation',
        next_action_at: '2026-07-20T09:00:00Z',
        next_action_details: 'Send the ACME reference',
      },
      {
        name: 'Umbrella_Corp Pilot',
        value: 800,
        stage: 'Qualification',
        next_action_at: '2026-07-16T09:00:00Z',
      },
      { name: 'Stark 500 Deal', value: 3000, stage: 'Proposal', next_action_at: '2026-07-17T09:00:00Z' },
      { name: 'Wayne Deal', value: 70000, stage: 'Negotiation', next_action_at: '2026-07-18T09:00:00Z' },
      { name: 'Hooli Analytics', value: 12000, stage: 'Proposal', next_action_at: '2026-07-19T09:00:00Z' },
    ];
    for (const body of open)
      deals[body.name] = await created(api, { next_action_details: 'Call the buyer', ...body });
    // Closed at one later instant: ties on updated_at among them too, and no next action.
    t.clock.set(CLOSED_AT);
    for (const [name, outcome] of [
      ['Stark 500 Deal', 'won'],
      ['Wayne Deal', 'lost'],
      ['Hooli Analytics', 'won'],
    ]) {
      const response = await api.close(deals[name].id, { outcome });
      expect(response.status).toBe(200);
      deals[name] = response.body as OpportunityDto;
    }
    t.clock.set(NOW);
  });
  afterAll(() => t.close());

  describe('status', () => {
    it('lists open opportunities by default, soonest next action first', async () => {
      const response = await api.list();
      expect(response.status).toBe(200);
      expect(idsOf(response)).toEqual(
        byNextAction('Acme Corp Deal', 'Globex Renewal', 'Initech Upgrade', 'Umbrella_Corp Pilot'),
      );
      expect(response.body).toEqual(
        expect.arrayContaining([deals['Acme Corp Deal'], deals['Globex Renewal']]),
      );
      expect(response.get('Link')).toBeUndefined();
    });

    it.each([
      ['open', ['Acme Corp Deal', 'Globex Renewal', 'Initech Upgrade', 'Umbrella_Corp Pilot']],
      ['won', ['Stark 500 Deal', 'Hooli Analytics']],
      ['lost', ['Wayne Deal']],
      ['closed', ['Stark 500 Deal', 'Wayne Deal', 'Hooli Analytics']],
      [
        'all',
        [
          'Acme Corp Deal',
          'Globex Renewal',
          'Initech Upgrade',
          'Umbrella_Corp Pilot',
          'Stark 500 Deal',
          'Wayne Deal',
          'Hooli Analytics',
        ],
      ],
    ])('lists the %s ones with status=%s', async (status, names) => {
      const response = await api.list({ status });
      expect(response.status).toBe(200);
      expect(idsOf(response)).toEqual(byNextAction(...names));
    });

    it('shows a closed deal with its outcome, when it closed and no next action', async () => {
      const response = await api.list({ status: 'lost' });
      expect(response.body).toEqual([
        {
          ...deals['Wayne Deal'],
          stage: 'Closed Lost',
          status: 'lost',
          next_action_at: null,
          next_action_details: null,
          is_overdue: false,
          closed_at: CLOSED_AT,
          version: 2,
          updated_at: CLOSED_AT,
        },
      ]);
    });

    it('answers 400 VALIDATION_ERROR for an unknown status', async () => {
      const response = await api.list({ status: 'pending' });
      expect(response.status).toBe(400);
      expectValidationError(response.body, 'status');
    });
  });

  describe('stage', () => {
    it.each<[Query, string[]]>([
      [{ stage: 'Proposal' }, ['Acme Corp Deal']],
      [{ stage: 'Negotiation' }, ['Initech Upgrade']],
      [{ stage: 'Negotiation', status: 'all' }, ['Initech Upgrade']],
      [{ stage: 'Closed Won', status: 'closed' }, ['Stark 500 Deal', 'Hooli Analytics']],
      [{ stage: 'Closed Won', status: 'all' }, ['Stark 500 Deal', 'Hooli Analytics']],
      [{ stage: 'Closed Lost', status: 'won' }, []],
    ])('filters by stage with %j', async (query, names) => {
      expect(idsOf(await api.list(query))).toEqual(byNextAction(...names));
    });

    it('answers 400 VALIDATION_ERROR for an unknown stage', async () => {
      const response = await api.list({ stage: 'proposal' });
      expect(response.status).toBe(400);
      expectValidationError(response.body, 'stage');
    });
  });

  describe('search (q)', () => {
    it.each<[string, Query, string[]]>([
      ['in the name, whatever the case', { q: 'ACME corp' }, ['Acme Corp Deal']],
      ['in the next action details too', { q: 'acme' }, ['Acme Corp Deal', 'Initech Upgrade']],
      ['across name and details', { q: 'Upgrade Send' }, ['Initech Upgrade']],
      ['closed deals by name, with status=all', { q: 'hooli', status: 'all' }, ['Hooli Analytics']],
      ['% as a character, not a wildcard', { q: '50%', status: 'all' }, ['Globex Renewal']],
      ['_ as a character, not a wildcard', { q: '_', status: 'all' }, ['Umbrella_Corp Pilot']],
      ['a backslash as a character', { q: '\\', status: 'all' }, []],
      ['nothing for text that is nowhere', { q: 'Cyberdyne' }, []],
      [
        'everything open for a blank q',
        { q: '   ' },
        ['Acme Corp Deal', 'Globex Renewal', 'Initech Upgrade', 'Umbrella_Corp Pilot'],
      ],
    ])('finds %s', async (_case, query, names) => {
      const response = await api.list(query);
      expect(response.status).toBe(200);
      expect(idsOf(response)).toEqual(byNextAction(...names));
    });

    it('combines with the other filters', async () => {
      expect(idsOf(await api.list({ q: 'deal', status: 'all', min_value: 3000, max_value: 60000 }))).toEqual(
        byNextAction('Acme Corp Deal', 'Stark 500 Deal'),
      );
    });

    it('answers 400 VALIDATION_ERROR, not 500, for a q with a NUL character', async () => {
      const response = await api.list({ q: 'Acme\u0000' });
      expect(response.status).toBe(400);
      expectValidationError(response.body, 'q');
    });

    it('answers 400 VALIDATION_ERROR for a q over 200 characters', async () => {
      const response = await api.list({ q: 'x'.repeat(201) });
      expect(response.status).toBe(400);
      expectValidationError(response.body, 'q');
    });
  });

  describe('value range', () => {
    it.each<[Query, string[]]>([
      [{ min_value: 12000 }, ['Acme Corp Deal', 'Globex Renewal', 'Initech Upgrade']],
      [{ max_value: 12000 }, ['Globex Renewal', 'Initech Upgrade', 'Umbrella_Corp Pilot']],
      [{ min_value: 12000, max_value: 12000 }, ['Globex Renewal', 'Initech Upgrade']],
      [
        { min_value: 12000, max_value: 12000, status: 'all' },
        ['Globex Renewal', 'Initech Upgrade', 'Hooli Analytics'],
      ],
      [{ min_value: 800.01, max_value: 49999.99 }, ['Globex Renewal', 'Initech Upgrade']],
      [{ min_value: 0 }, ['Acme Corp Deal', 'Globex Renewal', 'Initech Upgrade', 'Umbrella_Corp Pilot']],
    ])('keeps values within the bounds, inclusively, for %j', async (query, names) => {
      expect(idsOf(await api.list(query))).toEqual(byNextAction(...names));
    });

    it('answers 400 VALIDATION_ERROR naming max_value when min_value is above it', async () => {
      const response = await api.list({ min_value: 12000.01, max_value: 12000 });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        detail: 'The request is invalid: see errors for each field.',
        error_code: 'VALIDATION_ERROR',
        errors: [{ field: 'max_value', message: 'max_value must not be less than min_value' }],
      });
    });

    it.each([
      ['min_value', 'abc'],
      ['min_value', '-1'],
      ['max_value', 'Infinity'],
      ['max_value', '1000000000000'],
    ])('answers 400 VALIDATION_ERROR for %s=%s', async (field, value) => {
      const response = await api.list({ [field]: value });
      expect(response.status).toBe(400);
      expectValidationError(response.body, field);
    });
  });

  describe('sorting and keyset paging', () => {
    // Every sort the API offers. Names start with distinct capitals, so any database collation orders them alike.
    const SORTS: string[] = [...LIST_SORTS];

    it('offers at least next_action_at, value and updated_at, each ascending and descending', () => {
      expect(SORTS).toEqual(
        expect.arrayContaining([
          'next_action_at',
          '-next_action_at',
          'value',
          '-value',
          'updated_at',
          '-updated_at',
        ]),
      );
    });

    it.each(SORTS)(
      'orders every deal by sort=%s, ties by id, closed deals with no next action last',
      async (sort) => {
        const response = await api.list({ status: 'all', sort });
        expect(response.status).toBe(200);
        expect(idsOf(response)).toEqual(sortedIds(Object.values(deals), sort));
      },
    );

    it.each(['next_action_at', '-next_action_at'])('puts closed deals last for sort=%s', async (sort) => {
      const listed = (await api.list({ status: 'all', sort })).body as OpportunityDto[];
      expect(listed.map((row) => row.status === 'open')).toEqual([
        true,
        true,
        true,
        true,
        false,
        false,
        false,
      ]);
      expect(listed.slice(4).map((row) => row.next_action_at)).toEqual([null, null, null]);
    });

    it.each(SORTS.flatMap((sort) => [1, 2, 3].map((limit) => ({ sort, limit }))))(
      'visits every deal once, in order, following Link with sort=$sort and limit=$limit',
      async ({ sort, limit }) => {
        const { rows, pages, links } = await allPages<OpportunityDto>(
          api,
          await api.list({ status: 'all', sort, limit }),
        );
        expect(rows.map((row) => row.id)).toEqual(sortedIds(Object.values(deals), sort));
        expect(pages.slice(0, -1).every((size) => size === limit)).toBe(true);
        for (const link of links) {
          const url = new URL(link, 'http://localhost');
          expect(url.pathname).toBe(OPPORTUNITIES);
          expect(url.searchParams.get('sort')).toBe(sort);
          expect(url.searchParams.get('status')).toBe('all');
          expect(url.searchParams.get('limit')).toBe(String(limit));
        }
      },
    );

    it.each(SORTS)('pages across rows that tie on everything but the id with sort=%s', async (sort) => {
      const twins = await t.createTenant();
      const twinsApi = apiFor(t, twins);
      const rows: OpportunityDto[] = [];
      for (let index = 0; index < 5; index += 1) rows.push(await created(twinsApi, { name: 'Twin Deal' }));
      const { rows: listed, pages } = await allPages<OpportunityDto>(
        twinsApi,
        await twinsApi.list({ sort, limit: 2 }),
      );
      expect(pages).toEqual([2, 2, 1]);
      const ids = rows.map((row) => row.id).sort(compareIds);
      expect(listed.map((row) => row.id)).toEqual(sort.startsWith('-') ? ids.reverse() : ids);
    });

    it('keeps the filters on every page', async () => {
      const { rows, links } = await allPages<OpportunityDto>(
        api,
        await api.list({ q: 'deal', status: 'all', sort: '-value', limit: 1 }),
      );
      expect(rows.map((row) => row.name)).toEqual(['Wayne Deal', 'Acme Corp Deal', 'Stark 500 Deal']);
      expect(links.map((link) => new URL(link, 'http://localhost').searchParams.get('q'))).toEqual([
        'deal',
        'deal',
      ]);
    });

    it('answers 400 VALIDATION_ERROR for an unknown sort', async () => {
      const response = await api.list({ sort: 'stage' });
      expect(response.status).toBe(400);
      expectValidationError(response.body, 'sort');
    });

    it.each([
      ['value', '-value'],
      ['-value', 'value'],
      ['next_action_at', 'updated_at'],
      ['updated_at', '-updated_at'],
      ['-next_action_at', 'value'],
    ])('refuses a cursor of sort=%s for sort=%s', async (from, to) => {
      const link = nextLink(await api.list({ status: 'all', sort: from, limit: 1 }));
      expect(link).toBeDefined();
      const cursor = cursorOf(link ?? '');
      expect((await api.list({ status: 'all', sort: from, limit: 1, cursor })).status).toBe(200);
      const response = await api.list({ status: 'all', sort: to, limit: 1, cursor });
      expect(response.status).toBe(400);
      expectValidationError(response.body, 'cursor');
    });

    it('refuses a cursor taken from the due list', async () => {
      const link = nextLink(await api.due({ limit: 1, until: '2026-08-01T00:00:00Z' }));
      expect(link).toBeDefined();
      const response = await api.list({ cursor: cursorOf(link ?? '') });
      expect(response.status).toBe(400);
      expectValidationError(response.body, 'cursor');
    });
  });
});
