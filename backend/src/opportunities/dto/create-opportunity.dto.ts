import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, Max, Min } from 'class-validator';
import { IsIsoDateTime, IsMoneyAmount, IsOmittable, IsText } from '../../common/validation/decorators';
import { OPEN_STAGES, type OpenStage } from '../stage';

/** numeric(14,2): the largest value the column holds. */
export const MAX_VALUE = 999_999_999_999.99;

export class CreateOpportunityDto {
  @ApiProperty({ example: 'Acme Corp Deal', minLength: 1, maxLength: 200 })
  @IsText({ min: 1, max: 200 })
  @IsString()
  name!: string;

  @ApiProperty({ example: 50000, minimum: 0, maximum: MAX_VALUE, description: 'At most two decimals' })
  @Max(MAX_VALUE)
  @Min(0)
  @IsMoneyAmount()
  value!: number;

  @ApiProperty({ enum: OPEN_STAGES, enumName: 'OpenStage', example: 'Prospecting' })
  @IsIn(OPEN_STAGES, { message: `stage must be one of: ${OPEN_STAGES.join(', ')}` })
  stage!: OpenStage;

  @ApiProperty({
    format: 'date-time',
    example: '2026-11-27T14:00:00Z',
    description: 'When the first next action is due. A past date is accepted (imports bring overdue work).',
  })
  @IsIsoDateTime()
  next_action_at!: string;

  @ApiProperty({ example: 'Intro call with the buyer', minLength: 1, maxLength: 1000 })
  @IsText({ min: 1, max: 1000 })
  @IsString()
  next_action_details!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The member who owns the deal; defaults to the caller. A rep can only name themselves.',
  })
  @IsOmittable()
  @IsUUID('all', { message: 'owner_id must be a UUID' })
  owner_id?: string;
}
