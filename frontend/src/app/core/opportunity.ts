import type { OpportunityDto } from '../api/models';

/** When the next action is due; null once the opportunity is closed (it has none). */
export function nextActionDate(opportunity: Pick<OpportunityDto, 'next_action_at'>): Date | null {
  return opportunity.next_action_at ? new Date(opportunity.next_action_at) : null;
}

/**
 * The next action's date in views of open opportunities only (due lists, upcoming, a completion's result):
 * the database guarantees an open opportunity has one.
 */
export function dueDate(opportunity: Pick<OpportunityDto, 'next_action_at'>): Date {
  const at = nextActionDate(opportunity);
  if (!at) throw new Error('A closed opportunity has no next action');
  return at;
}
