import { Injectable } from '@nestjs/common';
import { Tenant } from '../tenants/tenant.entity';
import type { Role } from './role';
import { ScopedDatabase } from './scoped-database';
import type { TenantMember } from './tenant-context';

interface MemberRow {
  role: Role;
  id: string;
  name: string;
  timezone: string;
  currency: string;
  created_at: Date;
}

/** The caller's membership in a tenant, read under row-level security inside the request's transaction. */
@Injectable()
export class Memberships {
  constructor(private readonly database: ScopedDatabase) {}

  async find(tenantId: string, userId: string): Promise<TenantMember | undefined> {
    const rows: MemberRow[] = await this.database.rows(
      `SELECT m.role, t.id, t.name, t.timezone, t.currency, t.created_at
         FROM memberships m JOIN tenants t ON t.id = m.tenant_id
        WHERE m.tenant_id = $1 AND m.user_id = $2`,
      [tenantId, userId],
    );
    const row = rows[0];
    if (!row) return undefined;
    const tenant = Object.assign(new Tenant(), {
      id: row.id,
      name: row.name,
      timezone: row.timezone,
      currency: row.currency,
      createdAt: row.created_at,
    });
    return { tenant, userId, role: row.role };
  }
}
