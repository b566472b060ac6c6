import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import type { CompleteActionResponseDto, OpportunityDto } from '../api/models';
import { describeApiError, errorCodeOf } from '../core/api-error';
import { formatLocalDateTime, relativeDue } from '../core/time';
import { createNextActionForm, NextActionFields, nextActionAt } from './next-action-fields';
import { OpportunityCommands } from './opportunity-commands';

export interface CompleteActionDialogData {
  opportunity: OpportunityDto;
}

export const NOTES_MAX = 5000;

/** Completing an action means planning the next one: both happen in one request. */
@Component({
  selector: 'nat-complete-action-dialog',
  imports: [
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatIconModule,
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
  private readonly dialogRef =
    inject<MatDialogRef<CompleteActionDialog, CompleteActionResponseDto>>(MatDialogRef);

  protected readonly opportunity = signal(inject<CompleteActionDialogData>(MAT_DIALOG_DATA).opportunity);
  protected readonly notes = new FormControl('', {
    nonNullable: true,
    validators: [Validators.maxLength(NOTES_MAX)],
  });
  protected readonly nextAction = createNextActionForm({ requireFuture: true });
  protected readonly form = new FormGroup({ notes: this.notes, nextAction: this.nextAction });
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly conflict = signal(false);
  protected readonly notesMax = NOTES_MAX;

  protected readonly currentDue = computed(() => {
    const at = new Date(this.opportunity().next_action_at);
    return `${relativeDue(at, new Date())} · ${formatLocalDateTime(at)}`;
  });

  protected async submit(): Promise<void> {
    this.form.markAllAsTouched();
    const at = nextActionAt(this.nextAction);
    if (this.form.invalid || !at || this.saving()) return;
    this.saving.set(true);
    this.error.set(null);
    this.conflict.set(false);
    const opportunity = this.opportunity();
    try {
      const result = await this.commands.completeAction(opportunity.id, {
        new_next_action_at: at.toISOString(),
        new_next_action_details: this.nextAction.controls.details.value.trim(),
        expected_version: opportunity.version,
        notes: this.notes.value.trim() || undefined,
      });
      this.dialogRef.close(result);
    } catch (error) {
      await this.handleFailure(error, opportunity.id);
    } finally {
      this.saving.set(false);
    }
  }

  /** On a conflict the deal is reloaded, so the rep decides again with what is true now. */
  private async handleFailure(error: unknown, id: string): Promise<void> {
    if (errorCodeOf(error) !== 'VERSION_CONFLICT') {
      this.error.set(describeApiError(error));
      return;
    }
    this.conflict.set(true);
    try {
      this.opportunity.set(await this.commands.get(id));
      this.error.set(
        'This deal was changed elsewhere. It has been reloaded: check its current next action, then submit again.',
      );
    } catch (reloadError) {
      this.error.set(describeApiError(reloadError));
    }
  }
}
