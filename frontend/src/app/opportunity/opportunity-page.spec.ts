import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { OpportunityActionDto, OpportunityDto } from '../api/models';
import { TenantStore } from '../core/tenant.store';
import { OpportunityPage } from './opportunity-page';

const ID = '660dc37d-745d-4ab9-97b4-2adb14ce393f';

const deal: OpportunityDto = {
  id: ID,
  name: 'Acme Corp Deal',
  value: 50000,
  stage: 'Proposal',
  next_action_at: '2026-01-05T15:00:00.000Z',
  next_action_details: 'Follow up on proposal feedback',
  is_overdue: true,
  version: 3,
  created_at: '2025-11-01T09:00:00.000Z',
  updated_at: '2025-11-20T09:00:00.000Z',
};

const history: OpportunityActionDto[] = [
  {
    id: 'h2',
    opportunity_id: ID,
    details: 'Send proposal',
    due_at: '2025-11-19T09:00:00.000Z',
    completed_at: '2025-11-19T15:00:00.000Z',
    notes: 'Sent v1 with three tiers',
  },
  {
    id: 'h1',
    opportunity_id: ID,
    details: 'Discovery call',
    due_at: '2025-11-11T09:00:00.000Z',
    completed_at: '2025-11-11T08:00:00.000Z',
    notes: null,
  },
];

describe('OpportunityPage', () => {
  let http: HttpTestingController;
  let root: HTMLElement;
  let render: () => Promise<void>;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    const tenants = TestBed.inject(TenantStore);
    tenants.tenants.set([{ id: 'demo', name: 'Demo Sales Team', timezone: 'UTC', currency: 'USD' }]);
    tenants.selectedId.set('demo');
    http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(OpportunityPage);
    fixture.componentRef.setInput('id', ID);
    root = fixture.nativeElement as HTMLElement;
    // The stores await the API outside Angular's pending tasks: let those promises settle, then render.
    render = async () => {
      await new Promise((resolve) => setTimeout(resolve));
      await fixture.whenStable();
    };
    await render();
  });

  afterEach(() => http.verify());

  function text(testId: string): string {
    return root.querySelector(`[data-testid="${testId}"]`)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  }

  it('shows the deal, its overdue next action and its history, newest first', async () => {
    http.expectOne(`/api/v1/opportunities/${ID}`).flush(deal);
    http.expectOne((request) => request.url === `/api/v1/opportunities/${ID}/actions`).flush(history);
    await render();

    expect(text('opportunity-name')).toBe('Acme Corp Deal');
    expect(text('opportunity-value')).toBe('$50,000');
    expect(text('opportunity-version')).toBe('3');
    expect(root.querySelector('[data-testid="next-action"]')?.classList).toContain('overdue');
    expect(text('next-action')).toContain('Follow up on proposal feedback');
    expect(text('next-action-relative')).toMatch(/overdue$/);
    expect(
      [...root.querySelectorAll('[data-testid="history-details"]')].map((entry) => entry.textContent),
    ).toEqual(['Send proposal', 'Discovery call']);
    expect(root.querySelectorAll('[data-testid="history-notes"]')).toHaveLength(1);
    expect(root.querySelector('[data-testid="history"] ul[role="list"]')).not.toBeNull();
  });

  it('says the opportunity does not exist in this team on a 404', async () => {
    const notFound = { detail: 'Opportunity not found', error_code: 'OPPORTUNITY_NOT_FOUND' };
    http.expectOne(`/api/v1/opportunities/${ID}`).flush(notFound, { status: 404, statusText: 'Not Found' });
    http
      .expectOne((request) => request.url === `/api/v1/opportunities/${ID}/actions`)
      .flush(notFound, { status: 404, statusText: 'Not Found' });
    await render();

    expect(text('not-found')).toContain('This opportunity does not exist in this team');
    expect(root.querySelector('[data-testid="opportunity-name"]')).toBeNull();
  });

  it('tells when no action has been completed yet', async () => {
    http.expectOne(`/api/v1/opportunities/${ID}`).flush(deal);
    http.expectOne((request) => request.url === `/api/v1/opportunities/${ID}/actions`).flush([]);
    await render();

    expect(text('history-empty')).toContain('No completed actions yet');
  });

  it('loads the deal again when the team changes', async () => {
    http.expectOne(`/api/v1/opportunities/${ID}`).flush(deal);
    http.expectOne((request) => request.url === `/api/v1/opportunities/${ID}/actions`).flush([]);
    await render();

    TestBed.inject(TenantStore).selectedId.set('other');
    await render();

    expect(root.querySelector('[aria-busy="true"]')).not.toBeNull();
    http.expectOne(`/api/v1/opportunities/${ID}`).flush(deal);
    http.expectOne((request) => request.url === `/api/v1/opportunities/${ID}/actions`).flush([]);
    await render();
  });
});
