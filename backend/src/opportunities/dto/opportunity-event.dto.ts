import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EVENT_TYPES, type EventType, type OpportunityEvent } from '../opportunity-event.entity';
import { OUTCOMES, STAGES, statusOf, type Outcome, type Stage } from '../stage';

const iso = (date: Date | null) => date?.toISOString();

/** One timeline entry. Fields beyond the first four appear only for the types named in their description. */
export class OpportunityEventDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  opportunity_id!: string;

  @ApiProperty({ enum: EVENT_TYPES, enumName: 'EventType', example: 'completed' })
  type!: EventType;

  @ApiProperty({ format: 'date-time', example: '2026-11-25T09:12:03.511Z', description: 'When it happened' })
  occurred_at!: string;

  @ApiPropertyOptional({
    example: 'Follow up on proposal feedback',
    description:
      'completed: the action done; created, reopened: the next action planned; closed: the action dropped',
  })
  details?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'completed: when the action was due' })
  due_at?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'completed: when it was done (= occurred_at)' })
  completed_at?: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'completed: what happened' })
  notes?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'rescheduled, closed: why' })
  reason?: string | null;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'rescheduled: the date the action had; closed: the date of the action dropped',
  })
  previous_next_action_at?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'rescheduled: the new date; created, reopened: the date of the next action planned',
  })
  next_action_at?: string;

  @ApiPropertyOptional({ enum: STAGES, enumName: 'Stage', description: 'stage_changed, closed, reopened' })
  from_stage?: Stage;

  @ApiPropertyOptional({
    enum: STAGES,
    enumName: 'Stage',
    description: 'stage_changed, closed, reopened, created',
  })
  to_stage?: Stage;

  @ApiPropertyOptional({ enum: OUTCOMES, enumName: 'Outcome', description: 'closed: won or lost' })
  outcome?: Outcome;

  static from(event: OpportunityEvent): OpportunityEventDto {
    const base = {
      id: event.id,
      opportunity_id: event.opportunityId,
      type: event.type,
      occurred_at: event.occurredAt.toISOString(),
    };
    switch (event.type) {
      case 'completed':
        return {
          ...base,
          details: event.details!,
          due_at: iso(event.dueAt),
          completed_at: iso(event.completedAt),
          notes: event.notes,
        };
      case 'rescheduled':
        return {
          ...base,
          previous_next_action_at: iso(event.previousNextActionAt),
          next_action_at: iso(event.nextActionAt),
          reason: event.reason,
        };
      case 'stage_changed':
        return { ...base, from_stage: event.fromStage!, to_stage: event.toStage! };
      case 'closed':
        return {
          ...base,
          from_stage: event.fromStage!,
          to_stage: event.toStage!,
          outcome: statusOf(event.toStage!) as Outcome,
          reason: event.reason,
          details: event.details ?? undefined,
          previous_next_action_at: iso(event.previousNextActionAt),
        };
      case 'created':
      case 'reopened':
        return {
          ...base,
          from_stage: event.fromStage ?? undefined,
          to_stage: event.toStage!,
          details: event.details!,
          next_action_at: iso(event.nextActionAt),
        };
      default: {
        const unknown: never = event.type;
        throw new Error(`Unknown event type ${String(unknown)}`);
      }
    }
  }
}
