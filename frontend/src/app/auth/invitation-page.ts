import { HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { RouterLink, Router } from '@angular/router';
import { describeApiError, errorCodeOf, fieldErrorsOf } from '../core/api-error';
import { AuthStore } from '../core/auth.store';
import { tooManyAttempts } from './auth-errors';
import { createNewPasswordForm, NewPasswordFields } from './new-password-fields';

export const INVITATION_INVALID_MESSAGE =
  'This invitation link is not valid any more: it was used already, has expired (after 7 days) or is incomplete. ' +
  "Ask your team's admin for a new one.";

/** Where an invitation link leads: the invited user sets a password and is signed in, on the due page. */
@Component({
  selector: 'nat-invitation-page',
  imports: [
    MatButtonModule,
    MatIconModule,
    MatProgressSpinnerModule,
    NewPasswordFields,
    ReactiveFormsModule,
    RouterLink,
  ],
  templateUrl: './invitation-page.html',
  styleUrls: ['../ui/form-page.scss', './auth-page.scss'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class InvitationPage {
  /** The one-time token of the link (from the query string). */
  readonly token = input<string>();

  protected readonly auth = inject(AuthStore);
  private readonly router = inject(Router);

  protected readonly form = createNewPasswordForm();
  protected readonly submitting = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly invalid = signal(false);
  protected readonly missingToken = computed(() => !this.token()?.trim());
  protected readonly invalidMessage = INVITATION_INVALID_MESSAGE;

  protected async accept(): Promise<void> {
    this.form.markAllAsTouched();
    const token = this.token()?.trim();
    if (!token || this.form.invalid || this.submitting()) return;
    this.submitting.set(true);
    this.error.set(null);
    try {
      await this.auth.acceptInvitation(token, this.form.controls.password.value);
      await this.router.navigateByUrl('/');
    } catch (error) {
      this.showFailure(error);
    } finally {
      this.submitting.set(false);
    }
  }

  private showFailure(error: unknown): void {
    if (errorCodeOf(error) === 'INVITATION_INVALID') {
      this.invalid.set(true);
      return;
    }
    const passwordError = fieldErrorsOf(error).find((fieldError) => fieldError.field === 'password');
    if (passwordError) {
      this.form.controls.password.setErrors({ server: passwordError.message });
      return;
    }
    this.error.set(
      error instanceof HttpErrorResponse && error.status === 429
        ? tooManyAttempts(error)
        : describeApiError(error),
    );
  }
}
