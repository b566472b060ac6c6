import { HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, signal, viewChild } from '@angular/core';
import { FormControl, FormGroup, FormGroupDirective, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatSnackBar } from '@angular/material/snack-bar';
import { tooManyAttempts } from '../auth/auth-errors';
import { createNewPasswordForm, NewPasswordFields } from '../auth/new-password-fields';
import { describeApiError, fieldErrorsOf } from '../core/api-error';
import { AuthStore } from '../core/auth.store';

/** The field messages of the API, in the words of this form. */
const FIELD_MESSAGES: Record<string, string> = { 'is incorrect': 'The current password is incorrect' };

/** The signed-in user changes their password; their other devices are signed out. */
@Component({
  selector: 'nat-password-page',
  imports: [
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressSpinnerModule,
    NewPasswordFields,
    ReactiveFormsModule,
  ],
  templateUrl: './password-page.html',
  styleUrls: ['../ui/form-page.scss', './password-page.scss'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PasswordPage {
  protected readonly auth = inject(AuthStore);
  private readonly snackBar = inject(MatSnackBar);
  private readonly formDirective = viewChild.required(FormGroupDirective);

  protected readonly current = new FormControl('', { nonNullable: true, validators: [Validators.required] });
  protected readonly next = createNewPasswordForm();
  protected readonly form = new FormGroup({ current: this.current, next: this.next });
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly currentShown = signal(false);

  protected async changePassword(): Promise<void> {
    this.form.markAllAsTouched();
    if (this.form.invalid || this.saving()) return;
    this.saving.set(true);
    this.error.set(null);
    try {
      await this.auth.changePassword(this.current.value, this.next.controls.password.value);
      this.formDirective().resetForm();
      this.snackBar.open('Password changed. Your other devices have been signed out.', 'OK');
    } catch (error) {
      this.showFailure(error);
    } finally {
      this.saving.set(false);
    }
  }

  private showFailure(error: unknown): void {
    const fieldErrors = fieldErrorsOf(error);
    const controls = { current_password: this.current, new_password: this.next.controls.password };
    let shownOnField = false;
    for (const { field, message } of fieldErrors) {
      const control = controls[field as keyof typeof controls] as FormControl<string> | undefined;
      if (!control) continue;
      control.setErrors({ server: FIELD_MESSAGES[message] ?? message });
      control.markAsTouched();
      shownOnField = true;
    }
    if (shownOnField) return;
    this.error.set(
      error instanceof HttpErrorResponse && error.status === 429
        ? tooManyAttempts(error)
        : describeApiError(error),
    );
  }
}
