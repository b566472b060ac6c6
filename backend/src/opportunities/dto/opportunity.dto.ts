import { ApiProperty } from '@nestjs/swagger';
import type { Opportunity } from '../opportunity.entity';
import { isoFromPg } from '../../common/database/pg-timestamp';
import type { OpportunityRow } from '../opportunities.repository';
import { STAGES, STATUSES, statusOf, type Stage, type Status } from '../stage';

export class OpportunityDto {
  @ApiProperty({ format: 'uuid', example: '123e4567-e89b-12d3-a456-426614174000' })
  id!: string;

  @ApiProperty({ example: 'Acme Corp Deal' })
  name!: string;

  @ApiProperty({ example: 50000, minimum: 0, description: "In the tenant's currency" })
  value!: number;

  @ApiProperty({ enum: STAGES, enumName: 'Stage', example: 'Proposal' })
  stage!: Stage;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    example: '6f1c2a9e-3b7d-4c55-9a0e-2d8b1f4e7a10',
    description: 'The member who owns the deal; null while unassigned (its owner left the team)',
  })
  owner_id!: string | null;

  @ApiProperty({
    enum: STATUSES,
    enumName: 'OpportunityStatus',
    example: 'open',
    description: 'Derived from stage',
  })
  status!: Status;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    example: '2026-11-25T15:00:00.000Z',
    description: 'UTC; null only once the opportunity is closed',
  })
  next_action_at!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Follow up on proposal feedback' })
  next_action_details!: string | null;

  @ApiProperty({
    example: true,
    description: 'next_action_at is in the past (never for a closed opportunity)',
  })
  is_overdue!: boolean;

  @ApiProperty({ example: 0, description: 'How often the current next action was pushed without being done' })
  reschedule_count!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  closed_at!: string | null;

  @ApiProperty({ example: 3, description: 'Incremented by every change; send it back as expected_version' })
  version!: number;

  @ApiProperty({ format: 'date-time', example: '2026-11-01T09:30:00.000Z' })
  created_at!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-20T16:12:45.120Z' })
  updated_at!: string;

  /** From an entity, as every endpoint but the due page reads one. */
  static from(opportunity: Opportunity, now: Date): OpportunityDto {
    return OpportunityDto.of(opportunity, opportunity.value, toIso, now.toISOString());
  }

  /** From a row of the due page's plain SQL: the timestamps already text, turned into ISO 8601 without a Date. */
  static fromRow(row: OpportunityRow, nowIso: string): OpportunityDto {
    return OpportunityDto.of(row, Number(row.value), isoFromPg, nowIso);
  }

  private static of<T>(
    opportunity: OpportunityFields & Timestamps<T>,
    value: number,
    iso: (time: T) => string,
    nowIso: string,
  ): OpportunityDto {
    const nextActionAt = opportunity.nextActionAt === null ? null : iso(opportunity.nextActionAt);
    return {
      id: opportunity.id,
      name: opportunity.name,
      value,
      stage: opportunity.stage,
      owner_id: opportunity.ownerId,
      status: statusOf(opportunity.stage),
      next_action_at: nextActionAt,
      next_action_details: opportunity.nextActionDetails,
      // ISO 8601 UTC strings of one length compare like the instants they name.
      is_overdue: nextActionAt !== null && nextActionAt < nowIso,
      reschedule_count: opportunity.rescheduleCount,
      closed_at: opportunity.closedAt === null ? null : iso(opportunity.closedAt),
      version: opportunity.version,
      created_at: iso(opportunity.createdAt),
      updated_at: iso(opportunity.updatedAt),
    };
  }
}

type OpportunityFields = Pick<
  Opportunity,
  'id' | 'name' | 'stage' | 'ownerId' | 'nextActionDetails' | 'rescheduleCount' | 'version'
>;

/** An opportunity's timestamps, as Dates (entities) or as PostgreSQL's text (the due page's rows). */
interface Timestamps<T> {
  nextActionAt: T | null;
  closedAt: T | null;
  createdAt: T;
  updatedAt: T;
}

const toIso = (time: Date): string => time.toISOString();
