import { TestBed } from '@angular/core/testing';
import { MatDialog, type MatDialogConfig } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import { type Observable, of } from 'rxjs';
import type { Mock } from 'vitest';
import type { OpportunityDto } from '../api/models';
import { CloseOpportunityDialog } from './close-opportunity-dialog';
import { CompleteActionDialog } from './complete-action-dialog';
import { EditOpportunityDialog } from './edit-opportunity-dialog';
import { OpportunityActionsLauncher } from './opportunity-actions-launcher';
import { ReopenOpportunityDialog } from './reopen-opportunity-dialog';
import { RescheduleDialog } from './reschedule-dialog';

const deal: OpportunityDto = {
  id: 'o1',
  name: 'Acme Corp Deal',
  value: 50000,
  stage: 'Proposal',
  next_action_at: '2026-12-05T09:00:00.000Z',
  next_action_details: 'Follow up',
  is_overdue: false,
  status: 'open',
  reschedule_count: 1,
  closed_at: null,
  version: 4,
  created_at: '2026-11-01T00:00:00.000Z',
  owner_id: null,
  updated_at: '2026-11-01T00:00:00.000Z',
};
const closedDeal: OpportunityDto = {
  ...deal,
  stage: 'Closed Lost',
  status: 'lost',
  next_action_at: null,
  next_action_details: null,
  closed_at: '2026-11-20T00:00:00.000Z',
};

describe('OpportunityActionsLauncher', () => {
  let open: Mock<(component: unknown, config: MatDialogConfig) => { afterClosed: () => Observable<unknown> }>;
  let snack: ReturnType<typeof vi.fn>;
  let launcher: OpportunityActionsLauncher;

  function answerWith(result: unknown): void {
    open.mockReturnValue({ afterClosed: () => of(result) });
  }

  beforeEach(() => {
    open = vi.fn();
    answerWith(undefined);
    snack = vi.fn();
    TestBed.configureTestingModule({
      providers: [
        { provide: MatDialog, useValue: { open } },
        { provide: MatSnackBar, useValue: { open: snack } },
      ],
    });
    launcher = TestBed.inject(OpportunityActionsLauncher);
  });

  it('opens each dialog with the deal, focused on its first field and no wider than the screen', async () => {
    answerWith(undefined);
    await launcher.complete(deal);
    await launcher.reschedule(deal);
    await launcher.edit(deal);
    await launcher.close(deal, 'lost');
    await launcher.reopen(closedDeal, 'Negotiation');
    expect(open.mock.calls.map(([component]) => component)).toEqual([
      CompleteActionDialog,
      RescheduleDialog,
      EditOpportunityDialog,
      CloseOpportunityDialog,
      ReopenOpportunityDialog,
    ]);
    expect(open.mock.calls.map(([, config]) => config.data as unknown)).toEqual([
      { opportunity: deal },
      { opportunity: deal },
      { opportunity: deal },
      { opportunity: deal, outcome: 'lost' },
      { opportunity: closedDeal, stage: 'Negotiation' },
    ]);
    for (const [, config] of open.mock.calls) {
      expect(config).toMatchObject({ maxWidth: '96vw', autoFocus: 'first-tabbable' });
    }
  });

  it('resolves to nothing and says nothing when the rep cancels', async () => {
    answerWith(undefined);
    expect(await launcher.reschedule(deal)).toBeUndefined();
    expect(await launcher.close(deal, 'won')).toBeUndefined();
    expect(snack).not.toHaveBeenCalled();
  });

  it('resolves to the saved deal and tells what changed', async () => {
    const moved = { ...deal, reschedule_count: 2, version: 5 };
    answerWith(moved);
    expect(await launcher.reschedule(deal)).toBe(moved);
    expect(snack).toHaveBeenLastCalledWith(expect.stringMatching(/^Moved “Acme Corp Deal” to .+\.$/), 'OK');

    answerWith({ ...deal, name: 'Acme (3 sites)' });
    await launcher.edit(deal);
    expect(snack).toHaveBeenLastCalledWith('Saved “Acme (3 sites)”.', 'OK');

    answerWith({ ...closedDeal, stage: 'Closed Won', status: 'won' });
    await launcher.close(deal, 'won');
    expect(snack).toHaveBeenLastCalledWith('Closed “Acme Corp Deal” as won.', 'OK');

    answerWith({ ...deal, stage: 'Qualification' });
    await launcher.reopen(closedDeal);
    expect(snack).toHaveBeenLastCalledWith(
      expect.stringMatching(/^Reopened “Acme Corp Deal” in Qualification\. Next action due .+\.$/),
      'OK',
    );
  });

  it('resolves a completion to the API answer and says when the next action is due', async () => {
    const result = { message: 'Action completed successfully', opportunity_id: deal.id, opportunity: deal };
    answerWith(result);
    expect(await launcher.complete(deal)).toBe(result);
    expect(snack).toHaveBeenCalledWith(
      expect.stringMatching(/^Done\. Next action for “Acme Corp Deal” is due .+\.$/),
      'OK',
    );
  });
});
