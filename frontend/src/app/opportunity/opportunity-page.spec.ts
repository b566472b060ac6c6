import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { OpportunityEventDto, OpportunityDto, TenantDto } from '../api/models';
import { TenantStore } from '../core/tenant.store';
import { OpportunityPage } from './opportunity-page';
import { aMember, aTenant } from '../testing/fixtures';

const OWNER = '7b0a7d8e-0d35-4c8e-9a53-3d1b7c0e2f11';
const MEMBERS_URL = '/api/v1/memberships';

const ID = '660dc37d-745d-4ab9-97b4-2adb14ce393f';

const deal: OpportunityDto = {
  id: ID,
  name: 'Acme Corp Deal',
  value: 50000,
  stage: 'Proposal',
  next_action_at: '2026-01-05T15:00:00.000Z',
  next_action_details: 'Follow up on proposal feedback',
  is_overdue: true,
  status: 'open',
  reschedule_count: 0,
  closed_at: null,
  version: 3,
  created_at: '2025-11-01T09:00:00.000Z',
  owner_id: null,
  updated_at: '2025-11-20T09:00:00.000Z',
};

const history: OpportunityEventDto[] = [
  {
    id: 'h2',
    opportunity_id: ID,
    details: 'Send proposal',
    due_at: '2025-11-19T09:00:00.000Z',
    completed_at: '2025-11-19T15:00:00.000Z',
    type: 'completed',
    occurred_at: '2025-11-19T15:00:00.000Z',
    notes: 'Sent v1 with three tiers',
  },
  {
    id: 'h1',
    opportunity_id: ID,
    details: 'Discovery call',
    due_at: '2025-11-11T09:00:00.000Z',
    completed_at: '2025-11-11T08:00:00.000Z',
    type: 'completed',
    occurred_at: '2025-11-11T08:00:00.000Z',
    notes: null,
  },
];

