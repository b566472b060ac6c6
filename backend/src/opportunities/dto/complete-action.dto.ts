import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { IsIsoDateTime, IsText } from '../../common/validation/decorators';
import { VersionedDto } from './lifecycle.dto';
import { OpportunityDto } from './opportunity.dto';

export class CompleteActionDto extends VersionedDto {
  @ApiProperty({ format: 'date-time', example: '2026-12-01T14:00:00Z', description: 'Must be in the future' })
  @IsIsoDateTime()
  new_next_action_at!: string;

  @ApiProperty({ example: 'Send revised contract with updated terms', minLength: 1, maxLength: 1000 })
  @IsText({ min: 1, max: 1000 })
  @IsString()
  new_next_action_details!: string;

  @ApiPropertyOptional({
    example: 'Customer asked for a 10% discount',
    maxLength: 5000,
    description: 'What happened',
  })
  @IsOptional()
  @IsText({ min: 0, max: 5000, blankAsMissing: true })
  @IsString()
  notes?: string;
}

export class CompleteActionResponseDto {
  @ApiProperty({ example: 'Action completed successfully' })
  message!: string;

  @ApiProperty({ format: 'uuid', example: '123e4567-e89b-12d3-a456-426614174000' })
  opportunity_id!: string;

  @ApiProperty({ type: OpportunityDto, description: 'The opportunity with its new next action' })
  opportunity!: OpportunityDto;
}
