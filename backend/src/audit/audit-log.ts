import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { CLS_REQ, ClsService } from 'nestjs-cls';
import { dateValue, decodeCursor } from '../common/paging/cursor';
import { mapPage, toPage, type Page } from '../common/paging/page';
import type { PageQueryDto } from '../common/paging/page-query.dto';
import { ScopedDatabase } from '../tenancy/scoped-database';
import { TenantContext } from '../tenancy/tenant-context';
import { AuditEventDto, type AuditEventRow } from './dto/audit-event.dto';

export type AuditAction =
  | 'user.signed_in'
  | 'tenant.created'
  | 'membership.added'
  | 'membership.invitation_accepted'
  | 'membership.role_changed'
  | 'membership.removed'
  | 'opportunity.action_completed'
  | 'opportunity.reassigned';

const ORDERING = 'audit';

/**
 * Who did what, where, when, and in which request: written in the same transaction as the change it
 * describes, so the log never claims a change that rolled back.
 */
@Injectable()
export class AuditLog {
  constructor(
    private readonly database: ScopedDatabase,
    private readonly tenantContext: TenantContext,
    private readonly cls: ClsService,
  ) {}

  /** In the current tenant, by the signed-in member. */
  record(action: AuditAction, targetType: string, targetId: string, details?: object): Promise<void> {
    const { tenant, userId } = this.tenantContext.member;
    return this.recordIn(tenant.id, userId, action, targetType, targetId, details);
  }

  /** In a named tenant; the transaction must be scoped to it (row-level security checks the insert). */
  async recordIn(
    tenantId: string,
    actorId: string | null,
    action: AuditAction,
    targetType: string,
    targetId: string,
    details?: object,
  ): Promise<void> {
    await this.database.rows(
      `INSERT INTO audit_events (tenant_id, actor_id, action, target_type, target_id, details, request_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [tenantId, actorId, action, targetType, targetId, details ?? null, this.requestId()],
    );
  }

  /** Newest first, keyset-paged on (at, id). */
  async list(query: PageQueryDto): Promise<Page<AuditEventDto>> {
    const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor, ORDERING);
    const before = cursor && { at: dateValue(cursor) as Date, id: cursor.id };
    const rows: AuditEventRow[] = await this.database.rows(
      `SELECT a.id, a.at, a.action, a.actor_id, u.name AS actor_name, a.target_type, a.target_id, a.details,
              a.request_id
         FROM audit_events a LEFT JOIN users u ON u.id = a.actor_id
        WHERE a.tenant_id = $1 AND ($2::timestamptz IS NULL OR (a.at, a.id) < ($2, $3::uuid))
        ORDER BY a.at DESC, a.id DESC
        LIMIT $4`,
      [this.tenantContext.current.id, before?.at ?? null, before?.id ?? null, query.limit + 1],
    );
    const page = toPage(rows, query.limit, ORDERING, (row) => ({
      value: new Date(row.at).toISOString(),
      id: row.id,
    }));
    return mapPage(page, (row) => AuditEventDto.from(row));
  }

  private requestId(): string | null {
    if (!this.cls.isActive()) return null;
    const request = this.cls.get<Request & { id?: unknown }>(CLS_REQ);
    return typeof request?.id === 'string' ? request.id : null;
  }
}
