import { provideHttpClient } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
  type TestRequest,
} from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideNativeDateAdapter } from '@angular/material/core';
import { provideRouter } from '@angular/router';
import type { BulkResultDto, DueSummaryDto, OpportunityDto } from '../api/models';
import { TenantStore } from '../core/tenant.store';
import { DuePage } from './due-page';
import { aMember, aTenant } from '../testing/fixtures';

const DUE_URL = '/api/v1/opportunities/due';
const SUMMARY_URL = '/api/v1/opportunities/due/summary';
const BULK_COMPLETE_URL = '/api/v1/opportunities/bulk/complete';

function opportunity(id: string, minutesAgo: number, version = 1): OpportunityDto {
  return {
    id,
    name: `Deal ${id}`,
    value: 1000,
    stage: 'Proposal',
    next_action_at: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
    next_action_details: `Call about ${id}`,
    is_overdue: true,
    status: 'open',
    reschedule_count: 0,
    closed_at: null,
    version,
    created_at: '2026-11-01T00:00:00.000Z',
    owner_id: null,
    updated_at: '2026-11-01T00:00:00.000Z',
  };
}

const summary: DueSummaryDto = {
  overdue_count: 4,
  due_today_count: 0,
  due_value_total: 4000,
  pipeline_value_open: 1234567,
  rescheduled_count: 3,
};

describe('DuePage', () => {
  let http: HttpTestingController;
  let root: HTMLElement;
  let render: () => Promise<void>;
  const cards = [
    opportunity('a', 40, 3),
    opportunity('b', 30, 5),
    opportunity('c', 20),
    opportunity('d', 10),
  ];

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        provideNativeDateAdapter(),
      ],
    });
    const tenants = TestBed.inject(TenantStore);
    tenants.tenants.set([aTenant()]);
    tenants.selectedId.set('demo');
    http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(DuePage);
    root = fixture.nativeElement as HTMLElement;
    render = async () => {
      await new Promise((resolve) => setTimeout(resolve));
      await fixture.whenStable();
    };
    await render();
    flushDue(cards);
    await render();
  });

  afterEach(() => {
    http.verify();
    document.querySelectorAll('.cdk-overlay-container').forEach((element) => element.remove());
  });

  function flushDue(items: OpportunityDto[]): void {
    http.expectOne((request) => request.url === DUE_URL).flush(items);
    http.expectOne(SUMMARY_URL).flush(summary);
  }

  function byTestId<T extends HTMLElement = HTMLElement>(testId: string, scope: ParentNode = root): T[] {
    return [...scope.querySelectorAll<T>(`[data-testid="${testId}"]`)];
  }

  function checkboxes(): HTMLInputElement[] {
    return byTestId('bulk-checkbox').map((box) => box.querySelector('input')!);
  }

  function checked(): boolean[] {
    return checkboxes().map((input) => input.checked);
  }

  function clickBox(index: number, { shift = false } = {}): void {
    const host = byTestId('bulk-checkbox')[index];
    host.dispatchEvent(new MouseEvent('pointerdown', { bubbles: true, shiftKey: shift }));
    host.querySelector('input')!.click();
  }

  it('shows the open pipeline value and the pushed deals among the stats', () => {
    expect(byTestId('pipeline-value')[0].textContent).toContain('$1,234,567');
    expect(byTestId('pushed-count')[0].textContent?.trim()).toBe('3');
  });

  it('puts a labelled checkbox beside each card in bulk mode', async () => {
    expect(byTestId('bulk-checkbox')).toHaveLength(0);

    byTestId<HTMLButtonElement>('bulk-toggle')[0].click();
    await render();

    expect(byTestId('bulk-toggle')[0].getAttribute('aria-pressed')).toBe('true');
    expect(checkboxes().map((input) => input.getAttribute('aria-label'))).toEqual([
      'Select Deal a',
      'Select Deal b',
      'Select Deal c',
      'Select Deal d',
    ]);
    expect(byTestId('bulk-bar')[0].textContent).toContain('0 selected');
  });

  it('selects a range with shift-click or shift+space, and all that is loaded', async () => {
    byTestId<HTMLButtonElement>('bulk-toggle')[0].click();
    await render();

    clickBox(0);
    clickBox(2, { shift: true });
    await render();
    expect(checked()).toEqual([true, true, true, false]);
    expect(byTestId('bulk-count')[0].textContent).toContain('3 selected');

    const last = byTestId('bulk-checkbox')[3];
    last.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, key: ' ', shiftKey: true }));
    last.querySelector('input')!.click();
    await render();
    expect(checked()).toEqual([true, true, true, true]);

    clickBox(1);
    await render();
    expect(checked()).toEqual([true, false, true, true]);

    byTestId<HTMLButtonElement>('bulk-select-all')[0].click();
    await render();
    expect(checked()).toEqual([true, true, true, true]);
  });

  it('completes the selection with one next action and reports what failed, keeping it selected', async () => {
    byTestId<HTMLButtonElement>('bulk-toggle')[0].click();
    await render();
    clickBox(0);
    clickBox(2, { shift: true });
    await render();

    byTestId<HTMLButtonElement>('bulk-complete')[0].click();
    await render();
    const dialog = document.querySelector<HTMLElement>('nat-bulk-complete-dialog')!;
    expect(dialog.textContent).toContain('Complete 3 actions');
    dialog.querySelector<HTMLButtonElement>('.pick')!.click();
    const details = dialog.querySelector<HTMLTextAreaElement>('[data-testid="next-details"]')!;
    details.value = 'Send the quote';
    details.dispatchEvent(new Event('input'));
    dialog.querySelector<HTMLButtonElement>('[data-testid="bulk-submit"]')!.click();

    const request: TestRequest = http.expectOne(BULK_COMPLETE_URL);
    expect(request.request.body.items).toEqual([
      { id: 'a', expected_version: 3 },
      { id: 'b', expected_version: 5 },
      { id: 'c', expected_version: 1 },
    ]);
    expect(request.request.body.shared.new_next_action_details).toBe('Send the quote');
    request.flush(
      {
        succeeded: 2,
        failed: 1,
        results: [
          { id: 'a', status: 200, opportunity: opportunity('a', -1440, 4) },
          { id: 'b', status: 409, error: { detail: 'stale', error_code: 'VERSION_CONFLICT' } },
          { id: 'c', status: 200, opportunity: opportunity('c', -1440, 2) },
        ],
      } satisfies BulkResultDto,
      { status: 207, statusText: 'Multi-Status' },
    );
    await vi.waitFor(async () => {
      await render();
      expect(byTestId('bulk-result')).toHaveLength(1);
    });

    const result = byTestId('bulk-result')[0];
    expect(result.textContent).toContain('2 of 3 completed. 1 could not be completed:');
    expect(
      byTestId('bulk-failure', result).map((item) => item.textContent?.replace(/\s+/g, ' ').trim()),
    ).toEqual(['Deal b: This deal was changed elsewhere in the meantime.']);
    expect(result.textContent).toContain('They stay selected');
    expect(document.activeElement).toBe(result);
    expect(byTestId('action-card').map((card) => card.getAttribute('aria-label'))).toEqual([
      'Deal b',
      'Deal d',
    ]);
    expect(checked()).toEqual([true, false]);

    // The quiet reload that follows the change keeps the failed card, still selected.
    flushDue([opportunity('b', 30, 6), opportunity('d', 10)]);
    await render();
    expect(checked()).toEqual([true, false]);
    expect(byTestId('bulk-count')[0].textContent).toContain('1 selected');
  });
});

