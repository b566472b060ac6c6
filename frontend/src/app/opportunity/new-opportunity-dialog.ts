import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatSelectModule } from '@angular/material/select';
import type { OpportunityDto } from '../api/models';
import { describeApiError } from '../core/api-error';
import { AuthStore } from '../core/auth.store';
import { TenantStore } from '../core/tenant.store';
import { TeamDirectory } from '../team/team-directory';
import { DealFields } from './deal-fields';
import { createDealForm } from './deal-form';
import { DialogBanner } from './dialog-banner';
import { createNextActionForm, NextActionFields, nextActionAt } from './next-action-fields';
import { OpportunityCommands } from './opportunity-commands';
import { DialogSubmit } from '../ui/dialog-submit';

/**
 * A new deal enters the pipeline only with its first next action. It belongs to whoever creates it; managers and
 * admins may hand it to another member of the team right away.
 */
@Component({
  selector: 'nat-new-opportunity-dialog',
  imports: [
    DialogSubmit,
    DealFields,
    DialogBanner,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatProgressSpinnerModule,
    MatSelectModule,
    NextActionFields,
    ReactiveFormsModule,
  ],
  templateUrl: './new-opportunity-dialog.html',
  styleUrl: './dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NewOpportunityDialog {
  private readonly commands = inject(OpportunityCommands);
  private readonly dialogRef = inject<MatDialogRef<NewOpportunityDialog, OpportunityDto>>(MatDialogRef);

  protected readonly directory = inject(TeamDirectory);
  private readonly userId = inject(AuthStore).user()?.id ?? null;
  /** Only managers and admins choose an owner; for a rep the API would refuse anyone but themselves. */
  protected readonly canAssign = inject(TenantStore).seesTeam;

  protected readonly deal = createDealForm({ name: '', value: null, stage: 'Prospecting' });
  protected readonly nextAction = createNextActionForm({ requireFuture: false });
  protected readonly owner = new FormControl<string | null>(this.userId);
  protected readonly form = new FormGroup({
    deal: this.deal,
    nextAction: this.nextAction,
    owner: this.owner,
  });
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly members = computed(() =>
    this.directory.members().map((member) => ({ ...member, you: member.user_id === this.userId })),
  );

  constructor() {
    if (this.canAssign()) void this.directory.ensureLoaded();
  }

  protected async submit(): Promise<void> {
    this.form.markAllAsTouched();
    const at = nextActionAt(this.nextAction);
    const { name, value, stage } = this.deal.getRawValue();
    if (this.form.invalid || !at || value === null || this.saving()) return;
    this.saving.set(true);
    this.error.set(null);
    const owner = this.owner.value;
    try {
      const created = await this.commands.create({
        name: name.trim(),
        value,
        stage,
        next_action_at: at.toISOString(),
        next_action_details: this.nextAction.controls.details.value.trim(),
        ...(this.canAssign() && owner && owner !== this.userId ? { owner_id: owner } : {}),
      });
      this.dialogRef.close(created);
    } catch (error) {
      this.error.set(describeApiError(error));
    } finally {
      this.saving.set(false);
    }
  }
}
