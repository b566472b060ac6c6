import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export const SCOPES = ['mine', 'team'] as const;
export type Scope = (typeof SCOPES)[number];

/** Whose opportunities a list covers: the caller's own, or (managers and admins) the whole tenant's. */
export class ScopeQueryDto {
  @ApiPropertyOptional({
    enum: SCOPES,
    enumName: 'Scope',
    default: 'mine',
    description:
      '`mine`: opportunities the caller owns. `team`: every opportunity of the tenant, unassigned ones included ' +
      '(managers and admins; a rep gets 403 FORBIDDEN).',
  })
  @IsOptional()
  @IsIn(SCOPES, { message: `scope must be one of: ${SCOPES.join(', ')}` })
  scope: Scope = 'mine';
}
