import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
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
import { MatDatepickerModule } from '@angular/material/datepicker';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { notBlank } from './deal-form';
import { browserTimeZone, combineLocal, quickPicks, toTimeInput, type QuickPick } from '../core/time';

export const DETAILS_MAX = 1000;

interface WhenControls {
  date: FormControl<Date | null>;
  time: FormControl<string>;
}

/** Only when: a reschedule moves the action without changing what it is. */
export type WhenForm = FormGroup<WhenControls>;
/** When and what: the next action planned by a completion, a new deal or a reopening. */
export type NextActionForm = FormGroup<WhenControls & { details: FormControl<string> }>;

/** The chosen local date and time as one instant, or null while incomplete. */
export function nextActionAt(form: WhenForm | NextActionForm): Date | null {
  const { date, time } = form.getRawValue();
  return date ? combineLocal(date, time) : null;
}

function futureOnly(now: () => Date): ValidatorFn {
  return (control: AbstractControl): ValidationErrors | null => {
    const at = nextActionAt(control as WhenForm);
    return at && at.getTime() <= now().getTime() ? { notFuture: true } : null;
  };
}

function whenControls(): WhenControls {
  return {
    date: new FormControl<Date | null>(null, Validators.required),
    time: new FormControl('09:00', { nonNullable: true, validators: [Validators.required] }),
  };
}

export function createWhenForm({ requireFuture }: { requireFuture: boolean }): WhenForm {
  return new FormGroup(whenControls(), { validators: requireFuture ? futureOnly(() => new Date()) : [] });
}

export function createNextActionForm({ requireFuture }: { requireFuture: boolean }): NextActionForm {
  return new FormGroup(
    {
      ...whenControls(),
      details: new FormControl('', {
        nonNullable: true,
        validators: [Validators.required, notBlank, Validators.maxLength(DETAILS_MAX)],
      }),
    },
    { validators: requireFuture ? futureOnly(() => new Date()) : [] },
  );
}

/**
 * Date and time of a next action with quick picks, and what to do when the form has details; shared by the
 * complete, create, reschedule and reopen dialogs.
 */
@Component({
  selector: 'nat-next-action-fields',
  imports: [MatButtonModule, MatDatepickerModule, MatFormFieldModule, MatInputModule, ReactiveFormsModule],
  templateUrl: './next-action-fields.html',
  styleUrl: './next-action-fields.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NextActionFields {
  readonly form = input.required<WhenForm | NextActionForm>();
  readonly detailsLabel = input('Next action');
  /** What the group is called for screen readers; the details label unless said otherwise. */
  readonly legend = input<string>();

  protected readonly details = computed(() => {
    const controls = this.form().controls;
    return 'details' in controls ? controls.details : null;
  });

  protected readonly timeZone = browserTimeZone();
  protected readonly picks: QuickPick[] = quickPicks(new Date());
  protected readonly minDate = new Date(new Date().setHours(0, 0, 0, 0));
  protected readonly detailsMax = DETAILS_MAX;

  protected applyPick(pick: QuickPick): void {
    this.form().patchValue({ date: pick.at, time: toTimeInput(pick.at) });
    this.form().controls.date.markAsTouched();
  }
}
