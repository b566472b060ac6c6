import { HttpErrorResponse } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Api } from '../api/api';
import { opportunityActionsBulkComplete, opportunityActionsBulkReschedule } from '../api/functions';
import type {
  BulkItemResultDto,
  BulkResultDto,
  ErrorCode,
  OpportunityDto,
  SharedNextActionDto,
  SharedRescheduleDto,
} from '../api/models';
import { describeApiError, errorCodeOf } from '../core/api-error';
import { PipelineChanges } from '../core/pipeline-changes';

/** The API takes at most this many items per bulk request; larger selections go in several. */
export const BULK_MAX_ITEMS = 200;

export type BulkKind = 'complete' | 'reschedule';

export interface BulkFailure {
  id: string;
  name: string;
  message: string;
  code: ErrorCode | null;
}

export interface BulkOutcome {
  kind: BulkKind;
  succeeded: OpportunityDto[];
  failed: BulkFailure[];
}

/** The sentence of one failed item, from its own error envelope, worded as for a single request. */
export function describeItemError(result: BulkItemResultDto): string {
  if (!result.error) return `It failed (status ${result.status}). Try again.`;
  return describeApiError(new HttpErrorResponse({ status: result.status, error: result.error }));
}

/**
 * Completes or reschedules many due actions at once. Every item carries the version the rep saw, so a deal
 * changed in the meantime fails alone (409) instead of being overwritten. The API answers 207 when some items
 * failed; HttpClient treats every 2xx as success, so the outcome is read from `results`, item by item.
 */
@Injectable({ providedIn: 'root' })
export class BulkActions {
  private readonly api = inject(Api);
  private readonly changes = inject(PipelineChanges);

  complete(opportunities: readonly OpportunityDto[], shared: SharedNextActionDto): Promise<BulkOutcome> {
    return this.run('complete', opportunities, (items) =>
      this.api.invoke(opportunityActionsBulkComplete, { body: { items, shared } }),
    );
  }

  reschedule(opportunities: readonly OpportunityDto[], shared: SharedRescheduleDto): Promise<BulkOutcome> {
    return this.run('reschedule', opportunities, (items) =>
      this.api.invoke(opportunityActionsBulkReschedule, { body: { items, shared } }),
    );
  }

  /**
   * Sends the items in requests of at most `BULK_MAX_ITEMS`. When the very first request fails as a whole
   * (invalid date, no connection) nothing changed, so the error is thrown for the dialog to show; a later
   * request that fails marks only its own items as failed, since the earlier ones did change.
   */
  private async run(
    kind: BulkKind,
    opportunities: readonly OpportunityDto[],
    send: (items: { id: string; expected_version: number }[]) => Promise<BulkResultDto>,
  ): Promise<BulkOutcome> {
    const outcome: BulkOutcome = { kind, succeeded: [], failed: [] };
    try {
      for (let start = 0; start < opportunities.length; start += BULK_MAX_ITEMS) {
        const chunk = opportunities.slice(start, start + BULK_MAX_ITEMS);
        try {
          const answer = await send(chunk.map((item) => ({ id: item.id, expected_version: item.version })));
          collect(outcome, chunk, answer.results);
        } catch (error) {
          if (start === 0) throw error;
          const message = describeApiError(error);
          const code = errorCodeOf(error);
          outcome.failed.push(...chunk.map(({ id, name }) => ({ id, name, message, code })));
        }
      }
      return outcome;
    } finally {
      if (outcome.succeeded.length > 0) this.changes.notify();
    }
  }
}

function collect(
  outcome: BulkOutcome,
  sent: readonly OpportunityDto[],
  results: readonly BulkItemResultDto[],
): void {
  const byId = new Map(results.map((result) => [result.id, result]));
  for (const item of sent) {
    const result = byId.get(item.id);
    if (result?.opportunity && result.status < 300) {
      outcome.succeeded.push(result.opportunity);
    } else {
      outcome.failed.push({
        id: item.id,
        name: item.name,
        message: result ? describeItemError(result) : 'The server did not report on this item. Try again.',
        code: result?.error?.error_code ?? null,
      });
    }
  }
}