describe('OpportunityPage', () => {
  let http: HttpTestingController;
  let root: HTMLElement;
  let render: () => Promise<void>;

  async function setUp(role: TenantDto['role'] = 'rep'): Promise<void> {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    const tenants = TestBed.inject(TenantStore);
    tenants.tenants.set([aTenant({ role }), aTenant({ id: 'other', name: 'Other team', role })]);
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
    // The team's members name the owner.
    http.expectOne(MEMBERS_URL).flush([aMember({ user_id: OWNER, name: 'Dana Rep' })]);
  }

  beforeEach(async (context) => {
    if (!context.task.name.includes('manager')) await setUp();
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

  it('tells when nothing has happened to the deal yet', async () => {
    http.expectOne(`/api/v1/opportunities/${ID}`).flush(deal);
    http.expectOne((request) => request.url === `/api/v1/opportunities/${ID}/actions`).flush([]);
    await render();

    expect(text('history-empty')).toContain('No history yet');
  });

  it('offers every action on an open deal', async () => {
    http.expectOne(`/api/v1/opportunities/${ID}`).flush({ ...deal, reschedule_count: 2 });
    http.expectOne((request) => request.url === `/api/v1/opportunities/${ID}/actions`).flush(history);
    await render();

    for (const action of ['complete-action', 'reschedule-action', 'edit-deal', 'close-won', 'close-lost']) {
      expect(root.querySelector(`[data-testid="${action}"]`), action).not.toBeNull();
    }
    expect(text('pushed-badge')).toContain('Pushed 2×');
    expect(root.querySelector('[data-testid="reopen-deal"]')).toBeNull();
    expect(root.querySelector('[data-testid="outcome"]')).toBeNull();
  });

  it('shows how a closed deal ended, when and why, and offers only to reopen it', async () => {
    http.expectOne(`/api/v1/opportunities/${ID}`).flush({
      ...deal,
      stage: 'Closed Won',
      status: 'won',
      next_action_at: null,
      next_action_details: null,
      is_overdue: false,
      closed_at: '2025-11-21T10:00:00.000Z',
    });
    http
      .expectOne((request) => request.url === `/api/v1/opportunities/${ID}/actions`)
      .flush([
        {
          id: 'h3',
          opportunity_id: ID,
          type: 'closed',
          occurred_at: '2025-11-21T10:00:00.000Z',
          outcome: 'won',
          reason: 'Signed the three-year plan',
          from_stage: 'Negotiation',
          to_stage: 'Closed Won',
          details: 'Send the contract',
        },
        ...history,
      ]);
    await render();

    expect(text('outcome-title')).toBe('Closed won');
    expect(text('closed-at')).toMatch(/Nov 21, 2025/);
    expect(text('outcome-reason')).toContain('Signed the three-year plan');
    expect(text('opportunity-status')).toBe('Won');
    expect(root.querySelector('[data-testid="reopen-deal"]')).not.toBeNull();
    for (const gone of ['next-action', 'complete-action', 'reschedule-action', 'edit-deal', 'close-won']) {
      expect(root.querySelector(`[data-testid="${gone}"]`), gone).toBeNull();
    }
  });

  it('shows the typed timeline, newest first, with a sentence per event', async () => {
    http.expectOne(`/api/v1/opportunities/${ID}`).flush(deal);
    http
      .expectOne((request) => request.url === `/api/v1/opportunities/${ID}/actions`)
      .flush([
        {
          id: 'h4',
          opportunity_id: ID,
          type: 'stage_changed',
          occurred_at: '2025-11-22T10:00:00.000Z',
          from_stage: 'Proposal',
          to_stage: 'Negotiation',
        },
        history[0],
        {
          id: 'h0',
          opportunity_id: ID,
          type: 'created',
          occurred_at: '2025-11-01T09:00:00.000Z',
          to_stage: 'Prospecting',
          details: 'Discovery call',
          next_action_at: '2025-11-11T09:00:00.000Z',
        },
      ]);
    await render();

    const entries = [...root.querySelectorAll('[data-testid="timeline-entry"]')];
    expect(entries.map((entry) => entry.getAttribute('data-type'))).toEqual([
      'stage_changed',
      'completed',
      'created',
    ]);
    expect(entries.map((entry) => entry.querySelector('mat-icon')?.textContent?.trim())).toEqual([
      'swap_horiz',
      'task_alt',
      'flag',
    ]);
    expect(entries[0].textContent).toContain('Stage changed from Proposal to Negotiation');
    expect(entries[2].textContent).toContain('Created in Prospecting');
    expect(entries[1].querySelector('[data-testid="history-notes"]')?.textContent).toContain('three tiers');
  });

  it('loads the deal again when the team changes', async () => {
    http.expectOne(`/api/v1/opportunities/${ID}`).flush(deal);
    http.expectOne((request) => request.url === `/api/v1/opportunities/${ID}/actions`).flush([]);
    await render();

    TestBed.inject(TenantStore).selectedId.set('other');
    await render();

    expect(root.querySelector('[aria-busy="true"]')).not.toBeNull();
    http.expectOne(MEMBERS_URL).flush([]);
    http.expectOne(`/api/v1/opportunities/${ID}`).flush(deal);
    http.expectOne((request) => request.url === `/api/v1/opportunities/${ID}/actions`).flush([]);
    await render();
  });

  it("names the deal's owner, or says it is unassigned", async () => {
    http.expectOne(`/api/v1/opportunities/${ID}`).flush({ ...deal, owner_id: OWNER });
    http.expectOne((request) => request.url === `/api/v1/opportunities/${ID}/actions`).flush([]);
    await render();
    expect(text('opportunity-owner')).toBe('Dana Rep');
  });

  it('offers no reassignment to a rep', async () => {
    http.expectOne(`/api/v1/opportunities/${ID}`).flush({ ...deal, owner_id: OWNER });
    http.expectOne((request) => request.url === `/api/v1/opportunities/${ID}/actions`).flush([]);
    await render();
    expect(root.querySelector('[data-testid="reassign-deal"]')).toBeNull();
  });

  it('offers a manager to reassign an open deal, and shows an unassigned one as such', async () => {
    await setUp('manager');
    http.expectOne(`/api/v1/opportunities/${ID}`).flush({ ...deal, owner_id: null });
    http.expectOne((request) => request.url === `/api/v1/opportunities/${ID}/actions`).flush([]);
    await render();
    expect(root.querySelector('[data-testid="reassign-deal"]')?.textContent).toContain('Reassign');
    expect(text('opportunity-owner')).toBe('Unassigned');
  });
});
