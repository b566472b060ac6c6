import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { type FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import type { OpportunityDto, UpdateOpportunityDto } from '../api/models';
import { TenantStore } from '../core/tenant.store';
import { formatMoney } from '../core/time';
import { injectChangeSubmission } from './change-submission';
import { DealFields, type DealFieldHints } from './deal-fields';
import { createDealForm, type DealFormValue, isOpenStage } from './deal-form';
import { DialogBanner } from './dialog-banner';
import { OpportunityCommands } from './opportunity-commands';
import { DialogSubmit } from '../ui/dialog-submit';

/** Only the fields that differ from the deal as last seen: a PATCH that says nothing about the others. */
export function changedFields(saved: OpportunityDto, edited: DealFormValue): UpdateOpportunityDto {
  const changes: UpdateOpportunityDto = {};
  const name = edited.name.trim();
  if (name !== saved.name) changes.name = name;
  if (edited.value !== null && edited.value !== saved.value) changes.value = edited.value;
  if (edited.stage !== saved.stage) changes.stage = edited.stage;
  return changes;
}

/** Name, value and open stage of a deal; closing it goes through the close dialog instead. */
@Component({
  selector: 'nat-edit-opportunity-dialog',
  imports: [
    DialogSubmit,
    DealFields,
    DialogBanner,
    MatButtonModule,
    MatDialogModule,
    MatProgressSpinnerModule,
    ReactiveFormsModule,
  ],
  templateUrl: './edit-opportunity-dialog.html',
  styleUrl: './dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EditOpportunityDialog {
  private readonly commands = inject(OpportunityCommands);
  private readonly dialogRef = inject<MatDialogRef<EditOpportunityDialog, OpportunityDto>>(MatDialogRef);
  private readonly currency = inject(TenantStore).current()?.currency;
  protected readonly submission = injectChangeSubmission<OpportunityDto>({
    acts: 'on-open',
    review: 'the fields marked below',
    onReload: (current) => this.merge(current),
  });

  protected readonly form = createDealForm(formValueOf(this.submission.opportunity()));
  protected readonly hints = signal<DealFieldHints>({});

  protected submit(): Promise<void> {
    this.form.markAllAsTouched();
    if (this.form.invalid) return Promise.resolve();
    const changes = changedFields(this.submission.opportunity(), this.form.getRawValue());
    if (Object.keys(changes).length === 0) {
      this.dialogRef.close();
      return Promise.resolve();
    }
    return this.submission.submit((opportunity) =>
      this.commands.update(opportunity.id, { ...changes, expected_version: opportunity.version }),
    );
  }

  /**
   * A colleague saved the deal meanwhile: fields the rep left alone take the saved value; fields both changed
   * keep the rep's value, with the saved one shown under it, so submitting again is a conscious choice.
   */
  private merge(current: OpportunityDto): void {
    const before = formValueOf(this.submission.opportunity());
    const saved = formValueOf(current);
    const { name, value, stage } = this.form.controls;
    this.hints.set({
      name: mergeField(name, before.name, saved.name, saved.name),
      value: mergeField(value, before.value, saved.value, formatMoney(current.value, this.currency)),
      stage: mergeField(stage, before.stage, saved.stage, saved.stage),
    });
  }
}

/** Takes a colleague's saved value into a field the rep left alone; the hint to show under the field. */
function mergeField<T>(control: FormControl<T>, before: T, saved: T, shown: string): string | undefined {
  if (saved === before) return undefined;
  if (control.value !== before) return `Saved now: ${shown}`;
  control.setValue(saved);
  return 'Updated from elsewhere';
}

function formValueOf(opportunity: OpportunityDto): DealFormValue {
  return {
    name: opportunity.name,
    value: opportunity.value,
    stage: isOpenStage(opportunity.stage) ? opportunity.stage : 'Prospecting',
  };
}
