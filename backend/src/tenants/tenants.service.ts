import { Injectable } from '@nestjs/common';
import { ScopedDatabase } from '../tenancy/scoped-database';
import type { TenantDto } from './dto/tenant.dto';

/** The signed-in user's tenants, as row-level security lets them see their own memberships. */
@Injectable()
export class TenantsService {
  constructor(private readonly database: ScopedDatabase) {}

  async listOf(userId: string): Promise<TenantDto[]> {
    const rows = await this.database.rows<TenantDto & { currency: string }>(
      `SELECT t.id, t.name, t.timezone, t.currency, m.role
         FROM memberships m JOIN tenants t ON t.id = m.tenant_id
        WHERE m.user_id = $1
        ORDER BY lower(t.name), t.id`,
      [userId],
    );
    return rows.map((row) => ({ ...row, currency: row.currency.trim() }));
  }
}
