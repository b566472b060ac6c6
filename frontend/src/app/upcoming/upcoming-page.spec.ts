import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { OpportunityDto } from '../api/models';
import { PipelineChanges } from '../core/pipeline-changes';
import { TenantStore } from '../core/tenant.store';
import { addDays, atLocalTime } from '../core/time';
import { UpcomingPage } from './upcoming-page';
import { aTenant } from '../testing/fixtures';

const DUE_URL = '/api/v1/opportunities/due';

function opportunity(id: string, at: Date): OpportunityDto {
  return {
    id,
    name: `Deal ${id}`,
    value: 12500,
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
  };
}

describe('UpcomingPage', () => {
  let http: HttpTestingController;
  let root: HTMLElement;
  let render: () => Promise<void>;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    const tenants = TestBed.inject(TenantStore);
    tenants.tenants.set([aTenant()]);
    tenants.selectedId.set('demo');
    http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(UpcomingPage);
    root = fixture.nativeElement as HTMLElement;
    // The stores await the API outside Angular's pending tasks: let those promises settle, then render.
    render = async () => {
      await new Promise((resolve) => setTimeout(resolve));
      await fixture.whenStable();
    };
    await render();
  });

  afterEach(() => http.verify());

  function texts(testId: string): string[] {
    return [...root.querySelectorAll(`[data-testid="${testId}"]`)].map(
      (element) => element.textContent?.trim() ?? '',
    );
  }

  it('shows skeletons while loading, then one section per day with its count', async () => {
    expect(root.querySelector('[aria-busy="true"]')).not.toBeNull();

    const tomorrow = atLocalTime(addDays(new Date(), 1), 12);
    const later = atLocalTime(addDays(new Date(), 3), 12);
    http
      .expectOne((request) => request.url === DUE_URL)
      .flush([
        opportunity('a', tomorrow),
        opportunity('b', atLocalTime(tomorrow, 15)),
        opportunity('c', later),
      ]);
    await render();

    expect(root.querySelector('[aria-busy="true"]')).toBeNull();
    expect(texts('upcoming-day-label')).toEqual(['Tomorrow', expect.any(String)]);
    expect(texts('upcoming-day-count').map((count) => count.replace(/\s+/g, ' '))).toEqual([
      '2 actions',
      '1 action',
    ]);
    expect(root.querySelectorAll('[data-testid="upcoming-day"] ul[role="list"] > li')).toHaveLength(3);
    expect(root.querySelector('[data-testid="action-card"]')?.textContent).toContain('$12,500');
  });

  it('says so when nothing is planned for the week', async () => {
    http.expectOne((request) => request.url === DUE_URL).flush([]);
    await render();

    expect(root.querySelector('[data-testid="empty-state"]')?.textContent).toContain(
      'Nothing planned for the next 7 days',
    );
  });

  it('offers Retry after a failure, and Load more while the API has another page', async () => {
    http
      .expectOne((request) => request.url === DUE_URL)
      .flush(
        { detail: 'down', error_code: 'SERVICE_UNAVAILABLE' },
        { status: 503, statusText: 'Unavailable' },
      );
    await render();
    const retry = [...root.querySelectorAll('button')].find((button) =>
      button.textContent?.includes('Retry'),
    );
    expect(root.querySelector('[role="alert"]')?.textContent).toContain('Try again in a moment');

    retry?.click();
    http
      .expectOne((request) => request.url === DUE_URL)
      .flush([opportunity('a', addDays(new Date(), 2))], {
        headers: { Link: `<${DUE_URL}?cursor=next>; rel="next"` },
      });
    await render();
    root.querySelector<HTMLButtonElement>('[data-testid="load-more"]')?.click();

    const more = http.expectOne((request) => request.url === DUE_URL);
    expect(more.request.params.get('cursor')).toBe('next');
    more.flush([]);
    await render();
    expect(root.querySelector('[data-testid="load-more"]')).toBeNull();
  });

  it('reloads quietly when the pipeline changes elsewhere', async () => {
    http.expectOne((request) => request.url === DUE_URL).flush([opportunity('a', addDays(new Date(), 2))]);
    await render();

    TestBed.inject(PipelineChanges).notify();
    await render();

    expect(root.querySelector('[aria-busy="true"]')).toBeNull();
    http.expectOne((request) => request.url === DUE_URL).flush([]);
    await render();
    expect(root.querySelector('[data-testid="empty-state"]')).not.toBeNull();
  });
});
