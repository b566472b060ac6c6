import type { OpportunityDto } from '../api/models';

/** From this many reschedules of the same action on, a deal is shown as "pushed". */
export const PUSHED_FROM = 2;

/** How often the current action was pushed, when that is often enough to point out; otherwise null. */
export function pushedCount(opportunity: Pick<OpportunityDto, 'reschedule_count'>): number | null {
  return opportunity.reschedule_count >= PUSHED_FROM ? opportunity.reschedule_count : null;
}
