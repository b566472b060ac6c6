import { ChangeDetectionStrategy, Component, input, signal } from '@angular/core';
import {
  type AbstractControl,
  FormControl,
  FormGroup,
  ReactiveFormsModule,
  type ValidationErrors,
  Validators,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import type { ErrorStateMatcher } from '@angular/material/core';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';

/** The API's bounds for a password. */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

export type NewPasswordForm = FormGroup<{
  password: FormControl<string>;
  confirm: FormControl<string>;
}>;

function sameTwice(group: AbstractControl): ValidationErrors | null {
  const { password, confirm } = (group as NewPasswordForm).getRawValue();
  return confirm && password !== confirm ? { mismatch: true } : null;
}

/** The repetition shows the group's "differ" error as its own, once the user has left it. */
const confirmMatcher: ErrorStateMatcher = {
  isErrorState: (control, form) =>
    !!control &&
    (control.touched || !!form?.submitted) &&
    (control.invalid || !!control.parent?.hasError('mismatch')),
};

/** A new password, typed twice. */
export function createNewPasswordForm(): NewPasswordForm {
  return new FormGroup(
    {
      password: new FormControl('', {
        nonNullable: true,
        validators: [
          Validators.required,
          Validators.minLength(PASSWORD_MIN),
          Validators.maxLength(PASSWORD_MAX),
        ],
      }),
      confirm: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    },
    { validators: sameTwice },
  );
}

/** The new password and its repetition, with the rules said up front; for the invitation and password pages. */
@Component({
  selector: 'nat-new-password-fields',
  imports: [MatButtonModule, MatFormFieldModule, MatIconModule, MatInputModule, ReactiveFormsModule],
  template: `
    <mat-form-field class="full">
      <mat-label>{{ label() }}</mat-label>
      <input
        matInput
        [type]="shown() ? 'text' : 'password'"
        [formControl]="form().controls.password"
        autocomplete="new-password"
        [maxlength]="max"
        data-testid="new-password"
      />
      <button
        mat-icon-button
        matIconSuffix
        type="button"
        (click)="shown.set(!shown())"
        [attr.aria-label]="shown() ? 'Hide password' : 'Show password'"
        [attr.aria-pressed]="shown()"
      >
        <mat-icon>{{ shown() ? 'visibility_off' : 'visibility' }}</mat-icon>
      </button>
      <mat-hint>At least {{ min }} characters</mat-hint>
      @if (form().controls.password.hasError('server')) {
        <mat-error>{{ form().controls.password.getError('server') }}</mat-error>
      } @else if (form().controls.password.hasError('minlength')) {
        <mat-error>Use at least {{ min }} characters</mat-error>
      } @else if (form().controls.password.invalid) {
        <mat-error>Choose a password</mat-error>
      }
    </mat-form-field>
    <mat-form-field class="full">
      <mat-label>Repeat the password</mat-label>
      <input
        matInput
        [type]="shown() ? 'text' : 'password'"
        [formControl]="form().controls.confirm"
        autocomplete="new-password"
        [maxlength]="max"
        [errorStateMatcher]="confirmMatcher"
        data-testid="confirm-password"
      />
      @if (form().controls.confirm.hasError('required')) {
        <mat-error>Type the password again</mat-error>
      } @else {
        <mat-error data-testid="password-mismatch">The two passwords differ</mat-error>
      }
    </mat-form-field>
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 4px;
    }
    .full {
      width: 100%;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NewPasswordFields {
  readonly form = input.required<NewPasswordForm>();
  readonly label = input('New password');
  protected readonly shown = signal(false);
  protected readonly min = PASSWORD_MIN;
  protected readonly max = PASSWORD_MAX;
  protected readonly confirmMatcher = confirmMatcher;
}
