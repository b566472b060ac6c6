import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { OpportunityDto } from '../api/models';
import type { CloseRequest } from '../opportunity/opportunity-actions-launcher';
import { ActionCard } from './action-card';

const deal: OpportunityDto = {
  id: 'o1',
  name: 'Acme Corp Deal',
  value: 50000,
  stage: 'Proposal',
  next_action_at: '2026-11-25T10:00:00.000Z',
  next_action_details: 'Follow up on proposal feedback',
  is_overdue: true,
  status: 'open',
  reschedule_count: 0,
  closed_at: null,
  version: 3,
  created_at: '2026-11-01T00:00:00.000Z',
  owner_id: null,
  updated_at: '2026-11-01T00:00:00.000Z',
};

describe('ActionCard', () => {
  async function render(
    opportunity: OpportunityDto,
    { owner = null, canReassign = false }: { owner?: string | null; canReassign?: boolean } = {},
  ) {
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
    const fixture = TestBed.createComponent(ActionCard);
    fixture.componentRef.setInput('opportunity', opportunity);
    fixture.componentRef.setInput('owner', owner);
    fixture.componentRef.setInput('canReassign', canReassign);
    fixture.componentRef.setInput('now', new Date('2026-11-26T12:00:00.000Z'));
    fixture.componentRef.setInput('currency', 'USD');
    const emitted: Record<string, unknown[]> = {
      complete: [],
      reschedule: [],
      edit: [],
      closeDeal: [],
      reassign: [],
    };
    fixture.componentInstance.reassign.subscribe((value) => emitted['reassign'].push(value));
    fixture.componentInstance.complete.subscribe((value) => emitted['complete'].push(value));
    fixture.componentInstance.reschedule.subscribe((value) => emitted['reschedule'].push(value));
    fixture.componentInstance.edit.subscribe((value) => emitted['edit'].push(value));
    fixture.componentInstance.closeDeal.subscribe((value: CloseRequest) => emitted['closeDeal'].push(value));
    await fixture.whenStable();
    return { root: fixture.nativeElement as HTMLElement, emitted, fixture };
  }

  /** The menu renders in the overlay container, outside the card. */
  async function chooseFromMenu(root: HTMLElement, testId: string): Promise<void> {
    root.querySelector<HTMLButtonElement>('[data-testid="card-menu"]')!.click();
    const item = await vi.waitFor(() => {
      const found = document.querySelector<HTMLButtonElement>(`[data-testid="${testId}"]`);
      if (!found) throw new Error(`${testId} is not shown`);
      return found;
    });
    item.click();
  }

  it('names the deal on its menu button', async () => {
    const { root } = await render(deal);
    const menu = root.querySelector('[data-testid="card-menu"]');
    expect(menu?.getAttribute('aria-label')).toBe('More actions for Acme Corp Deal');
    expect(menu?.getAttribute('aria-haspopup')).toBe('menu');
  });

  it('asks for each action through its outputs', async () => {
    const { root, emitted } = await render(deal);
    root.querySelector<HTMLButtonElement>('[data-testid="card-complete"]')!.click();
    await chooseFromMenu(root, 'menu-reschedule');
    await chooseFromMenu(root, 'menu-edit');
    await chooseFromMenu(root, 'menu-close-won');
    await chooseFromMenu(root, 'menu-close-lost');
    expect(emitted['complete']).toEqual([deal]);
    expect(emitted['reschedule']).toEqual([deal]);
    expect(emitted['edit']).toEqual([deal]);
    expect(emitted['closeDeal']).toEqual([
      { opportunity: deal, outcome: 'won' },
      { opportunity: deal, outcome: 'lost' },
    ]);
  });

  it('shows no pushed badge for an action moved once', async () => {
    const { root } = await render({ ...deal, reschedule_count: 1 });
    expect(root.querySelector('[data-testid="pushed-badge"]')).toBeNull();
  });

  it('marks an action pushed twice or more, in words for screen readers', async () => {
    const { root } = await render({ ...deal, reschedule_count: 3 });
    const badge = root.querySelector('[data-testid="pushed-badge"]');
    expect(badge?.querySelector('[aria-hidden="true"]:not(mat-icon)')?.textContent).toBe('Pushed 3×');
    expect(badge?.querySelector('.visually-hidden')?.textContent).toBe('Pushed 3 times without being done');
  });

  it("names no owner in the user's own list, and offers no reassignment to a rep", async () => {
    const { root } = await render(deal);
    expect(root.querySelector('[data-testid="card-owner"]')).toBeNull();
    root.querySelector<HTMLButtonElement>('[data-testid="card-menu"]')!.click();
    await vi.waitFor(() => expect(document.querySelector('[data-testid="menu-edit"]')).not.toBeNull());
    expect(document.querySelector('[data-testid="menu-reassign"]')).toBeNull();
  });

  it('names the owner in the team view and asks for a reassignment from its menu', async () => {
    const { root, emitted } = await render(
      { ...deal, owner_id: 'u-1' },
      { owner: 'Dana Rep', canReassign: true },
    );
    const owner = root.querySelector('[data-testid="card-owner"]');
    expect(owner?.textContent).toContain('Owner: Dana Rep');
    expect(owner?.querySelector('.visually-hidden')?.textContent).toBe('Owner: ');
    await chooseFromMenu(root, 'menu-reassign');
    expect(emitted['reassign']).toEqual([{ ...deal, owner_id: 'u-1' }]);
  });
});
