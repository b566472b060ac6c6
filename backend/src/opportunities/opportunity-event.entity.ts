import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Stage } from './stage';

export const EVENT_TYPES = [
  'created',
  'completed',
  'rescheduled',
  'stage_changed',
  'closed',
  'reopened',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * One entry of an opportunity's timeline. Which fields are set depends on the type (CHECK constraints in the
 * pipeline-lifecycle migration); a `completed` entry keeps the fields the history always had.
 */
@Entity({ name: 'opportunity_actions' })
export class OpportunityEvent {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'opportunity_id', type: 'uuid' })
  opportunityId!: string;

  @Column({ type: 'text' })
  type!: EventType;

  @Column({ name: 'occurred_at', type: 'timestamptz', precision: 3 })
  occurredAt!: Date;

  /** completed: the action done; created, reopened: the next action planned; closed: the action dropped. */
  @Column({ type: 'text', nullable: true })
  details!: string | null;

  /** completed: when the action was due. */
  @Column({ name: 'due_at', type: 'timestamptz', precision: 3, nullable: true })
  dueAt!: Date | null;

  /** completed: when it was done. */
  @Column({ name: 'completed_at', type: 'timestamptz', precision: 3, nullable: true })
  completedAt!: Date | null;

  /** completed: what happened. */
  @Column({ type: 'text', nullable: true })
  notes!: string | null;

  /** rescheduled (required), closed (optional): why. */
  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  /** rescheduled: the date it had; closed: the date of the action dropped. */
  @Column({ name: 'previous_next_action_at', type: 'timestamptz', precision: 3, nullable: true })
  previousNextActionAt!: Date | null;

  /** rescheduled: the new date; created, reopened: the date of the next action planned. */
  @Column({ name: 'next_action_at', type: 'timestamptz', precision: 3, nullable: true })
  nextActionAt!: Date | null;

  @Column({ name: 'from_stage', type: 'text', nullable: true })
  fromStage!: Stage | null;

  @Column({ name: 'to_stage', type: 'text', nullable: true })
  toStage!: Stage | null;
}

/** An event with every type-specific field unset, to spread the relevant ones over. */
export function blankEvent(
  base: Pick<OpportunityEvent, 'tenantId' | 'id' | 'opportunityId' | 'type' | 'occurredAt'>,
): OpportunityEvent {
  return {
    ...base,
    details: null,
    dueAt: null,
    completedAt: null,
    notes: null,
    reason: null,
    previousNextActionAt: null,
    nextActionAt: null,
    fromStage: null,
    toStage: null,
  };
}
