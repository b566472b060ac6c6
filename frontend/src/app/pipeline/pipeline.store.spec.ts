import { provideHttpClient } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
  type TestRequest,
} from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { convertToParamMap } from '@angular/router';
import type { OpportunityDto } from '../api/models';
import {
  DEFAULT_QUERY,
  describeEmpty,
  type PipelineQuery,
  queryFromParams,
  queryToApiParams,
  queryToParams,
  sortColumnOf,
  sortOf,
} from './pipeline-query';
import { PIPELINE_PAGE_SIZE, PipelineStore } from './pipeline.store';

const LIST_URL = '/api/v1/opportunities';

function opportunity(id: string, overrides: Partial<OpportunityDto> = {}): OpportunityDto {
  return {
    id,
    name: `Deal ${id}`,
    value: 1000,
    stage: 'Proposal',
    next_action_at: '2026-11-27T09:00:00.000Z',
    next_action_details: `Call about ${id}`,
    is_overdue: false,
    status: 'open',
    reschedule_count: 0,
    closed_at: null,
    version: 1,
    created_at: '2026-11-01T09:00:00.000Z',
    owner_id: null,
    updated_at: '2026-11-01T09:00:00.000Z',
    ...overrides,
  };
}

function query(overrides: Partial<PipelineQuery> = {}): PipelineQuery {
  return { ...DEFAULT_QUERY, ...overrides };
}

describe('pipeline query', () => {
  it('keeps the plain page at a plain address: defaults stay out of the URL', () => {
    expect(queryToParams(DEFAULT_QUERY)).toEqual({});
  });

  it('writes every filter and the sort to the URL, and reads them back', () => {
    const filtered = query({
      status: 'won',
      stage: 'Closed Won',
      q: 'acme',
      minValue: 1000,
      maxValue: 50000.5,
      sort: '-value',
    });

    const params = queryToParams(filtered);

    expect(params).toEqual({
      status: 'won',
      stage: 'Closed Won',
      q: 'acme',
      min_value: '1000',
      max_value: '50000.5',
      sort: '-value',
    });
    expect(queryFromParams(convertToParamMap(params))).toEqual(filtered);
  });

  it('falls back to the defaults for what a hand-edited link gets wrong', () => {
    const read = queryFromParams(
      convertToParamMap({
        status: 'maybe',
        stage: 'Dreaming',
        min_value: '-5',
        max_value: 'lots',
        sort: 'alphabetical',
      }),
    );

    expect(read).toEqual(DEFAULT_QUERY);
  });

  it('asks the API for the filters that are set, and leaves out the rest', () => {
    expect(queryToApiParams(DEFAULT_QUERY)).toEqual({ status: 'open', sort: 'next_action_at' });
    expect(queryToApiParams(query({ q: '  acme ', minValue: 0, stage: 'Proposal' }))).toEqual({
      status: 'open',
      sort: 'next_action_at',
      q: 'acme',
      min_value: 0,
      stage: 'Proposal',
    });
  });

  it('maps a sortable column and direction to the API sort and back', () => {
    expect(sortOf('value', 'desc')).toBe('-value');
    expect(sortOf('updated_at', 'asc')).toBe('updated_at');
    expect(sortColumnOf('-updated_at')).toEqual({ column: 'updated_at', direction: 'desc' });
    expect(sortColumnOf('next_action_at')).toEqual({ column: 'next_action_at', direction: 'asc' });
  });

  it('explains an empty result in terms of the filters', () => {
    const money = (value: number) => `$${value}`;
    expect(describeEmpty(query({ status: 'won', q: 'acme', minValue: 10 }), money)).toBe(
      'There are no won opportunities matching “acme”, worth at least $10.',
    );
    expect(describeEmpty(query({ status: 'all', stage: 'Proposal', maxValue: 5 }), money)).toBe(
      'There are no opportunities in Proposal, worth at most $5.',
    );
  });
});

