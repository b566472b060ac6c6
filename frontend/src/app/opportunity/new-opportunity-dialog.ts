import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import type { OpportunityDto } from '../api/models';
import { describeApiError } from '../core/api-error';
import { DealFields } from './deal-fields';
import { createDealForm } from './deal-form';
import { DialogBanner } from './dialog-banner';
import { createNextActionForm, NextActionFields, nextActionAt } from './next-action-fields';
import { OpportunityCommands } from './opportunity-commands';
import { DialogSubmit } from '../ui/dialog-submit';

/** A new deal enters the pipeline only with its first next action. */
@Component({
  selector: 'nat-new-opportunity-dialog',
  imports: [
    DialogSubmit,
    DealFields,
    DialogBanner,
    MatButtonModule,
    MatDialogModule,
    MatProgressSpinnerModule,
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

  protected readonly deal = createDealForm({ name: '', value: null, stage: 'Prospecting' });
  protected readonly nextAction = createNextActionForm({ requireFuture: false });
  protected readonly form = new FormGroup({ deal: this.deal, nextAction: this.nextAction });
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);

  protected async submit(): Promise<void> {
    this.form.markAllAsTouched();
    const at = nextActionAt(this.nextAction);
    const { name, value, stage } = this.deal.getRawValue();
    if (this.form.invalid || !at || value === null || this.saving()) return;
    this.saving.set(true);
    this.error.set(null);
    try {
      const created = await this.commands.create({
        name: name.trim(),
        value,
        stage,
        next_action_at: at.toISOString(),
        next_action_details: this.nextAction.controls.details.value.trim(),
      });
      this.dialogRef.close(created);
    } catch (error) {
      this.error.set(describeApiError(error));
    } finally {
      this.saving.set(false);
    }
  }
}
