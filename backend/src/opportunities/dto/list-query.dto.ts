import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsNumber, IsOptional, IsString, Max, Min } from 'class-validator';
import { PageQueryDto } from '../../common/paging/page-query.dto';
import { IsText, QueryNumber } from '../../common/validation/decorators';
import { STAGES, type Stage } from '../stage';
import { MAX_VALUE } from './create-opportunity.dto';
import { ScopeQueryDto } from './scope-query.dto';

export const LIST_STATUSES = ['open', 'won', 'lost', 'closed', 'all'] as const;
export type ListStatus = (typeof LIST_STATUSES)[number];

/** A column to sort by, ascending, or descending with a leading `-`; ties are broken by id in the same direction. */
export const LIST_SORTS = [
  'next_action_at',
  '-next_action_at',
  'name',
  '-name',
  'value',
  '-value',
  'updated_at',
  '-updated_at',
] as const;
export type ListSort = (typeof LIST_SORTS)[number];

export class ListFiltersDto extends ScopeQueryDto {
  @ApiPropertyOptional({ enum: LIST_STATUSES, enumName: 'ListStatus', default: 'open' })
  @IsOptional()
  @IsIn(LIST_STATUSES, { message: `status must be one of: ${LIST_STATUSES.join(', ')}` })
  status: ListStatus = 'open';

  @ApiPropertyOptional({ enum: STAGES, enumName: 'Stage' })
  @IsOptional()
  @IsIn(STAGES, { message: `stage must be one of: ${STAGES.join(', ')}` })
  stage?: Stage;

  @ApiPropertyOptional({
    description: 'Case-insensitive text to find in the name or the next action details',
    maxLength: 200,
    example: 'acme',
  })
  @IsOptional()
  @IsText({ min: 0, max: 200, blankAsMissing: true })
  @IsString()
  q?: string;

  @ApiPropertyOptional({ minimum: 0, example: 10000 })
  @IsOptional()
  @QueryNumber({ blankAsMissing: true })
  @Max(MAX_VALUE)
  @Min(0)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  min_value?: number;

  @ApiPropertyOptional({ minimum: 0, example: 100000 })
  @IsOptional()
  @QueryNumber({ blankAsMissing: true })
  @Max(MAX_VALUE)
  @Min(0)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  max_value?: number;
}

export class ListQueryDto extends IntersectionType(ListFiltersDto, PageQueryDto) {
  @ApiPropertyOptional({
    enum: LIST_SORTS,
    enumName: 'ListSort',
    default: 'next_action_at',
    description:
      'Column to sort by; a leading "-" sorts descending. Closed deals (no next action) come last.',
  })
  @IsOptional()
  @IsIn(LIST_SORTS, { message: `sort must be one of: ${LIST_SORTS.join(', ')}` })
  sort: ListSort = 'next_action_at';
}
