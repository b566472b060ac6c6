import { Tenant } from '../tenants/tenant.entity';
import type { Role } from './role';
import type { MembershipRow } from './scoped-database';
import type { TenantMember } from './tenant-context';

/** The caller as a member of the tenant, from the row ScopedDatabase.runAsMember() read. */
export function tenantMemberOf(row: MembershipRow, userId: string): TenantMember {
  const tenant = Object.assign(new Tenant(), {
    id: row.id,
    name: row.name,
    timezone: row.timezone,
    currency: row.currency,
    createdAt: new Date(row.created_at),
  });
  return { tenant, userId, role: row.role as Role };
}
