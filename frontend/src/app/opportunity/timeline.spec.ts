import type { OpportunityEventDto } from '../api/models';
import { formatInSentence, formatStamp, sentenceOf, toTimelineRow } from './timeline';

const now = new Date('2026-11-26T12:00:00Z');

function event(
  overrides: Partial<OpportunityEventDto> & Pick<OpportunityEventDto, 'type'>,
): OpportunityEventDto {
  return { id: 'e1', opportunity_id: 'o1', occurred_at: '2026-11-24T08:30:00.000Z', ...overrides };
}

const at = (iso: string) => formatInSentence(new Date(iso), now);

describe('toTimelineRow', () => {
  it('says where a deal was created and what its first action was', () => {
    const row = toTimelineRow(
      event({
        type: 'created',
        to_stage: 'Prospecting',
        details: 'Discovery call',
        next_action_at: '2026-12-02T10:00:00.000Z',
      }),
      now,
    );
    expect(row.title).toBe('Created in Prospecting');
    expect(row.plan).toBe(`First next action: Discovery call · due ${at('2026-12-02T10:00:00.000Z')}`);
    expect(row.icon).toBe('flag');
    expect(row.occurred).toBe(formatStamp(new Date('2026-11-24T08:30:00.000Z')));
  });

  it('keeps what a completed action was, when it was due and done, and its notes', () => {
    const row = toTimelineRow(
      event({
        type: 'completed',
        details: 'Send proposal',
        due_at: '2026-11-19T09:00:00.000Z',
        completed_at: '2026-11-19T15:00:00.000Z',
        notes: '  Sent v1 with three tiers ',
      }),
      now,
    );
    expect(row.title).toBe('Send proposal');
    expect(row.icon).toBe('task_alt');
    expect(row.notes).toBe('Sent v1 with three tiers');
    expect(row.completed).toEqual({
      details: 'Send proposal',
      dueIso: '2026-11-19T09:00:00.000Z',
      due: formatStamp(new Date('2026-11-19T09:00:00.000Z')),
      completedIso: '2026-11-19T15:00:00.000Z',
      completed: formatStamp(new Date('2026-11-19T15:00:00.000Z')),
      late: true,
    });
  });

  it('says from when to when an action was rescheduled, and why', () => {
    const row = toTimelineRow(
      event({
        type: 'rescheduled',
        previous_next_action_at: '2026-12-02T10:00:00.000Z',
        next_action_at: '2026-12-05T09:00:00.000Z',
        reason: 'Customer travelling',
      }),
      now,
    );
    expect(sentenceOf(row)).toBe(
      `Rescheduled from ${at('2026-12-02T10:00:00.000Z')} to ${at('2026-12-05T09:00:00.000Z')} — Customer travelling`,
    );
    expect(row.icon).toBe('event_repeat');
  });

  it('names the year of dates in another year', () => {
    expect(formatInSentence(new Date('2027-01-04T09:00:00Z'), now)).toMatch(/2027/);
    expect(formatInSentence(new Date('2026-12-04T09:00:00Z'), now)).not.toMatch(/2026/);
  });

  it('shows a stage change with an arrow, and spells it out for screen readers', () => {
    const row = toTimelineRow(
      event({ type: 'stage_changed', from_stage: 'Proposal', to_stage: 'Negotiation' }),
    );
    expect(row.title).toBe('Stage Proposal → Negotiation');
    expect(row.spokenTitle).toBe('Stage changed from Proposal to Negotiation');
    expect(row.icon).toBe('swap_horiz');
  });

  it('tells a win from a loss, with the reason and the action dropped', () => {
    const won = toTimelineRow(
      event({
        type: 'closed',
        outcome: 'won',
        reason: 'Signed',
        from_stage: 'Negotiation',
        to_stage: 'Closed Won',
        details: 'Send the contract',
      }),
    );
    expect(sentenceOf(won)).toBe('Closed won — Signed');
    expect(won.plan).toBe('Was in Negotiation · next action dropped: Send the contract');
    expect([won.icon, won.tone]).toEqual(['trophy', 'won']);

    const lost = toTimelineRow(event({ type: 'closed', outcome: 'lost', reason: null }));
    expect(sentenceOf(lost)).toBe('Closed lost');
    expect(lost.plan).toBeNull();
    expect([lost.icon, lost.tone]).toEqual(['block', 'lost']);
  });

  it('says in which stage a deal was reopened and with which next action', () => {
    const row = toTimelineRow(
      event({
        type: 'reopened',
        from_stage: 'Closed Lost',
        to_stage: 'Qualification',
        details: 'Call the new buyer',
        next_action_at: '2026-12-01T09:00:00.000Z',
      }),
      now,
    );
    expect(row.title).toBe('Reopened in Qualification');
    expect(row.plan).toBe(`Next action: Call the new buyer · due ${at('2026-12-01T09:00:00.000Z')}`);
    expect(row.icon).toBe('restart_alt');
  });
});
