import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { PageQueryDto } from '../../common/paging/page-query.dto';
import { IsIsoDateTime } from '../../common/validation/decorators';
import { ScopeQueryDto } from './scope-query.dto';

export class DueWindowQueryDto extends ScopeQueryDto {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Inclusive lower bound of next_action_at (e.g. the end of today, for an "upcoming" view)',
    example: '2026-11-27T05:00:00Z',
  })
  @IsOptional()
  @IsIsoDateTime()
  from?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description:
      "Exclusive upper bound of next_action_at; defaults to the end of today in the tenant's time zone",
    example: '2026-12-04T05:00:00Z',
  })
  @IsOptional()
  @IsIsoDateTime()
  until?: string;
}

export class DueQueryDto extends IntersectionType(DueWindowQueryDto, PageQueryDto) {}
