import { inject, signal, type WritableSignal } from '@angular/core';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import type { ErrorCode, OpportunityDto } from '../api/models';
import { describeApiError, errorCodeOf } from '../core/api-error';
import { OpportunityCommands } from './opportunity-commands';

/** What every dialog about one deal is opened with. */
export interface OpportunityDialogData {
  opportunity: OpportunityDto;
}

export interface ChangeSubmissionOptions {
  /** The state the deal must be in for the change to make sense. */
  acts: 'on-open' | 'on-closed';
  /** What the rep should look at again after a conflict: "its current next action". */
  review: string;
  /** Called with the deal as reloaded after a conflict, before it is shown. */
  onReload?: (current: OpportunityDto) => void;
  /** The dialog's own words for a failure it knows better (null: the general ones). */
  explain?: (error: unknown) => string | null;
}

/** Failures after which the deal shown is out of date: reload it, so the rep decides with what is true now. */
const OUT_OF_DATE: readonly ErrorCode[] = [
  'VERSION_CONFLICT',
  'OPPORTUNITY_CLOSED',
  'OPPORTUNITY_NOT_CLOSED',
];

/**
 * The saving side of a dialog that changes one deal: the deal as last seen (sent back as `expected_version`),
 * saving and error state, closing with the result, and reloading the deal when it changed elsewhere.
 * Composed into each dialog with `injectChangeSubmission()`, rather than inherited.
 */
export class ChangeSubmission<Result> {
  readonly opportunity: WritableSignal<OpportunityDto>;
  readonly saving = signal(false);
  readonly error = signal<string | null>(null);
  /** The last failure was a conflict: the deal shown has been reloaded. */
  readonly conflict = signal(false);
  /** The deal left the state this dialog acts on (or was deleted): there is nothing left to submit. */
  readonly stale = signal(false);

  constructor(
    private readonly commands: OpportunityCommands,
    private readonly dialogRef: MatDialogRef<unknown, Result>,
    data: OpportunityDialogData,
    private readonly options: ChangeSubmissionOptions,
  ) {
    this.opportunity = signal(data.opportunity);
  }

  /** Sends one change built from the deal as last seen, and closes the dialog with its result. */
  async submit(send: (opportunity: OpportunityDto) => Promise<Result>): Promise<void> {
    if (this.saving() || this.stale()) return;
    this.saving.set(true);
    this.error.set(null);
    this.conflict.set(false);
    const opportunity = this.opportunity();
    try {
      this.dialogRef.close(await send(opportunity));
    } catch (error) {
      await this.handleFailure(error, opportunity.id);
    } finally {
      this.saving.set(false);
    }
  }

  private async handleFailure(error: unknown, id: string): Promise<void> {
    const code = errorCodeOf(error);
    if (code === 'OPPORTUNITY_NOT_FOUND') this.stale.set(true);
    if (!code || !OUT_OF_DATE.includes(code)) {
      this.error.set(this.options.explain?.(error) ?? describeApiError(error));
      return;
    }
    this.conflict.set(true);
    try {
      const current = await this.commands.get(id);
      this.options.onReload?.(current);
      this.opportunity.set(current);
      this.error.set(this.explainReload(current));
    } catch (reloadError) {
      this.error.set(describeApiError(reloadError));
    }
  }

  private explainReload(current: OpportunityDto): string {
    const open = current.status === 'open';
    if (this.options.acts === 'on-open' && !open) {
      this.stale.set(true);
      return `This deal was closed as ${current.status} elsewhere, so there is nothing left to do here.`;
    }
    if (this.options.acts === 'on-closed' && open) {
      this.stale.set(true);
      return 'This deal was reopened elsewhere, so there is nothing left to reopen.';
    }
    return `This deal was changed elsewhere. It has been reloaded: check ${this.options.review}, then submit again.`;
  }
}

/** A ChangeSubmission for the dialog being created, from its MatDialogRef and MAT_DIALOG_DATA. */
export function injectChangeSubmission<Result>(options: ChangeSubmissionOptions): ChangeSubmission<Result> {
  return new ChangeSubmission<Result>(
    inject(OpportunityCommands),
    inject<MatDialogRef<unknown, Result>>(MatDialogRef),
    inject<OpportunityDialogData>(MAT_DIALOG_DATA),
    options,
  );
}
