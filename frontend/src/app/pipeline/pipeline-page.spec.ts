import { provideHttpClient } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
  type TestRequest,
} from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import type { OpportunityDto } from '../api/models';
import { PipelineChanges } from '../core/pipeline-changes';
import { TenantStore } from '../core/tenant.store';
import { PipelinePage } from './pipeline-page';
import { aTenant } from '../testing/fixtures';

const LIST_URL = '/api/v1/opportunities';

function opportunity(id: string, overrides: Partial<OpportunityDto> = {}): OpportunityDto {
  return {
    id,
    name: `Deal ${id}`,
    value: 12500,
    stage: 'Proposal',
    next_action_at: new Date(Date.now() + 2 * 24 * 3600_000).toISOString(),
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

describe('PipelinePage', () => {
  let http: HttpTestingController;
  let harness: RouterTestingHarness;
  let router: Router;
  let root: HTMLElement;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([{ path: 'opportunities', component: PipelinePage }]),
      ],
    });
    const tenants = TestBed.inject(TenantStore);
    tenants.tenants.set([aTenant()]);
    tenants.selectedId.set('demo');
    http = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
    harness = await RouterTestingHarness.create();
  });

  afterEach(() => http.verify());

  async function open(url: string): Promise<void> {
    await harness.navigateByUrl(url, PipelinePage);
    root = harness.routeNativeElement!;
  }

  /** The store awaits the API outside Angular's pending tasks: let those promises settle, then render. */
  async function render(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve));
    await harness.fixture.whenStable();
  }

  function expectList(): TestRequest {
    return http.expectOne((request) => request.url === LIST_URL);
  }

  function type(testId: string, value: string): void {
    const input = root.querySelector<HTMLInputElement>(`[data-testid="${testId}"]`)!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  it('loads what the URL asks for and shows it in the filters', async () => {
    await open('/opportunities?status=won&q=acme&sort=-value');
    const request = expectList();

    expect(request.request.params.get('status')).toBe('won');
    expect(request.request.params.get('q')).toBe('acme');
    expect(request.request.params.get('sort')).toBe('-value');
    await render();
    expect(root.querySelector<HTMLInputElement>('[data-testid="pipeline-search"]')?.value).toBe('acme');
    expect(root.querySelector('[data-testid="pipeline-status"]')?.textContent).toContain('Won');
    request.flush([]);
  });

  it('shows skeletons, then one row per deal with its status, value and a pushed badge', async () => {
    await open('/opportunities?status=all');
    expect(root.querySelector('[aria-busy="true"]')).not.toBeNull();

    expectList().flush([
      opportunity('a', { reschedule_count: 3 }),
      opportunity('b', {
        status: 'won',
        stage: 'Closed Won',
        next_action_at: null,
        next_action_details: null,
        closed_at: '2026-11-20T10:00:00.000Z',
      }),
    ]);
    await render();

    const rows = [...root.querySelectorAll('[data-testid="pipeline-row"]')];
    expect(rows).toHaveLength(2);
    expect(rows[0].textContent).toContain('$12,500');
    expect(rows[0].querySelector('[data-testid="pushed-badge"]')?.textContent).toContain('Pushed 3 times');
    expect(rows[1].querySelector('[data-testid="pushed-badge"]')).toBeNull();
    expect(rows.map((row) => row.querySelector('[data-testid="status-chip"]')?.textContent?.trim())).toEqual([
      'pending Open',
      'emoji_events Won',
    ]);
    expect(rows[1].textContent).toContain('Closed');
    expect(rows[0].querySelector('a')?.getAttribute('href')).toBe('/opportunities/a');
  });

  it('searches as the rep types, once they pause, and keeps the search in the URL', async () => {
    await open('/opportunities');
    expectList().flush([opportunity('a')]);
    await render();

    type('pipeline-search', 'ac');
    type('pipeline-search', 'acme ');
    http.expectNone((request) => request.url === LIST_URL);

    const search = await vi.waitFor(() => expectList());
    expect(search.request.params.get('q')).toBe('acme');
    expect(router.url).toBe('/opportunities?q=acme');
    search.flush([]);
    await render();

    expect(root.querySelector('[data-testid="empty-state"]')?.textContent).toContain(
      'No opportunities match',
    );
    expect(root.querySelector('[data-testid="empty-state"]')?.textContent).toContain('matching “acme”');
  });

  it('sorts by a column header, from the first page again', async () => {
    await open('/opportunities');
    expectList().flush([opportunity('a')], { headers: { Link: `<${LIST_URL}?cursor=c2>; rel="next"` } });
    await render();

    const valueHeader = [...root.querySelectorAll<HTMLElement>('th')].find((th) =>
      th.textContent?.includes('Value'),
    )!;
    valueHeader.querySelector<HTMLElement>('.mat-sort-header-container')!.click();
    await render();

    const sorted = expectList();
    expect(sorted.request.params.get('sort')).toBe('-value');
    expect(sorted.request.params.has('cursor')).toBe(false);
    expect(router.url).toBe('/opportunities?sort=-value');
    sorted.flush([opportunity('a')]);
  });

  it('offers Retry after a failure and Load more while there is another page', async () => {
    await open('/opportunities');
    expectList().flush(
      { detail: 'down', error_code: 'SERVICE_UNAVAILABLE' },
      { status: 503, statusText: 'Unavailable' },
    );
    await render();
    expect(root.querySelector('[role="alert"]')?.textContent).toContain('Try again in a moment');

    [...root.querySelectorAll('button')].find((button) => button.textContent?.includes('Retry'))?.click();
    expectList().flush([opportunity('a')], { headers: { Link: `<${LIST_URL}?cursor=c2>; rel="next"` } });
    await render();
    root.querySelector<HTMLButtonElement>('[data-testid="load-more"]')?.click();

    const more = expectList();
    expect(more.request.params.get('cursor')).toBe('c2');
    more.flush([opportunity('b')]);
    await render();
    expect(root.querySelectorAll('[data-testid="pipeline-row"]')).toHaveLength(2);
    expect(root.querySelector('[data-testid="load-more"]')).toBeNull();
  });

  it('clears the filters back to the open deals, keeping the sort', async () => {
    await open('/opportunities?status=lost&q=acme&sort=-value');
    expectList().flush([]);
    await render();

    root.querySelector<HTMLButtonElement>('[data-testid="pipeline-clear"]')!.click();
    await render();

    const cleared = expectList();
    expect(router.url).toBe('/opportunities?sort=-value');
    expect(cleared.request.params.get('status')).toBe('open');
    expect(cleared.request.params.has('q')).toBe(false);
    expect(root.querySelector<HTMLInputElement>('[data-testid="pipeline-search"]')?.value).toBe('');
    cleared.flush([]);
  });

  it('reloads quietly when the pipeline changes elsewhere', async () => {
    await open('/opportunities');
    expectList().flush([opportunity('a')]);
    await render();

    TestBed.inject(PipelineChanges).notify();
    await render();

    expect(root.querySelector('[aria-busy="true"]')).toBeNull();
    expectList().flush([]);
    await render();
    expect(root.querySelector('[data-testid="empty-state"]')).not.toBeNull();
  });
});