describe('PipelineStore', () => {
  let store: PipelineStore;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), PipelineStore],
    });
    store = TestBed.inject(PipelineStore);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  function expectList(): TestRequest {
    return http.expectOne((request) => request.url === LIST_URL);
  }

  it('loads the first page of a query with its filters, sort and page size', async () => {
    const loading = store.load(query({ status: 'lost', q: 'acme', sort: '-updated_at' }));
    expect(store.status()).toBe('loading');
    const request = expectList();
    request.flush([opportunity('a')]);
    await loading;

    const params = request.request.params;
    expect(params.get('status')).toBe('lost');
    expect(params.get('q')).toBe('acme');
    expect(params.get('sort')).toBe('-updated_at');
    expect(params.get('limit')).toBe(String(PIPELINE_PAGE_SIZE));
    expect(params.has('cursor')).toBe(false);
    expect(store.status()).toBe('ready');
    expect(store.items().map((item) => item.id)).toEqual(['a']);
    expect(store.hasMore()).toBe(false);
  });

  it('pages on with the Link cursor and the same query, skipping rows it already has', async () => {
    const loading = store.load(query({ sort: '-value' }));
    expectList().flush([opportunity('a'), opportunity('b')], {
      headers: { Link: `<${LIST_URL}?sort=-value&limit=50&cursor=c2>; rel="next"` },
    });
    await loading;
    expect(store.hasMore()).toBe(true);

    const more = store.loadMore();
    const second = expectList();
    expect(second.request.params.get('cursor')).toBe('c2');
    expect(second.request.params.get('sort')).toBe('-value');
    second.flush([opportunity('b'), opportunity('c')]);
    await more;

    expect(store.items().map((item) => item.id)).toEqual(['a', 'b', 'c']);
    expect(store.hasMore()).toBe(false);
  });

  it('starts over from the first page when the sort changes, keeping the rows until the answer', async () => {
    const first = store.load(query());
    expectList().flush([opportunity('a')], {
      headers: { Link: `<${LIST_URL}?cursor=c2>; rel="next"` },
    });
    await first;

    const resorting = store.load(query({ sort: '-value' }));
    expect(store.refreshing()).toBe(true);
    expect(store.items().map((item) => item.id)).toEqual(['a']);
    const request = expectList();
    expect(request.request.params.get('sort')).toBe('-value');
    expect(request.request.params.has('cursor')).toBe(false);
    request.flush([opportunity('z'), opportunity('a')]);
    await resorting;

    expect(store.refreshing()).toBe(false);
    expect(store.items().map((item) => item.id)).toEqual(['z', 'a']);
    expect(store.hasMore()).toBe(false);
  });

  it('lets the later of two searches win, whatever order the answers come in', async () => {
    const slow = store.load(query({ q: 'ac' }));
    const fast = store.load(query({ q: 'acme' }));
    const [stale, fresh] = http.match((request) => request.url === LIST_URL);
    fresh.flush([opportunity('acme')]);
    stale.flush([opportunity('acorn'), opportunity('acme')]);
    await Promise.all([slow, fast]);

    expect(store.query().q).toBe('acme');
    expect(store.items().map((item) => item.id)).toEqual(['acme']);
  });

  it('shows an error a rep can act on, and Retry loads the same query again', async () => {
    const loading = store.load(query({ status: 'won' }));
    expectList().flush(
      { detail: 'down', error_code: 'SERVICE_UNAVAILABLE' },
      { status: 503, statusText: 'Service Unavailable' },
    );
    await loading;
    expect(store.status()).toBe('error');
    expect(store.error()).toContain('Try again');

    const retry = store.reload();
    const request = expectList();
    expect(request.request.params.get('status')).toBe('won');
    request.flush([]);
    await retry;
    expect(store.status()).toBe('ready');
  });

  it('refetches every shown row on a quiet reload, and keeps them if it fails', async () => {
    const current = query();
    const loading = store.load(current);
    expectList().flush(
      Array.from({ length: 50 }, (_, index) => opportunity(`a${index}`)),
      { headers: { Link: `<${LIST_URL}?cursor=c2>; rel="next"` } },
    );
    await loading;
    const more = store.loadMore();
    expectList().flush(Array.from({ length: 20 }, (_, index) => opportunity(`b${index}`)));
    await more;

    const quiet = store.reload({ quiet: true });
    const request = expectList();
    expect(request.request.params.get('limit')).toBe('70');
    request.flush(null, { status: 0, statusText: 'Unknown Error' });
    await quiet;

    expect(store.status()).toBe('ready');
    expect(store.items()).toHaveLength(70);
  });
});
