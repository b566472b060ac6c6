import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatSelectModule } from '@angular/material/select';
import type { OpportunityDto, Stage } from '../api/models';
import { STAGE } from '../api/models/stage-array';
import { describeApiError } from '../core/api-error';
import { TenantStore } from '../core/tenant.store';
import { createNextActionForm, NextActionFields, nextActionAt } from './next-action-fields';
import { OpportunityCommands } from './opportunity-commands';

export const NAME_MAX = 200;
/** numeric(14,2) in the database. */
export const VALUE_MAX = 999_999_999_999.99;

/** A new deal enters the pipeline only with its first next action. */
@Component({
  selector: 'nat-new-opportunity-dialog',
  imports: [
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
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
  protected readonly currency = inject(TenantStore).current()?.currency ?? '';

  protected readonly stages = STAGE;
  protected readonly nameMax = NAME_MAX;
  protected readonly deal = new FormGroup({
    name: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.maxLength(NAME_MAX), Validators.pattern(/\S/)],
    }),
    value: new FormControl<number | null>(null, [
      Validators.required,
      Validators.min(0),
      Validators.max(VALUE_MAX),
      Validators.pattern(/^\d+(\.\d{1,2})?$/),
    ]),
    stage: new FormControl<Stage>('Prospecting', { nonNullable: true, validators: [Validators.required] }),
  });
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
