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

  /** From a row of the due page's plain SQL: the timestamps already text, turned into ISO 8601 without a Date. */
  static fromRow(row: OpportunityRow, nowIso: string): OpportunityDto {
    const nextActionAt = row.nextActionAt === null ? null : isoFromPg(row.nextActionAt);
    return {
      id: row.id,
      name: row.name,
      value: Number(row.value),
      stage: row.stage,
      owner_id: row.ownerId,
      status: statusOf(row.stage),
      next_action_at: nextActionAt,
      next_action_details: row.nextActionDetails,
      // ISO 8601 UTC strings of one length compare like the instants they name.
      is_overdue: nextActionAt !== null && nextActionAt < nowIso,
      reschedule_count: row.rescheduleCount,
      closed_at: row.closedAt === null ? null : isoFromPg(row.closedAt),
      version: row.version,
      created_at: isoFromPg(row.createdAt),
      updated_at: isoFromPg(row.updatedAt),
    };
  }

  static from(opportunity: Opportunity, now: Date): OpportunityDto {
    return {
      id: opportunity.id,
      name: opportunity.name,
      value: opportunity.value,
      stage: opportunity.stage,
      owner_id: opportunity.ownerId,
      status: statusOf(opportunity.stage),
      next_action_at: opportunity.nextActionAt?.toISOString() ?? null,
      next_action_details: opportunity.nextActionDetails,
      is_overdue: opportunity.nextActionAt !== null && opportunity.nextActionAt.getTime() < now.getTime(),
      reschedule_count: opportunity.rescheduleCount,
      closed_at: opportunity.closedAt?.toISOString() ?? null,
      version: opportunity.version,
      created_at: opportunity.createdAt.toISOString(),
      updated_at: opportunity.updatedAt.toISOString(),
    };
  }
}
