import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatSelectModule } from '@angular/material/select';
import type { OpenStage, OpportunityDto } from '../api/models';
import { OPEN_STAGE } from '../api/models/open-stage-array';
import { formatShortDateTime } from '../core/time';
import { injectChangeSubmission, type OpportunityDialogData } from './change-submission';
import { DialogBanner } from './dialog-banner';
import { createNextActionForm, NextActionFields, nextActionAt } from './next-action-fields';
import { OpportunityCommands } from './opportunity-commands';
import { DialogSubmit } from '../ui/dialog-submit';

export interface ReopenOpportunityDialogData extends OpportunityDialogData {
  /** The stage to suggest, e.g. the one the deal was in when it was closed. */
  stage?: OpenStage;
}

/** A closed deal comes back into the pipeline only with a stage and its next action. */
@Component({
  selector: 'nat-reopen-opportunity-dialog',
  imports: [
    DialogSubmit,
    DialogBanner,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatProgressSpinnerModule,
    MatSelectModule,
    NextActionFields,
    ReactiveFormsModule,
  ],
  templateUrl: './reopen-opportunity-dialog.html',
  styleUrl: './dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ReopenOpportunityDialog {
  private readonly commands = inject(OpportunityCommands);
  private readonly data = inject<ReopenOpportunityDialogData>(MAT_DIALOG_DATA);
  protected readonly submission = injectChangeSubmission<OpportunityDto>({
    acts: 'on-closed',
    review: 'the deal',
  });
  protected readonly opportunity = this.submission.opportunity;

  protected readonly stages = OPEN_STAGE;
  protected readonly stage = new FormControl<OpenStage>(this.data.stage ?? 'Qualification', {
    nonNullable: true,
    validators: [Validators.required],
  });
  protected readonly nextAction = createNextActionForm({ requireFuture: true });
  protected readonly form = new FormGroup({ stage: this.stage, nextAction: this.nextAction });

  protected readonly closed = computed(() => {
    const { status, closed_at } = this.opportunity();
    const outcome = status === 'open' ? 'Open' : `Closed ${status}`;
    return closed_at ? `${outcome} on ${formatShortDateTime(new Date(closed_at))}` : outcome;
  });

  protected submit(): Promise<void> {
    this.form.markAllAsTouched();
    const at = nextActionAt(this.nextAction);
    if (this.form.invalid || !at) return Promise.resolve();
    return this.submission.submit((opportunity) =>
      this.commands.reopen(opportunity.id, {
        stage: this.stage.value,
        next_action_at: at.toISOString(),
        next_action_details: this.nextAction.controls.details.value.trim(),
        expected_version: opportunity.version,
      }),
    );
  }
}
