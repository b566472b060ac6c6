import { Injectable, Logger } from '@nestjs/common';
import { ApiError, ValidationFailed } from '../common/errors/api-error';
import { ErrorCode } from '../common/errors/error-code';
import { ScopedDatabase } from '../tenancy/scoped-database';
import type { BulkCompleteDto, BulkItemResultDto, BulkRescheduleDto, BulkResultDto } from './dto/bulk.dto';
import type { OpportunityDto } from './dto/opportunity.dto';
import { OpportunityLifecycle } from './opportunity-lifecycle.service';

/** The request's own shape is checked as a whole (400); what happens to each opportunity is reported per item. */
function requireDistinctIds(items: { id: string }[]): void {
  const seen = new Set<string>();
  items.forEach(({ id }, index) => {
    // A UUID names the same opportunity in any letter case.
    const key = id.toLowerCase();
    if (seen.has(key)) throw ValidationFailed.of(`items.${index}.id`, `${id} appears more than once`);
    seen.add(key);
  });
}

/**
 * Completing or rescheduling many opportunities at once. Each item runs through the same lifecycle as a single
 * request, under its own savepoint, so an item either changes fully or not at all, whatever the others do.
 */
@Injectable()
export class OpportunityBulk {
  private readonly logger = new Logger(OpportunityBulk.name);

  constructor(
    private readonly lifecycle: OpportunityLifecycle,
    private readonly database: ScopedDatabase,
  ) {}

  async complete(dto: BulkCompleteDto): Promise<BulkResultDto> {
    requireDistinctIds(dto.items);
    const plans = dto.items.map((item, index) => {
      const at = item.new_next_action_at ?? dto.shared?.new_next_action_at;
      const details = item.new_next_action_details ?? dto.shared?.new_next_action_details;
      if (!at || !details) {
        throw ValidationFailed.of(
          `items.${index}`,
          'give new_next_action_at and new_next_action_details, on the item or in shared',
        );
      }
      return { item, at, details, notes: item.notes ?? dto.shared?.notes };
    });
    return this.run(plans, async ({ item, at, details, notes }) => {
      const result = await this.lifecycle.completeAction(item.id, {
        new_next_action_at: at,
        new_next_action_details: details,
        expected_version: item.expected_version,
        notes,
      });
      return result.opportunity;
    });
  }

  async reschedule(dto: BulkRescheduleDto): Promise<BulkResultDto> {
    requireDistinctIds(dto.items);
    const plans = dto.items.map((item, index) => {
      const at = item.new_next_action_at ?? dto.shared?.new_next_action_at;
      const reason = item.reason ?? dto.shared?.reason;
      if (!at || !reason) {
        throw ValidationFailed.of(
          `items.${index}`,
          'give new_next_action_at and reason, on the item or in shared',
        );
      }
      return { item, at, reason };
    });
    return this.run(plans, ({ item, at, reason }) =>
      this.lifecycle.reschedule(item.id, {
        new_next_action_at: at,
        reason,
        expected_version: item.expected_version,
      }),
    );
  }

  /** One after the other: items of one request often touch related deals, and the pool stays free for others. */
  private async run<P extends { item: { id: string } }>(
    plans: P[],
    apply: (plan: P) => Promise<OpportunityDto>,
  ): Promise<BulkResultDto> {
    const results: BulkItemResultDto[] = [];
    for (const plan of plans) {
      try {
        const opportunity = await this.database.savepoint(() => apply(plan));
        results.push({ id: plan.item.id, status: 200, opportunity });
      } catch (error) {
        results.push({ id: plan.item.id, ...this.failureOf(error) });
      }
    }
    const failed = results.filter((result) => result.status !== 200).length;
    return { succeeded: results.length - failed, failed, results };
  }

  private failureOf(error: unknown): Pick<BulkItemResultDto, 'status' | 'error'> {
    if (error instanceof ApiError) return { status: error.status, error: error.toBody() };
    this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    const internal = new ApiError(
      ErrorCode.INTERNAL_ERROR,
      'An unexpected error occurred. It has been logged.',
    );
    return { status: internal.status, error: internal.toBody() };
  }
}
