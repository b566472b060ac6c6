import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import {
  type AbstractControl,
  FormControl,
  FormGroup,
  ReactiveFormsModule,
  type ValidationErrors,
  type ValidatorFn,
  Validators,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatChipsModule } from '@angular/material/chips';
import { MatDatepickerModule } from '@angular/material/datepicker';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { browserTimeZone, combineLocal, quickPicks, toTimeInput, type QuickPick } from '../core/time';

export const DETAILS_MAX = 1000;

export type NextActionForm = FormGroup<{
  date: FormControl<Date | null>;
  time: FormControl<string>;
  details: FormControl<string>;
}>;

/** The chosen local date and time as one instant, or null while incomplete. */
export function nextActionAt(form: NextActionForm): Date | null {
  const { date, time } = form.getRawValue();
  return date ? combineLocal(date, time) : null;
}

function futureOnly(now: () => Date): ValidatorFn {
  return (control: AbstractControl): ValidationErrors | null => {
    const at = nextActionAt(control as NextActionForm);
    return at && at.getTime() <= now().getTime() ? { notFuture: true } : null;
  };
}

function notBlank(control: AbstractControl<string>): ValidationErrors | null {
  return control.value.trim().length === 0 ? { required: true } : null;
}

export function createNextActionForm({ requireFuture }: { requireFuture: boolean }): NextActionForm {
  return new FormGroup(
    {
      date: new FormControl<Date | null>(null, Validators.required),
      time: new FormControl('09:00', { nonNullable: true, validators: [Validators.required] }),
      details: new FormControl('', {
        nonNullable: true,
        validators: [Validators.required, notBlank, Validators.maxLength(DETAILS_MAX)],
      }),
    },
    { validators: requireFuture ? futureOnly(() => new Date()) : [] },
  );
}

/** Date, time and details of a next action, with quick picks; shared by the complete and create dialogs. */
@Component({
  selector: 'nat-next-action-fields',
  imports: [
    MatButtonModule,
    MatChipsModule,
    MatDatepickerModule,
    MatFormFieldModule,
    MatInputModule,
    ReactiveFormsModule,
  ],
  templateUrl: './next-action-fields.html',
  styleUrl: './next-action-fields.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NextActionFields {
  readonly form = input.required<NextActionForm>();
  readonly detailsLabel = input('Next action');

  protected readonly timeZone = browserTimeZone();
  protected readonly picks: QuickPick[] = quickPicks(new Date());
  protected readonly minDate = new Date(new Date().setHours(0, 0, 0, 0));
  protected readonly detailsMax = DETAILS_MAX;

  protected applyPick(pick: QuickPick): void {
    this.form().patchValue({ date: pick.at, time: toTimeInput(pick.at) });
    this.form().controls.date.markAsTouched();
  }
}
