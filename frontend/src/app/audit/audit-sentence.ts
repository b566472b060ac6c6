import type { AuditEventDto } from '../api/models';

/** A sentence for an audit event, in parts: text, and the deal it is about (a link) when there is one. */
export interface AuditSentence {
  text: string;
  /** The opportunity the event is about, to link to. */
  opportunityId: string | null;
}

type NameOf = (userId: string | null) => string;

function detail(event: AuditEventDto, key: string): string | null {
  const value = event.details?.[key] as unknown;
  return typeof value === 'string' ? value : null;
}

/** "membership.role_changed" → "Membership role changed", for actions this dashboard does not know yet. */
export function humanize(action: string): string {
  const words = action.replace(/[._]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * What happened, in the words of the members page: "added Lee Newman as rep (invited)". `nameOf` names a user
 * by id (members of the team; someone who left is named as such).
 */
export function describeAuditEvent(event: AuditEventDto, nameOf: NameOf): AuditSentence {
  const target = event.target_type === 'user' ? nameOf(event.target_id) : null;
  const about = (text: string): AuditSentence => ({ text, opportunityId: null });
  const onDeal = (text: string): AuditSentence => ({ text, opportunityId: event.target_id });
  switch (event.action) {
    case 'user.signed_in':
      return about('signed in');
    case 'tenant.created':
      return about('created the team');
    case 'membership.added': {
      const invited = event.details?.['invited'] === true ? ' (invited)' : '';
      return about(`added ${target} as ${detail(event, 'role') ?? 'member'}${invited}`);
    }
    case 'membership.invitation_accepted':
      return about('accepted the invitation and joined');
    case 'membership.role_changed':
      return about(`changed ${target}'s role from ${detail(event, 'from')} to ${detail(event, 'to')}`);
    case 'membership.removed':
      return about(`removed ${target} from the team`);
    case 'opportunity.action_completed':
      return onDeal('completed the next action of a deal');
    case 'opportunity.reassigned':
      return onDeal(
        `reassigned a deal from ${nameOf(detail(event, 'from_owner_id'))} to ${nameOf(detail(event, 'to_owner_id'))}`,
      );
    default:
      return event.target_type === 'opportunity'
        ? onDeal(humanize(event.action))
        : about(humanize(event.action));
  }
}
