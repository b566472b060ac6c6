import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { QueryNumber } from '../validation/decorators';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 500;

export class PageQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
    default: DEFAULT_PAGE_SIZE,
    description: 'Page size',
  })
  @IsOptional()
  @QueryNumber()
  @Max(MAX_PAGE_SIZE)
  @Min(1)
  @IsInt()
  limit: number = DEFAULT_PAGE_SIZE;

  @ApiPropertyOptional({
    description: 'Opaque position of the next page, taken from the `Link: <…>; rel="next"` response header',
    maxLength: 512,
    example: 'eyJhdCI6IjIwMjYtMTEtMjVUMTQ6MDA6MDAuMDAwWiIsImlkIjoiLi4uIn0',
  })
  @IsOptional()
  @MaxLength(512)
  @IsString()
  cursor?: string;
}
