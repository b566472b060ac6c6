import type { AuditEventDto } from '../api/models';
import { describeAuditEvent } from './audit-sentence';

function anEvent(overrides: Partial<AuditEventDto>): AuditEventDto {
  return {
    id: 'e1',
    at: '2026-11-26T10:00:00.000Z',
    action: 'user.signed_in',
    actor_id: 'u-ada',
    actor_name: 'Ada Admin',
    target_type: 'user',
    target_id: 'u-ada',
    details: null,
    request_id: 'r1',
    ...overrides,
  };
}

const names: Record<string, string> = { 'u-lee': 'Lee Newman', 'u-ben': 'Ben Manager' };
const nameOf = (id: string | null) => (id ? (names[id] ?? 'Former member') : 'Unassigned');

describe('describeAuditEvent', () => {
  it('names the member an admin added, changed or removed', () => {
    const added = anEvent({
      action: 'membership.added',
      target_id: 'u-lee',
      details: { role: 'rep', invited: true },
    });
    expect(describeAuditEvent(added, nameOf).text).toBe('added Lee Newman as rep (invited)');
    const changed = anEvent({
      action: 'membership.role_changed',
      target_id: 'u-ben',
      details: { from: 'rep', to: 'manager' },
    });
    expect(describeAuditEvent(changed, nameOf).text).toBe("changed Ben Manager's role from rep to manager");
    const removed = anEvent({ action: 'membership.removed', target_id: 'u-gone', details: { role: 'rep' } });
    expect(describeAuditEvent(removed, nameOf).text).toBe('removed Former member from the team');
  });

  it('links a reassignment to its deal and names both owners', () => {
    const sentence = describeAuditEvent(
      anEvent({
        action: 'opportunity.reassigned',
        target_type: 'opportunity',
        target_id: 'o1',
        details: { from_owner_id: 'u-lee', to_owner_id: 'u-ben' },
      }),
      nameOf,
    );
    expect(sentence).toEqual({
      text: 'reassigned a deal from Lee Newman to Ben Manager',
      opportunityId: 'o1',
    });
  });

  it('says something sensible about an action it does not know yet', () => {
    expect(describeAuditEvent(anEvent({ action: 'team.renamed', target_type: 'tenant' }), nameOf)).toEqual({
      text: 'Team renamed',
      opportunityId: null,
    });
  });
});
