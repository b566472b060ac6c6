import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  ValidateNested,
} from 'class-validator';
import { IsIsoDateTime, IsText } from '../../common/validation/decorators';
import { ErrorDto } from '../../common/errors/error.dto';
import { VersionedDto } from './lifecycle.dto';
import { OpportunityDto } from './opportunity.dto';

export const MAX_BULK_ITEMS = 200;
// ValidateNested takes an array where an object belongs and validates its elements instead: `[[]]` would pass.
const EACH_ITEM_AN_OBJECT = 'each item must be an object';
const SHARED_AN_OBJECT = 'shared must be an object';

class BulkItemDto extends VersionedDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}

export class BulkCompleteItemDto extends BulkItemDto {
  @ApiPropertyOptional({ format: 'date-time', description: "This item's next action; else the shared one" })
  @IsOptional()
  @IsIsoDateTime()
  new_next_action_at?: string;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsText({ min: 1, max: 1000 })
  @IsString()
  new_next_action_details?: string;

  @ApiPropertyOptional({ maxLength: 5000 })
  @IsOptional()
  @IsText({ min: 0, max: 5000, blankAsMissing: true })
  @IsString()
  notes?: string;
}

export class SharedNextActionDto {
  @ApiProperty({ format: 'date-time', example: '2026-12-01T09:00:00Z' })
  @IsIsoDateTime()
  new_next_action_at!: string;

  @ApiProperty({ example: 'Send the renewal quote', maxLength: 1000 })
  @IsText({ min: 1, max: 1000 })
  @IsString()
  new_next_action_details!: string;

  @ApiPropertyOptional({ maxLength: 5000 })
  @IsOptional()
  @IsText({ min: 0, max: 5000, blankAsMissing: true })
  @IsString()
  notes?: string;
}

export class BulkCompleteDto {
  @ApiProperty({ type: [BulkCompleteItemDto], minItems: 1, maxItems: MAX_BULK_ITEMS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK_ITEMS)
  @IsObject({ each: true, message: EACH_ITEM_AN_OBJECT })
  @ValidateNested({ each: true })
  @Type(() => BulkCompleteItemDto)
  items!: BulkCompleteItemDto[];

  @ApiPropertyOptional({
    type: SharedNextActionDto,
    description: 'The next action of every item without its own',
  })
  @IsOptional()
  @IsObject({ message: SHARED_AN_OBJECT })
  @ValidateNested()
  @Type(() => SharedNextActionDto)
  shared?: SharedNextActionDto;
}

export class BulkRescheduleItemDto extends BulkItemDto {
  @ApiPropertyOptional({ format: 'date-time', description: "This item's new date; else the shared one" })
  @IsOptional()
  @IsIsoDateTime()
  new_next_action_at?: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsText({ min: 1, max: 500 })
  @IsString()
  reason?: string;
}

export class SharedRescheduleDto {
  @ApiProperty({ format: 'date-time', example: '2026-12-03T09:00:00Z' })
  @IsIsoDateTime()
  new_next_action_at!: string;

  @ApiProperty({ example: 'Quarter-end freeze at the customer', maxLength: 500 })
  @IsText({ min: 1, max: 500 })
  @IsString()
  reason!: string;
}

export class BulkRescheduleDto {
  @ApiProperty({ type: [BulkRescheduleItemDto], minItems: 1, maxItems: MAX_BULK_ITEMS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK_ITEMS)
  @IsObject({ each: true, message: EACH_ITEM_AN_OBJECT })
  @ValidateNested({ each: true })
  @Type(() => BulkRescheduleItemDto)
  items!: BulkRescheduleItemDto[];

  @ApiPropertyOptional({
    type: SharedRescheduleDto,
    description: 'The new date and reason of every item without its own',
  })
  @IsOptional()
  @IsObject({ message: SHARED_AN_OBJECT })
  @ValidateNested()
  @Type(() => SharedRescheduleDto)
  shared?: SharedRescheduleDto;
}

export class BulkItemResultDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 200, description: 'The HTTP status this item alone would have had' })
  status!: number;

  @ApiPropertyOptional({ type: OpportunityDto, description: 'The opportunity after the change, on success' })
  opportunity?: OpportunityDto;

  @ApiPropertyOptional({ type: ErrorDto, description: 'Why this item failed; nothing of it was changed' })
  error?: ErrorDto;
}

export class BulkResultDto {
  @ApiProperty({ example: 3 })
  succeeded!: number;

  @ApiProperty({ example: 1 })
  failed!: number;

  @ApiProperty({ type: [BulkItemResultDto], description: 'One entry per item, in the order sent' })
  results!: BulkItemResultDto[];
}
