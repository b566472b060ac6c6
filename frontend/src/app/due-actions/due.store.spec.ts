import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { OpportunityDto } from '../api/models';
import { DueStore } from './due.store';

function opportunity(id: string, nextActionAt: string): OpportunityDto {
  return {
    id,
    name: `Deal ${id}`,
    value: 1000,
    stage: 'Proposal',
    next_action_at: nextActionAt,
    next_action_details: 'Call',
    is_overdue: false,
    status: 'open',
    reschedule_count: 0,
    closed_at: null,
    version: 1,
    created_at: '2026-11-01T00:00:00.000Z',
    owner_id: null,
    updated_at: '2026-11-01T00:00:00.000Z',
  };
}

const summary = { overdue_count: 1, due_today_count: 1, due_value_total: 2000 };
const past = new Date(Date.now() - 3600_000).toISOString();
const later = new Date(Date.now() + 3600_000).toISOString();

describe('DueStore', () => {
  let store: DueStore;
  let backend: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [DueStore, provideHttpClient(), provideHttpClientTesting()],
    });
    store = TestBed.inject(DueStore);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  async function flushFirstPage(items: OpportunityDto[], link?: string): Promise<void> {
    const loading = store.load();
    backend
      .expectOne((request) => request.url === '/api/v1/opportunities/due' && !request.params.has('cursor'))
      .flush(items, { headers: link ? { Link: link } : {} });
    backend.expectOne('/api/v1/opportunities/due/summary').flush(summary);
    await loading;
  }

  it('splits the page into overdue and due today', async () => {
    await flushFirstPage([opportunity('a', past), opportunity('b', later)]);
    expect(store.status()).toBe('ready');
    expect(store.overdue().map((item) => item.id)).toEqual(['a']);
    expect(store.dueToday().map((item) => item.id)).toEqual(['b']);
    expect(store.summary()).toEqual(summary);
    expect(store.hasMore()).toBe(false);
  });

  it('follows the Link header for the next page and appends it', async () => {
    await flushFirstPage(
      [opportunity('a', past)],
      '</api/v1/opportunities/due?limit=50&cursor=next-1>; rel="next"',
    );
    expect(store.hasMore()).toBe(true);
    const more = store.loadMore();
    const request = backend.expectOne((r) => r.params.get('cursor') === 'next-1');
    request.flush([opportunity('b', later)]);
    await more;
    expect(store.items().map((item) => item.id)).toEqual(['a', 'b']);
    expect(store.hasMore()).toBe(false);
  });

  it('looks for the next planned action when nothing is due', async () => {
    const loading = store.load();
    backend
      .expectOne((request) => request.url === '/api/v1/opportunities/due' && !request.params.has('from'))
      .flush([]);
    backend
      .expectOne('/api/v1/opportunities/due/summary')
      .flush({ overdue_count: 0, due_today_count: 0, due_value_total: 0 });
    const upcoming = await vi.waitFor(() =>
      backend.expectOne((request) => request.params.has('from') && request.params.get('limit') === '1'),
    );
    upcoming.flush([opportunity('z', '2026-12-24T09:00:00.000Z')]);
    await loading;
    expect(store.items()).toEqual([]);
    expect(store.nextUpcoming()?.id).toBe('z');
  });

  it('shows an error state with the API message, and recovers on retry', async () => {
    const loading = store.load();
    backend
      .expectOne((request) => request.url === '/api/v1/opportunities/due')
      .flush(
        { detail: 'No access to tenant x.', error_code: 'TENANT_ACCESS_DENIED' },
        { status: 403, statusText: 'Forbidden' },
      );
    backend.expectOne('/api/v1/opportunities/due/summary').flush(summary);
    await loading;
    expect(store.status()).toBe('error');
    expect(store.error()).toBe(
      'You are not a member of the selected team (any more). Pick another one, or reload.',
    );
    await flushFirstPage([opportunity('a', past)]);
    expect(store.status()).toBe('ready');
  });

  it('removes completed cards at once, one or many', async () => {
    await flushFirstPage([opportunity('a', past), opportunity('b', later), opportunity('c', later)]);
    store.removeLocally('a');
    expect(store.items().map((item) => item.id)).toEqual(['b', 'c']);
    store.removeLocally('b', 'c');
    expect(store.items()).toEqual([]);
  });

  it('refetches every shown card on a quiet reload, and keeps them when it fails', async () => {
    const many = Array.from({ length: 50 }, (_, index) => opportunity(`a${index}`, past));
    await flushFirstPage(many, '</api/v1/opportunities/due?cursor=next-1>; rel="next"');
    const more = store.loadMore();
    backend
      .expectOne((r) => r.params.get('cursor') === 'next-1')
      .flush([opportunity('b1', later), opportunity('b2', later)]);
    await more;

    const quiet = store.load({ quiet: true });
    expect(store.status()).toBe('ready');
    const request = backend.expectOne((r) => r.url === '/api/v1/opportunities/due');
    expect(request.request.params.get('limit')).toBe('52');
    request.flush(null, { status: 0, statusText: 'Unknown Error' });
    backend.expectOne('/api/v1/opportunities/due/summary').flush(summary);
    await quiet;

    expect(store.status()).toBe('ready');
    expect(store.items()).toHaveLength(52);
  });
});
