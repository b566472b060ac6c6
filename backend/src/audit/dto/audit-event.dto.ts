import { ApiProperty } from '@nestjs/swagger';

export interface AuditEventRow {
  id: string;
  at: Date;
  action: string;
  actor_id: string | null;
  actor_name: string | null;
  target_type: string;
  target_id: string;
  details: Record<string, unknown> | null;
  request_id: string | null;
}

export class AuditEventDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({
    example: 'membership.role_changed',
    description:
      'user.signed_in, membership.added, membership.role_changed, membership.removed, ' +
      'opportunity.action_completed or opportunity.reassigned',
  })
  action!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null once the user is deleted' })
  actor_id!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Dana Admin' })
  actor_name!: string | null;

  @ApiProperty({ example: 'user' })
  target_type!: string;

  @ApiProperty({ example: '6f1c2a9e-3b7d-4c55-9a0e-2d8b1f4e7a10' })
  target_id!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: { from: 'rep', to: 'manager' },
  })
  details!: Record<string, unknown> | null;

  @ApiProperty({ type: String, nullable: true, description: 'The X-Request-ID of the request that did it' })
  request_id!: string | null;

  static from(row: AuditEventRow): AuditEventDto {
    return {
      id: row.id,
      at: new Date(row.at).toISOString(),
      action: row.action,
      actor_id: row.actor_id,
      actor_name: row.actor_name,
      target_type: row.target_type,
      target_id: row.target_id,
      details: row.details,
      request_id: row.request_id,
    };
  }
}
