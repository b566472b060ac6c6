import { provideHttpClient } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
  type TestRequest,
} from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { OpportunityDto } from '../api/models';
import { TenantStore } from '../core/tenant.store';
import { groupByLocalDay, upcomingWindow, UpcomingStore } from './upcoming.store';
import { aTenant } from '../testing/fixtures';

const DUE_URL = '/api/v1/opportunities/due';

function opportunity(id: string, at: Date, overrides: Partial<OpportunityDto> = {}): OpportunityDto {
  return {
    id,
    name: `Deal ${id}`,
    value: 1000,
    stage: 'Proposal',
    next_action_at: at.toISOString(),
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

/** A local wall-clock time, so the grouping assertions hold in any zone the tests run in. */
function local(month: number, day: number, hours: number, minutes = 0): Date {
  return new Date(2026, month - 1, day, hours, minutes);
}

describe('upcomingWindow', () => {
  it('starts at the end of the tenant’s today and ends seven of its days later', () => {
    const window = upcomingWindow('America/New_York', new Date('2026-11-26T04:00:00Z'));

    // 23:00 on Nov 25 in New York: its today ends at midnight, 05:00 UTC.
    expect(window.from.toISOString()).toBe('2026-11-26T05:00:00.000Z');
    expect(window.until.toISOString()).toBe('2026-12-03T05:00:00.000Z');
  });

  it('still ends at the tenant’s midnight when the clocks change within the week', () => {
    // Berlin moves to summer time on March 29, 2026: the week is an hour shorter than 7 × 24 hours.
    const window = upcomingWindow('Europe/Berlin', new Date('2026-03-25T12:00:00Z'));

    expect(window.from.toISOString()).toBe('2026-03-25T23:00:00.000Z');
    expect(window.until.toISOString()).toBe('2026-04-01T22:00:00.000Z');
  });
});

describe('groupByLocalDay', () => {
  const now = local(11, 26, 8);

  it('groups actions by their local day, in order, with a label and the day’s actions', () => {
    const items = [
      opportunity('a', local(11, 27, 9)),
      opportunity('b', local(11, 27, 16, 30)),
      opportunity('c', local(11, 30, 11)),
      opportunity('d', local(12, 2, 0, 0)),
    ];

    const groups = groupByLocalDay(items, now);

    expect(groups.map((group) => group.key)).toEqual(['2026-11-27', '2026-11-30', '2026-12-02']);
    expect(groups.map((group) => group.items.map((item) => item.id))).toEqual([['a', 'b'], ['c'], ['d']]);
    expect(groups[0].label).toBe('Tomorrow');
    expect(groups[1].label).toBe(
      new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric' }).format(
        local(11, 30, 11),
      ),
    );
  });

  it('puts the last minute of a day and the first minute of the next into different groups', () => {
    const groups = groupByLocalDay(
      [opportunity('late', local(11, 28, 23, 59)), opportunity('early', local(11, 29, 0, 0))],
      now,
    );

    expect(groups.map((group) => [group.key, group.items.length])).toEqual([
      ['2026-11-28', 1],
      ['2026-11-29', 1],
    ]);
  });

  it('has no groups when nothing is planned', () => {
    expect(groupByLocalDay([], now)).toEqual([]);
  });
});

describe('UpcomingStore', () => {
  let store: UpcomingStore;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), UpcomingStore],
    });
    const tenants = TestBed.inject(TenantStore);
    tenants.tenants.set([
      aTenant({ id: 'berlin-team', name: 'Berlin', timezone: 'Europe/Berlin', currency: 'EUR' }),
    ]);
    tenants.selectedId.set('berlin-team');
    store = TestBed.inject(UpcomingStore);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  function expectDue(): TestRequest {
    return http.expectOne((request) => request.url === DUE_URL);
  }

  it('asks for the seven days after the tenant’s today', async () => {
    const loading = store.load();
    const request = expectDue();
    request.flush([]);
    await loading;

    const expected = upcomingWindow('Europe/Berlin', new Date());
    expect(request.request.params.get('from')).toBe(expected.from.toISOString());
    expect(request.request.params.get('until')).toBe(expected.until.toISOString());
    expect(store.status()).toBe('ready');
    expect(store.groups()).toEqual([]);
  });

  it('shows the first page grouped by day and pages on with the same window while a Link header is present', async () => {
    const tomorrow = new Date(Date.now() + 24 * 3600 * 1000);
    const loading = store.load();
    const first = expectDue();
    first.flush([opportunity('a', tomorrow)], {
      headers: { Link: '</api/v1/opportunities/due?limit=50&cursor=abc>; rel="next"' },
    });
    await loading;

    expect(store.groups().map((group) => group.items.length)).toEqual([1]);
    expect(store.hasMore()).toBe(true);

    const more = store.loadMore();
    const second = expectDue();
    expect(second.request.params.get('cursor')).toBe('abc');
    expect(second.request.params.get('from')).toBe(first.request.params.get('from'));
    expect(second.request.params.get('until')).toBe(first.request.params.get('until'));
    second.flush([opportunity('a', tomorrow), opportunity('b', new Date(tomorrow.getTime() + 60_000))]);
    await more;

    expect(store.items().map((item) => item.id)).toEqual(['a', 'b']);
    expect(store.hasMore()).toBe(false);
  });

  it('shows a message a rep can act on when the list cannot be loaded', async () => {
    const loading = store.load();
    expectDue().flush(
      { detail: 'down', error_code: 'SERVICE_UNAVAILABLE' },
      { status: 503, statusText: 'Service Unavailable' },
    );
    await loading;

    expect(store.status()).toBe('error');
    expect(store.error()).toContain('Try again');
  });

  it('keeps what it shows when a quiet reload fails', async () => {
    const tomorrow = new Date(Date.now() + 24 * 3600 * 1000);
    const loading = store.load();
    expectDue().flush([opportunity('a', tomorrow)]);
    await loading;

    const reloading = store.load({ quiet: true });
    expect(store.status()).toBe('ready');
    expectDue().flush(null, { status: 0, statusText: 'Unknown Error' });
    await reloading;

    expect(store.status()).toBe('ready');
    expect(store.items().map((item) => item.id)).toEqual(['a']);
  });

  it('lets the later of two loads win', async () => {
    const tomorrow = new Date(Date.now() + 24 * 3600 * 1000);
    const first = store.load();
    const second = store.load();
    const [stale, fresh] = http.match((request) => request.url === DUE_URL);
    fresh.flush([opportunity('fresh', tomorrow)]);
    stale.flush([opportunity('stale', tomorrow)]);
    await Promise.all([first, second]);

    expect(store.items().map((item) => item.id)).toEqual(['fresh']);
  });
});
