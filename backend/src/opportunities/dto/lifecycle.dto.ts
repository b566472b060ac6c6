import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, Min } from 'class-validator';
import { IsIsoDateTime, IsMoneyAmount, IsOmittable, IsText } from '../../common/validation/decorators';
import { MAX_VALUE } from './create-opportunity.dto';
import { OPEN_STAGES, OUTCOMES, type OpenStage, type Outcome } from '../stage';

const EXPECTED_VERSION_DESCRIPTION =
  'The version you last saw; when the opportunity has changed since, the answer is 409 and nothing changes';

/** Optimistic concurrency for every change: the client says which version it saw. */
export class VersionedDto {
  @ApiPropertyOptional({ type: 'integer', example: 3, minimum: 1, description: EXPECTED_VERSION_DESCRIPTION })
  @IsOptional()
  @Min(1)
  @IsInt()
  expected_version?: number;
}

export class UpdateOpportunityDto extends VersionedDto {
  @ApiPropertyOptional({ example: 'Acme Corp Deal (3 sites)', minLength: 1, maxLength: 200 })
  @IsOmittable()
  @IsText({ min: 1, max: 200 })
  @IsString()
  name?: string;

  @ApiPropertyOptional({
    example: 65000,
    minimum: 0,
    maximum: MAX_VALUE,
    description: 'At most two decimals',
  })
  @IsOmittable()
  @Max(MAX_VALUE)
  @Min(0)
  @IsMoneyAmount()
  value?: number;

  @ApiPropertyOptional({
    enum: OPEN_STAGES,
    enumName: 'OpenStage',
    example: 'Negotiation',
    description: 'An open stage; closing goes through /close',
  })
  @IsOmittable()
  @IsIn(OPEN_STAGES, {
    message: `stage must be one of: ${OPEN_STAGES.join(', ')} (close a deal with /close)`,
  })
  stage?: OpenStage;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Reassigns the deal to another member of the tenant (managers and admins only)',
  })
  @IsOmittable()
  @IsUUID('all', { message: 'owner_id must be a UUID' })
  owner_id?: string;
}

export class RescheduleDto extends VersionedDto {
  @ApiProperty({ format: 'date-time', example: '2026-12-03T10:00:00Z', description: 'Must be in the future' })
  @IsIsoDateTime()
  new_next_action_at!: string;

  @ApiProperty({ example: 'Customer is travelling until Wednesday', minLength: 1, maxLength: 500 })
  @IsText({ min: 1, max: 500 })
  @IsString()
  reason!: string;
}

export class CloseOpportunityDto extends VersionedDto {
  @ApiProperty({ enum: OUTCOMES, enumName: 'Outcome', example: 'won' })
  @IsIn(OUTCOMES, { message: 'outcome must be won or lost' })
  outcome!: Outcome;

  @ApiPropertyOptional({ example: 'Signed the three-year plan', maxLength: 500 })
  @IsOptional()
  @IsText({ min: 0, max: 500, blankAsMissing: true })
  @IsString()
  reason?: string;
}

export class ReopenOpportunityDto extends VersionedDto {
  @ApiProperty({ enum: OPEN_STAGES, enumName: 'OpenStage', example: 'Qualification' })
  @IsIn(OPEN_STAGES, { message: `stage must be one of: ${OPEN_STAGES.join(', ')}` })
  stage!: OpenStage;

  @ApiProperty({ format: 'date-time', example: '2026-12-01T09:00:00Z', description: 'Must be in the future' })
  @IsIsoDateTime()
  next_action_at!: string;

  @ApiProperty({ example: 'Call the new buyer', minLength: 1, maxLength: 1000 })
  @IsText({ min: 1, max: 1000 })
  @IsString()
  next_action_details!: string;
}
