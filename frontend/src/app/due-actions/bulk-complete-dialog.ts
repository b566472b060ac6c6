import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import type { OpportunityDto } from '../api/models';
import { describeApiError } from '../core/api-error';
import { createNextActionForm, NextActionFields, nextActionAt } from '../opportunity/next-action-fields';
import { BulkActions, type BulkOutcome } from './bulk-actions';
import { BulkTargets } from './bulk-targets';
import { DialogSubmit } from '../ui/dialog-submit';

export interface BulkDialogData {
  opportunities: readonly OpportunityDto[];
}

/** The API's limit on a completion's notes. */
export const BULK_NOTES_MAX = 5000;

/** "Complete all with…": every selected action is done, and each deal gets the same next action. */
@Component({
  selector: 'nat-bulk-complete-dialog',
  imports: [
    DialogSubmit,
    BulkTargets,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressSpinnerModule,
    NextActionFields,
    ReactiveFormsModule,
  ],
  templateUrl: './bulk-complete-dialog.html',
  styleUrl: './bulk-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BulkCompleteDialog {
  private readonly bulk = inject(BulkActions);
  private readonly dialogRef = inject<MatDialogRef<BulkCompleteDialog, BulkOutcome>>(MatDialogRef);

  protected readonly opportunities = inject<BulkDialogData>(MAT_DIALOG_DATA).opportunities;
  protected readonly notes = new FormControl('', {
    nonNullable: true,
    validators: [Validators.maxLength(BULK_NOTES_MAX)],
  });
  protected readonly nextAction = createNextActionForm({ requireFuture: true });
  protected readonly form = new FormGroup({ notes: this.notes, nextAction: this.nextAction });
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly notesMax = BULK_NOTES_MAX;

  protected async submit(): Promise<void> {
    this.form.markAllAsTouched();
    const at = nextActionAt(this.nextAction);
    if (this.form.invalid || !at || this.saving()) return;
    this.saving.set(true);
    this.error.set(null);
    try {
      const outcome = await this.bulk.complete(this.opportunities, {
        new_next_action_at: at.toISOString(),
        new_next_action_details: this.nextAction.controls.details.value.trim(),
        notes: this.notes.value.trim() || undefined,
      });
      this.dialogRef.close(outcome);
    } catch (error) {
      this.error.set(describeApiError(error));
    } finally {
      this.saving.set(false);
    }
  }
}
