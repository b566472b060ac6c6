import { ApiProperty } from '@nestjs/swagger';
import type { OpportunityAction } from '../opportunity-action.entity';

export class OpportunityActionDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  opportunity_id!: string;

  @ApiProperty({ example: 'Follow up on proposal feedback', description: 'The action as it was planned' })
  details!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-24T15:00:00.000Z', description: 'When it was due' })
  due_at!: string;

  @ApiProperty({
    format: 'date-time',
    example: '2026-11-25T09:12:03.511Z',
    description: 'When it was completed',
  })
  completed_at!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Customer asked for a 10% discount' })
  notes!: string | null;

  static from(action: OpportunityAction): OpportunityActionDto {
    return {
      id: action.id,
      opportunity_id: action.opportunityId,
      details: action.details,
      due_at: action.dueAt.toISOString(),
      completed_at: action.completedAt.toISOString(),
      notes: action.notes,
    };
  }
}
