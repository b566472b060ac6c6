import { Clipboard } from '@angular/cdk/clipboard';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import type { AddMemberResultDto, MembershipDto, Role } from '../api/models';
import { describeApiError, errorCodeOf, fieldErrorsOf } from '../core/api-error';
import { TenantStore } from '../core/tenant.store';
import { formatLocalDateTime } from '../core/time';
import { DialogBanner } from '../opportunity/dialog-banner';
import { DialogSubmit } from '../ui/dialog-submit';
import { MemberCommands } from './member-commands';
import { ROLE_OPTIONS } from './roles';

/** The link an invited user opens to set their password: `<origin>/invitation?token=…`. */
export function invitationLink(token: string, origin = window.location.origin): string {
  return `${origin}/invitation?token=${encodeURIComponent(token)}`;
}

/**
 * Adds a member by email. Someone with a NAT account joins at once; anyone else is invited, and the one-time
 * link for them is shown here, once, to copy and send.
 */
@Component({
  selector: 'nat-add-member-dialog',
  imports: [
    DialogBanner,
    DialogSubmit,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatSelectModule,
    ReactiveFormsModule,
  ],
  templateUrl: './add-member-dialog.html',
  styleUrl: './add-member-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AddMemberDialog {
  private readonly commands = inject(MemberCommands);
  private readonly dialogRef = inject<MatDialogRef<AddMemberDialog, MembershipDto>>(MatDialogRef);
  private readonly clipboard = inject(Clipboard);
  protected readonly teamName = inject(TenantStore).current()?.name ?? 'this team';

  protected readonly roles = ROLE_OPTIONS;
  protected readonly email = new FormControl('', {
    nonNullable: true,
    validators: [Validators.required, Validators.email, Validators.maxLength(320)],
  });
  protected readonly role = new FormControl<Role>('rep', { nonNullable: true });
  protected readonly name = new FormControl('', {
    nonNullable: true,
    validators: [Validators.maxLength(200)],
  });
  protected readonly form = new FormGroup({ email: this.email, role: this.role, name: this.name });

  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  /** What the API answered: with an invitation, the dialog shows its link instead of the form. */
  protected readonly result = signal<AddMemberResultDto | null>(null);
  protected readonly invitation = computed(() => {
    const invitation = this.result()?.invitation;
    return invitation
      ? {
          link: invitationLink(invitation.token),
          expires: formatLocalDateTime(new Date(invitation.expires_at)),
        }
      : null;
  });
  protected readonly copied = signal(false);

  protected async submit(): Promise<void> {
    this.form.markAllAsTouched();
    if (this.form.invalid || this.saving()) return;
    this.saving.set(true);
    this.error.set(null);
    const name = this.name.value.trim();
    try {
      const result = await this.commands.add({
        email: this.email.value.trim(),
        role: this.role.value,
        ...(name ? { name } : {}),
      });
      if (result.invitation) this.result.set(result);
      else this.dialogRef.close(result.membership);
    } catch (error) {
      this.showFailure(error);
    } finally {
      this.saving.set(false);
    }
  }

  protected copyLink(link: string): void {
    this.copied.set(this.clipboard.copy(link));
  }

  protected selectText(event: FocusEvent): void {
    (event.target as HTMLInputElement).select();
  }

  protected done(): void {
    this.dialogRef.close(this.result()?.membership);
  }

  private showFailure(error: unknown): void {
    if (errorCodeOf(error) === 'ALREADY_MEMBER') {
      this.email.setErrors({ server: `${this.email.value.trim()} is already a member of ${this.teamName}.` });
      return;
    }
    const controls: Record<string, FormControl<string>> = { email: this.email, name: this.name };
    const onFields = fieldErrorsOf(error).filter(({ field }) => controls[field]);
    for (const { field, message } of onFields) {
      controls[field].setErrors({
        server: field === 'name' ? 'Enter their name: they have no NAT account yet.' : message,
      });
    }
    if (onFields.length === 0) this.error.set(describeApiError(error));
  }
}
