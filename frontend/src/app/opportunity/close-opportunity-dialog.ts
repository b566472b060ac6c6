import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import type { OpportunityDto, Outcome } from '../api/models';
import { TenantStore } from '../core/tenant.store';
import { formatMoney } from '../core/time';
import { injectChangeSubmission, type OpportunityDialogData } from './change-submission';
import { DialogBanner } from './dialog-banner';
import { OpportunityCommands } from './opportunity-commands';
import { REASON_MAX } from './reschedule-dialog';
import { DialogSubmit } from '../ui/dialog-submit';

export interface CloseOpportunityDialogData extends OpportunityDialogData {
  outcome: Outcome;
}

/** A confirmation before a deal leaves the pipeline as won or lost, with an optional reason for the history. */
@Component({
  selector: 'nat-close-opportunity-dialog',
  imports: [
    DialogSubmit,
    DialogBanner,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressSpinnerModule,
    ReactiveFormsModule,
  ],
  templateUrl: './close-opportunity-dialog.html',
  styleUrl: './dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CloseOpportunityDialog {
  private readonly currency = inject(TenantStore).current()?.currency;
  protected readonly outcome = inject<CloseOpportunityDialogData>(MAT_DIALOG_DATA).outcome;
  protected readonly submission = injectChangeSubmission<OpportunityDto>({
    acts: 'on-open',
    review: 'the deal',
  });
  protected readonly opportunity = this.submission.opportunity;
  private readonly commands = inject(OpportunityCommands);

  protected readonly reason = new FormControl('', {
    nonNullable: true,
    validators: [Validators.maxLength(REASON_MAX)],
  });
  protected readonly form = new FormGroup({ reason: this.reason });
  protected readonly reasonMax = REASON_MAX;
  protected readonly value = computed(() => formatMoney(this.opportunity().value, this.currency));

  protected submit(): Promise<void> {
    this.reason.markAsTouched();
    if (this.reason.invalid) return Promise.resolve();
    return this.submission.submit((opportunity) =>
      this.commands.close(opportunity.id, {
        outcome: this.outcome,
        reason: this.reason.value.trim() || undefined,
        expected_version: opportunity.version,
      }),
    );
  }
}
