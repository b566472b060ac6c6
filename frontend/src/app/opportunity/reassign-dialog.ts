import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatSelectModule } from '@angular/material/select';
import type { OpportunityDto } from '../api/models';
import { fieldErrorsOf } from '../core/api-error';
import { AuthStore } from '../core/auth.store';
import { TeamDirectory } from '../team/team-directory';
import { DialogSubmit } from '../ui/dialog-submit';
import { injectChangeSubmission } from './change-submission';
import { DialogBanner } from './dialog-banner';
import { OpportunityCommands } from './opportunity-commands';

/** Gives a deal to another member of the team (managers and admins): they see it in their own lists from then on. */
@Component({
  selector: 'nat-reassign-dialog',
  imports: [
    DialogBanner,
    DialogSubmit,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatIconModule,
    MatSelectModule,
    ReactiveFormsModule,
  ],
  templateUrl: './reassign-dialog.html',
  styleUrl: './dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ReassignDialog {
  private readonly commands = inject(OpportunityCommands);
  private readonly dialogRef = inject<MatDialogRef<ReassignDialog, OpportunityDto>>(MatDialogRef);
  protected readonly directory = inject(TeamDirectory);
  private readonly userId = inject(AuthStore).user()?.id;
  protected readonly submission = injectChangeSubmission<OpportunityDto>({
    acts: 'on-open',
    review: 'who owns it now',
    explain: (error) => this.explain(error),
  });
  protected readonly opportunity = this.submission.opportunity;

  protected readonly owner = new FormControl<string | null>(this.opportunity().owner_id, Validators.required);
  protected readonly form = new FormGroup({ owner: this.owner });
  protected readonly currentOwner = computed(() => this.directory.nameOf(this.opportunity().owner_id));
  protected readonly members = computed(() =>
    this.directory.members().map((member) => ({
      ...member,
      you: member.user_id === this.userId,
      current: member.user_id === this.opportunity().owner_id,
    })),
  );

  constructor() {
    void this.directory.ensureLoaded();
  }

  protected submit(): Promise<void> {
    this.owner.markAsTouched();
    const ownerId = this.owner.value;
    if (this.owner.invalid || !ownerId) return Promise.resolve();
    if (ownerId === this.opportunity().owner_id) {
      this.dialogRef.close();
      return Promise.resolve();
    }
    return this.submission.submit((opportunity) =>
      this.commands.update(opportunity.id, { owner_id: ownerId, expected_version: opportunity.version }),
    );
  }

  /** The person picked left the team meanwhile: say so, and offer the members as they are now. */
  private explain(error: unknown): string | null {
    if (!fieldErrorsOf(error).some((fieldError) => fieldError.field === 'owner_id')) return null;
    this.owner.setValue(null);
    void this.directory.load();
    return 'That person is no longer a member of this team. Pick someone else.';
  }
}
