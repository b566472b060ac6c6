import type { EventType, OpportunityEventDto } from '../api/models';

/** The marker colour of an entry, one of the theme's container roles. */
export type TimelineTone = 'neutral' | 'primary' | 'secondary' | 'tertiary' | 'won' | 'lost';

export interface CompletedFacts {
  details: string;
  dueIso: string;
  due: string;
  completedIso: string;
  completed: string;
  late: boolean;
}

/** One history event as the timeline shows it. */
export interface TimelineRow {
  id: string;
  type: EventType;
  icon: string;
  tone: TimelineTone;
  /** The sentence of the entry; for a completed action, what was done. */
  title: string;
  /** Why, when the rep said (rescheduled, closed): "— Customer travelling" ends the sentence. */
  reason: string | null;
  /** The sentence as a screen reader should say it, when the title uses a symbol (→); otherwise null. */
  spokenTitle: string | null;
  /** A second line: the next action planned, or the one dropped. */
  plan: string | null;
  /** Free text the rep wrote when completing. */
  notes: string | null;
  occurredIso: string;
  occurred: string;
  /** Only for completed actions: when it was due and when it was done. */
  completed: CompletedFacts | null;
}

/** History can reach back years, so its stamps carry the year: "Nov 24, 2026, 10:00 AM". */
const stamp = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const inSentence = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: 'numeric',
  minute: '2-digit',
});
const inSentenceWithYear = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
});

export function formatStamp(at: Date): string {
  return stamp.format(at);
}

/** "Tue, Dec 2, 10:00 AM" within the year of `now`, with the year otherwise. */
export function formatInSentence(at: Date, now: Date): string {
  return (at.getFullYear() === now.getFullYear() ? inSentence : inSentenceWithYear).format(at);
}

/** The whole sentence of a row: "Closed won — Signed". */
export function sentenceOf(row: Pick<TimelineRow, 'title' | 'reason'>): string {
  return row.reason ? `${row.title} — ${row.reason}` : row.title;
}

/** The sentence, icon and facts of one event of a deal's timeline. */
export function toTimelineRow(event: OpportunityEventDto, now = new Date()): TimelineRow {
  const occurredAt = new Date(event.occurred_at);
  const when = (iso: string | undefined) => (iso ? formatInSentence(new Date(iso), now) : null);
  const planned = (label: string) => {
    if (!event.details) return null;
    const due = when(event.next_action_at);
    return due ? `${label}: ${event.details} · due ${due}` : `${label}: ${event.details}`;
  };
  const row: TimelineRow = {
    id: event.id,
    type: event.type,
    icon: 'history',
    tone: 'neutral',
    title: '',
    reason: event.reason?.trim() || null,
    spokenTitle: null,
    plan: null,
    notes: null,
    occurredIso: occurredAt.toISOString(),
    occurred: formatStamp(occurredAt),
    completed: null,
  };

  switch (event.type) {
    case 'created':
      return {
        ...row,
        icon: 'flag',
        title: event.to_stage ? `Created in ${event.to_stage}` : 'Created',
        plan: planned('First next action'),
      };
    case 'completed': {
      const due = new Date(event.due_at ?? event.occurred_at);
      const completed = new Date(event.completed_at ?? event.occurred_at);
      const details = event.details ?? 'Action';
      return {
        ...row,
        icon: 'task_alt',
        tone: 'primary',
        title: details,
        notes: event.notes?.trim() || null,
        completed: {
          details,
          dueIso: due.toISOString(),
          due: formatStamp(due),
          completedIso: completed.toISOString(),
          completed: formatStamp(completed),
          late: completed > due,
        },
      };
    }
    case 'rescheduled': {
      const from = when(event.previous_next_action_at);
      const to = when(event.next_action_at);
      const moved = [from && `from ${from}`, to && `to ${to}`].filter(Boolean).join(' ');
      return {
        ...row,
        icon: 'event_repeat',
        tone: 'tertiary',
        title: moved ? `Rescheduled ${moved}` : 'Rescheduled',
      };
    }
    case 'stage_changed': {
      const { from_stage: from, to_stage: to } = event;
      return {
        ...row,
        icon: 'swap_horiz',
        tone: 'secondary',
        title: from && to ? `Stage ${from} → ${to}` : to ? `Stage → ${to}` : 'Stage changed',
        spokenTitle:
          from && to ? `Stage changed from ${from} to ${to}` : to ? `Stage changed to ${to}` : null,
      };
    }
    case 'closed': {
      const won = event.outcome === 'won';
      const dropped = event.details ? `next action dropped: ${event.details}` : null;
      const plan = [event.from_stage && `Was in ${event.from_stage}`, dropped].filter(Boolean).join(' · ');
      return {
        ...row,
        icon: won ? 'trophy' : 'block',
        tone: won ? 'won' : 'lost',
        title: event.outcome ? `Closed ${event.outcome}` : 'Closed',
        plan: plan ? plan.charAt(0).toUpperCase() + plan.slice(1) : null,
      };
    }
    case 'reopened':
      return {
        ...row,
        icon: 'restart_alt',
        tone: 'secondary',
        title: event.to_stage ? `Reopened in ${event.to_stage}` : 'Reopened',
        plan: planned('Next action'),
      };
  }
}