describe('DuePage, Mine or Team', () => {
  const DANA = '00000000-0000-4000-8000-00000000000d';
  let http: HttpTestingController;
  let root: HTMLElement;
  let render: () => Promise<void>;

  async function open(role: 'rep' | 'manager'): Promise<void> {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        provideNativeDateAdapter(),
      ],
    });
    const tenants = TestBed.inject(TenantStore);
    tenants.tenants.set([aTenant({ role })]);
    tenants.selectedId.set('demo');
    http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(DuePage);
    root = fixture.nativeElement as HTMLElement;
    render = async () => {
      await new Promise((resolve) => setTimeout(resolve));
      await fixture.whenStable();
    };
    await render();
  }

  afterEach(() => {
    http.verify();
    sessionStorage.clear();
  });

  function text(testId: string): string[] {
    return [...root.querySelectorAll(`[data-testid="${testId}"]`)].map(
      (element) => element.textContent?.replace(/\s+/g, ' ').trim() ?? '',
    );
  }

  it('shows a rep only their own deals, without the toggle or owner names', async () => {
    await open('rep');
    const due = http.expectOne((request) => request.url === DUE_URL);
    expect(due.request.params.has('scope')).toBe(false);
    due.flush([{ ...opportunity('a', 40), owner_id: DANA }]);
    http.expectOne(SUMMARY_URL).flush(summary);
    await render();
    expect(root.querySelector('[data-testid="scope-toggle"]')).toBeNull();
    expect(text('card-owner')).toEqual([]);
  });

  it("switches a manager to the team's deals, each with its owner's name", async () => {
    await open('manager');
    http.expectOne((request) => request.url === DUE_URL).flush([{ ...opportunity('m', 50), owner_id: DANA }]);
    http.expectOne(SUMMARY_URL).flush(summary);
    await render();
    expect(text('card-owner')).toEqual([]);

    root.querySelector<HTMLElement>('[data-testid="scope-team"] button')!.click();
    await render();
    const due = http.expectOne((request) => request.url === DUE_URL);
    expect(due.request.params.get('scope')).toBe('team');
    const teamSummary = http.expectOne((request) => request.url === SUMMARY_URL);
    expect(teamSummary.request.params.get('scope')).toBe('team');
    teamSummary.flush(summary);
    http.expectOne('/api/v1/memberships').flush([aMember({ user_id: DANA, name: 'Dana Rep' })]);
    due.flush([
      { ...opportunity('a', 40), owner_id: DANA },
      { ...opportunity('b', 30), owner_id: null },
    ]);
    await render();

    expect(text('card-owner').map((owner) => owner.replace(/^person(_off)?/, ''))).toEqual([
      'Owner: Dana Rep',
      'Owner: Unassigned',
    ]);
    expect(root.querySelector('.page-subtitle')?.textContent).toContain('whole team');
    expect(sessionStorage.getItem('nat.scope')).toBe('team');
  });
});
