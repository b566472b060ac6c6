import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import type { CompleteActionResponseDto } from '../api/models';
import { dueDate } from '../core/opportunity';
import { formatLocalDateTime, relativeDue } from '../core/time';
import { injectChangeSubmission, type OpportunityDialogData } from './change-submission';
import { DialogBanner } from './dialog-banner';
import { createNextActionForm, NextActionFields, nextActionAt } from './next-action-fields';
import { OpportunityCommands } from './opportunity-commands';
import { DialogSubmit } from '../ui/dialog-submit';

export type CompleteActionDialogData = OpportunityDialogData;

export const NOTES_MAX = 5000;

/** Completing an action means planning the next one: both happen in one request. */
@Component({
  selector: 'nat-complete-action-dialog',
  imports: [
    DialogSubmit,
    DialogBanner,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressSpinnerModule,
    NextActionFields,
    ReactiveFormsModule,
  ],
  templateUrl: './complete-action-dialog.html',
  styleUrl: './dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CompleteActionDialog {
  private readonly commands = inject(OpportunityCommands);
  protected readonly submission = injectChangeSubmission<CompleteActionResponseDto>({
    acts: 'on-open',
    review: 'its current next action',
  });
  protected readonly opportunity = this.submission.opportunity;

  protected readonly notes = new FormControl('', {
    nonNullable: true,
    validators: [Validators.maxLength(NOTES_MAX)],
  });
  protected readonly nextAction = createNextActionForm({ requireFuture: true });
  protected readonly form = new FormGroup({ notes: this.notes, nextAction: this.nextAction });
  protected readonly notesMax = NOTES_MAX;

  protected readonly currentDue = computed(() => {
    const at = dueDate(this.opportunity());
    return `${relativeDue(at, new Date())} · ${formatLocalDateTime(at)}`;
  });

  protected submit(): Promise<void> {
    this.form.markAllAsTouched();
    const at = nextActionAt(this.nextAction);
    if (this.form.invalid || !at) return Promise.resolve();
    return this.submission.submit((opportunity) =>
      this.commands.completeAction(opportunity.id, {
        new_next_action_at: at.toISOString(),
        new_next_action_details: this.nextAction.controls.details.value.trim(),
        expected_version: opportunity.version,
        notes: this.notes.value.trim() || undefined,
      }),
    );
  }
}
