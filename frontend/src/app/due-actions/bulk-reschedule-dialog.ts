import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import {
  type AbstractControl,
  FormControl,
  FormGroup,
  ReactiveFormsModule,
  type ValidationErrors,
  Validators,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDatepickerModule } from '@angular/material/datepicker';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { describeApiError } from '../core/api-error';
import { browserTimeZone, combineLocal, type QuickPick, quickPicks, toTimeInput } from '../core/time';
import { BulkActions, type BulkOutcome } from './bulk-actions';
import type { BulkDialogData } from './bulk-complete-dialog';
import { BulkTargets } from './bulk-targets';
import { DialogSubmit } from '../ui/dialog-submit';

/** The API's limit on a reschedule reason. */
export const REASON_MAX = 500;

type RescheduleForm = FormGroup<{
  date: FormControl<Date | null>;
  time: FormControl<string>;
  reason: FormControl<string>;
}>;

function newDateOf(form: RescheduleForm): Date | null {
  const { date, time } = form.getRawValue();
  return date ? combineLocal(date, time) : null;
}

function futureOnly(control: AbstractControl): ValidationErrors | null {
  const at = newDateOf(control as RescheduleForm);
  return at && at.getTime() <= Date.now() ? { notFuture: true } : null;
}

function notBlank(control: AbstractControl<string>): ValidationErrors | null {
  return control.value.trim().length === 0 ? { required: true } : null;
}

/** "Reschedule all to…": the selected actions move to one new date, for one reason; none is completed. */
@Component({
  selector: 'nat-bulk-reschedule-dialog',
  imports: [
    DialogSubmit,
    BulkTargets,
    MatButtonModule,
    MatDatepickerModule,
    MatDialogModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressSpinnerModule,
    ReactiveFormsModule,
  ],
  templateUrl: './bulk-reschedule-dialog.html',
  styleUrl: './bulk-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BulkRescheduleDialog {
  private readonly bulk = inject(BulkActions);
  private readonly dialogRef = inject<MatDialogRef<BulkRescheduleDialog, BulkOutcome>>(MatDialogRef);

  protected readonly opportunities = inject<BulkDialogData>(MAT_DIALOG_DATA).opportunities;
  protected readonly form: RescheduleForm = new FormGroup(
    {
      date: new FormControl<Date | null>(null, Validators.required),
      time: new FormControl('09:00', { nonNullable: true, validators: [Validators.required] }),
      reason: new FormControl('', {
        nonNullable: true,
        validators: [Validators.required, notBlank, Validators.maxLength(REASON_MAX)],
      }),
    },
    { validators: futureOnly },
  );
  protected readonly picks: QuickPick[] = quickPicks(new Date());
  protected readonly minDate = new Date(new Date().setHours(0, 0, 0, 0));
  protected readonly timeZone = browserTimeZone();
  protected readonly reasonMax = REASON_MAX;
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);

  protected applyPick(pick: QuickPick): void {
    this.form.patchValue({ date: pick.at, time: toTimeInput(pick.at) });
    this.form.controls.date.markAsTouched();
  }

  protected async submit(): Promise<void> {
    this.form.markAllAsTouched();
    const at = newDateOf(this.form);
    if (this.form.invalid || !at || this.saving()) return;
    this.saving.set(true);
    this.error.set(null);
    try {
      const outcome = await this.bulk.reschedule(this.opportunities, {
        new_next_action_at: at.toISOString(),
        reason: this.form.controls.reason.value.trim(),
      });
      this.dialogRef.close(outcome);
    } catch (error) {
      this.error.set(describeApiError(error));
    } finally {
      this.saving.set(false);
    }
  }
}
