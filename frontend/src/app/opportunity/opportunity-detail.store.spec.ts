import { provideHttpClient } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
  type TestRequest,
} from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { OpportunityEventDto, OpportunityDto } from '../api/models';
import { OpportunityDetailStore } from './opportunity-detail.store';

const ID = '660dc37d-745d-4ab9-97b4-2adb14ce393f';

function opportunity(overrides: Partial<OpportunityDto> = {}): OpportunityDto {
  return {
    id: ID,
    name: 'Acme Corp Deal',
    value: 50000,
    stage: 'Proposal',
    next_action_at: new Date(Date.now() + 3600_000).toISOString(),
    next_action_details: 'Follow up on proposal feedback',
    is_overdue: false,
    status: 'open',
    reschedule_count: 0,
    closed_at: null,
    version: 3,
    created_at: '2026-11-01T09:00:00.000Z',
    owner_id: null,
    updated_at: '2026-11-20T09:00:00.000Z',
    ...overrides,
  };
}

function action(id: string, completedAt: string): OpportunityEventDto {
  return {
    id,
    opportunity_id: ID,
    details: `Planned ${id}`,
    due_at: '2026-11-10T09:00:00.000Z',
    completed_at: completedAt,
    type: 'completed',
    occurred_at: completedAt,
    notes: null,
  };
}

const NOT_FOUND = {
  body: { detail: 'Opportunity not found', error_code: 'OPPORTUNITY_NOT_FOUND' },
  init: { status: 404, statusText: 'Not Found' },
};

describe('OpportunityDetailStore', () => {
  let store: OpportunityDetailStore;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), OpportunityDetailStore],
    });
    store = TestBed.inject(OpportunityDetailStore);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  function expectDeal(id = ID): TestRequest {
    return http.expectOne(`/api/v1/opportunities/${id}`);
  }

  function expectHistory(id = ID): TestRequest {
    return http.expectOne((request) => request.url === `/api/v1/opportunities/${id}/actions`);
  }

  it('is loading until both the deal and its history have arrived', async () => {
    const loading = store.load(ID);
    expect(store.status()).toBe('loading');

    expectDeal().flush(opportunity());
    await Promise.resolve();
    expect(store.status()).toBe('loading');

    expectHistory().flush([
      action('newer', '2026-11-20T10:00:00.000Z'),
      action('older', '2026-11-11T10:00:00.000Z'),
    ]);
    await loading;

    expect(store.status()).toBe('ready');
    expect(store.opportunity()?.name).toBe('Acme Corp Deal');
    expect(store.history().map((entry) => entry.id)).toEqual(['newer', 'older']);
    expect(store.hasMoreHistory()).toBe(false);
  });

  it('shows "not found" for an opportunity that does not exist in this tenant', async () => {
    const loading = store.load(ID);
    expectDeal().flush(NOT_FOUND.body, NOT_FOUND.init);
    expectHistory().flush(NOT_FOUND.body, NOT_FOUND.init);
    await loading;

    expect(store.status()).toBe('not-found');
    expect(store.opportunity()).toBeNull();
    expect(store.error()).toBeNull();
  });

  it('describes other failures and loads again on retry', async () => {
    const loading = store.load(ID);
    expectDeal().flush(
      { detail: 'boom', error_code: 'INTERNAL_ERROR' },
      { status: 500, statusText: 'Server Error' },
    );
    expectHistory().flush([]);
    await loading;

    expect(store.status()).toBe('error');
    expect(store.error()).toBe('Something went wrong on our side. Try again in a moment.');

    const retrying = store.retry();
    expect(store.status()).toBe('loading');
    expectDeal().flush(opportunity());
    expectHistory().flush([]);
    await retrying;

    expect(store.status()).toBe('ready');
    expect(store.error()).toBeNull();
  });

  it('pages through the history with the cursor of the Link header', async () => {
    const loading = store.load(ID);
    expectDeal().flush(opportunity());
    expectHistory().flush([action('a', '2026-11-20T10:00:00.000Z')], {
      headers: { Link: `</api/v1/opportunities/${ID}/actions?limit=20&cursor=next-page>; rel="next"` },
    });
    await loading;
    expect(store.hasMoreHistory()).toBe(true);

    const more = store.loadMoreHistory();
    const page = expectHistory();
    expect(page.request.params.get('cursor')).toBe('next-page');
    page.flush([action('b', '2026-11-12T10:00:00.000Z')]);
    await more;

    expect(store.history().map((entry) => entry.id)).toEqual(['a', 'b']);
    expect(store.hasMoreHistory()).toBe(false);
  });

  it('flags a next action whose time has passed as overdue', async () => {
    const loading = store.load(ID);
    expectDeal().flush(opportunity({ next_action_at: '2026-01-01T09:00:00.000Z' }));
    expectHistory().flush([]);
    await loading;

    expect(store.overdue()).toBe(true);
  });

  it('keeps showing the deal during a quiet reload and takes the fresh answer', async () => {
    const loading = store.load(ID);
    expectDeal().flush(opportunity());
    expectHistory().flush([]);
    await loading;

    const reloading = store.load(ID, { quiet: true });
    expect(store.status()).toBe('ready');
    expect(store.opportunity()?.version).toBe(3);
    expectDeal().flush(opportunity({ version: 4 }));
    expectHistory().flush([action('done', '2026-11-26T10:00:00.000Z')]);
    await reloading;

    expect(store.opportunity()?.version).toBe(4);
    expect(store.history()).toHaveLength(1);
  });

  it('shows the deal it was asked for last when an earlier load answers later', async () => {
    const first = store.load('old-id');
    const second = store.load(ID);
    expectDeal(ID).flush(opportunity());
    expectHistory(ID).flush([]);
    expectDeal('old-id').flush(opportunity({ id: 'old-id', name: 'Old deal' }));
    expectHistory('old-id').flush([]);
    await Promise.all([first, second]);

    expect(store.opportunity()?.name).toBe('Acme Corp Deal');
  });
});
