import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import type { OpportunityDto } from '../api/models';
import { nextActionDate } from '../core/opportunity';
import { formatLocalDateTime, relativeDue } from '../core/time';
import { injectChangeSubmission } from './change-submission';
import { DialogBanner } from './dialog-banner';
import { notBlank } from './deal-form';
import { createWhenForm, NextActionFields, nextActionAt } from './next-action-fields';
import { OpportunityCommands } from './opportunity-commands';
import { DialogSubmit } from '../ui/dialog-submit';

export const REASON_MAX = 500;

/** Moves the current action to a later date without completing it; the reason goes into the history. */
@Component({
  selector: 'nat-reschedule-dialog',
  imports: [
    DialogSubmit,
    DialogBanner,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressSpinnerModule,
    NextActionFields,
    ReactiveFormsModule,
  ],
  templateUrl: './reschedule-dialog.html',
  styleUrl: './dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RescheduleDialog {
  private readonly commands = inject(OpportunityCommands);
  protected readonly submission = injectChangeSubmission<OpportunityDto>({
    acts: 'on-open',
    review: 'when its action is due now',
  });
  protected readonly opportunity = this.submission.opportunity;

  protected readonly when = createWhenForm({ requireFuture: true });
  protected readonly reason = new FormControl('', {
    nonNullable: true,
    validators: [Validators.required, notBlank, Validators.maxLength(REASON_MAX)],
  });
  protected readonly form = new FormGroup({ when: this.when, reason: this.reason });
  protected readonly reasonMax = REASON_MAX;

  protected readonly currentDue = computed(() => {
    const at = nextActionDate(this.opportunity());
    return at ? `${relativeDue(at, new Date())} · ${formatLocalDateTime(at)}` : null;
  });
  protected readonly pushed = computed(() => {
    const count = this.opportunity().reschedule_count;
    if (count === 0) return null;
    return count === 1 ? 'Already pushed once' : `Already pushed ${count} times`;
  });

  protected submit(): Promise<void> {
    this.form.markAllAsTouched();
    const at = nextActionAt(this.when);
    if (this.form.invalid || !at) return Promise.resolve();
    return this.submission.submit((opportunity) =>
      this.commands.reschedule(opportunity.id, {
        new_next_action_at: at.toISOString(),
        reason: this.reason.value.trim(),
        expected_version: opportunity.version,
      }),
    );
  }
}
