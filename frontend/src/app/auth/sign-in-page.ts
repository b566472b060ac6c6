import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  type ElementRef,
  inject,
  input,
  signal,
  viewChild,
} from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { Router } from '@angular/router';
import { errorCodeOf } from '../core/api-error';
import { AuthStore, safeReturnUrl } from '../core/auth.store';
import { describeSignInError } from './auth-errors';

/** Email and password; back to the page the user came from (`returnUrl`) once signed in. */
@Component({
  selector: 'nat-sign-in-page',
  imports: [
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressSpinnerModule,
    ReactiveFormsModule,
  ],
  templateUrl: './sign-in-page.html',
  styleUrls: ['../ui/form-page.scss', './auth-page.scss'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SignInPage {
  /** Where to go once signed in: the page that sent the user here (from the query string). */
  readonly returnUrl = input<string>();

  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);
  private readonly emailInput = viewChild.required<ElementRef<HTMLInputElement>>('emailInput');
  private readonly passwordInput = viewChild.required<ElementRef<HTMLInputElement>>('passwordInput');

  protected readonly email = new FormControl('', {
    nonNullable: true,
    validators: [Validators.required, Validators.email],
  });
  protected readonly password = new FormControl('', { nonNullable: true, validators: [Validators.required] });
  protected readonly form = new FormGroup({ email: this.email, password: this.password });
  protected readonly submitting = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly passwordShown = signal(false);

  constructor() {
    afterNextRender(() => this.emailInput().nativeElement.focus());
  }

  protected async signIn(): Promise<void> {
    this.form.markAllAsTouched();
    if (this.form.invalid || this.submitting()) return;
    this.submitting.set(true);
    this.error.set(null);
    try {
      await this.auth.signIn(this.email.value.trim(), this.password.value);
      await this.router.navigateByUrl(safeReturnUrl(this.returnUrl()));
    } catch (error) {
      this.error.set(describeSignInError(error));
      if (errorCodeOf(error) === 'INVALID_CREDENTIALS') this.retypePassword();
    } finally {
      this.submitting.set(false);
    }
  }

  /** A wrong password is typed again from scratch: empty the field and put the cursor there. */
  private retypePassword(): void {
    this.password.reset();
    this.passwordInput().nativeElement.focus();
  }
}
