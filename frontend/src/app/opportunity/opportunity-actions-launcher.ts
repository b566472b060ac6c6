import type { ComponentType } from '@angular/cdk/portal';
import { inject, Injectable } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import { firstValueFrom } from 'rxjs';
import type { CompleteActionResponseDto, OpenStage, OpportunityDto, Outcome } from '../api/models';
import { dueDate } from '../core/opportunity';
import { formatShortDateTime } from '../core/time';
import { TeamDirectory } from '../team/team-directory';
import type { OpportunityDialogData } from './change-submission';
import { CloseOpportunityDialog, type CloseOpportunityDialogData } from './close-opportunity-dialog';
import { CompleteActionDialog } from './complete-action-dialog';
import { EditOpportunityDialog } from './edit-opportunity-dialog';
import { ReassignDialog } from './reassign-dialog';
import { ReopenOpportunityDialog, type ReopenOpportunityDialogData } from './reopen-opportunity-dialog';
import { RescheduleDialog } from './reschedule-dialog';

/** A request to close a deal, as a card emits it. */
export interface CloseRequest {
  opportunity: OpportunityDto;
  outcome: Outcome;
}

/**
 * Opens the dialog of each action on a deal and, when it saved, says so in a snack bar; so the due list, the
 * upcoming list and the deal's page act the same way. Each method resolves to what the API answered, or
 * undefined when the rep cancelled. Open views refresh on their own (OpportunityCommands notifies
 * PipelineChanges); the result is for showing the change at once.
 */
@Injectable({ providedIn: 'root' })
export class OpportunityActionsLauncher {
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly directory = inject(TeamDirectory);

  async complete(opportunity: OpportunityDto): Promise<CompleteActionResponseDto | undefined> {
    const result = await this.open<OpportunityDialogData, CompleteActionResponseDto>(CompleteActionDialog, {
      opportunity,
    });
    if (result) {
      const due = formatShortDateTime(dueDate(result.opportunity));
      this.say(`Done. Next action for “${result.opportunity.name}” is due ${due}.`);
    }
    return result;
  }

  async reschedule(opportunity: OpportunityDto): Promise<OpportunityDto | undefined> {
    const result = await this.open<OpportunityDialogData, OpportunityDto>(RescheduleDialog, { opportunity });
    if (result) this.say(`Moved “${result.name}” to ${formatShortDateTime(dueDate(result))}.`);
    return result;
  }

  async edit(opportunity: OpportunityDto): Promise<OpportunityDto | undefined> {
    const result = await this.open<OpportunityDialogData, OpportunityDto>(EditOpportunityDialog, {
      opportunity,
    });
    if (result) this.say(`Saved “${result.name}”.`);
    return result;
  }

  async close(opportunity: OpportunityDto, outcome: Outcome): Promise<OpportunityDto | undefined> {
    const result = await this.open<CloseOpportunityDialogData, OpportunityDto>(
      CloseOpportunityDialog,
      { opportunity, outcome },
      '480px',
    );
    if (result) this.say(`Closed “${result.name}” as ${outcome}.`);
    return result;
  }

  /** `stage` is the stage to suggest, e.g. the one the deal was closed from. */
  async reopen(opportunity: OpportunityDto, stage?: OpenStage): Promise<OpportunityDto | undefined> {
    const result = await this.open<ReopenOpportunityDialogData, OpportunityDto>(ReopenOpportunityDialog, {
      opportunity,
      stage,
    });
    if (result) {
      const due = formatShortDateTime(dueDate(result));
      this.say(`Reopened “${result.name}” in ${result.stage}. Next action due ${due}.`);
    }
    return result;
  }

  /** Gives the deal to another member (managers and admins). */
  async reassign(opportunity: OpportunityDto): Promise<OpportunityDto | undefined> {
    const result = await this.open<OpportunityDialogData, OpportunityDto>(
      ReassignDialog,
      { opportunity },
      '480px',
    );
    if (result) this.say(`Reassigned “${result.name}” to ${this.directory.nameOf(result.owner_id)}.`);
    return result;
  }

  private open<Data, Result>(
    component: ComponentType<unknown>,
    data: Data,
    width = '560px',
  ): Promise<Result | undefined> {
    const ref = this.dialog.open<unknown, Data, Result>(component, {
      data,
      width,
      maxWidth: '96vw',
      autoFocus: 'first-tabbable',
    });
    return firstValueFrom(ref.afterClosed());
  }

  private say(message: string): void {
    this.snackBar.open(message, 'OK');
  }
}
