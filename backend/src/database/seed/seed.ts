import type { DataSource, EntityManager } from 'typeorm';
import { DEMO_TENANTS, type DemoDue, type DemoOpportunity, type DemoTenant } from './demo-data';

/** SQL for a due instant: local hours and days in the tenant's zone ($1), relative to now(). */
function dueExpression(due: DemoDue): { sql: string; params: number[] } {
  const localToday = `date_trunc('day', now() AT TIME ZONE $1)`;
  if (due === 'earlier-today')
    return { sql: `now() - (now() - (${localToday} AT TIME ZONE $1)) / 2`, params: [] };
  if (due === 'later-today') {
    return { sql: `now() + ((${localToday} + interval '1 day') AT TIME ZONE $1 - now()) / 2`, params: [] };
  }
  return {
    sql: `(${localToday} + make_interval(days => $7::int, hours => $8::int)) AT TIME ZONE $1`,
    params: [due.days, due.hour],
  };
}

async function seedOpportunity(
  manager: EntityManager,
  tenant: DemoTenant,
  demo: DemoOpportunity,
): Promise<number> {
  const due = dueExpression(demo.due);
  const inserted: { id: string }[] = await manager.query(
    `INSERT INTO opportunities (tenant_id, name, value, stage, next_action_at, next_action_details)
     SELECT $2, $3, $4, $5, date_trunc('milliseconds', ${due.sql}), $6
     WHERE NOT EXISTS (SELECT 1 FROM opportunities WHERE tenant_id = $2 AND name = $3)
     RETURNING id`,
    [tenant.timezone, tenant.id, demo.name, demo.value, demo.stage, demo.details, ...due.params],
  );
  if (inserted.length === 0) return 0;
  for (const [index, entry] of (demo.history ?? []).entries()) {
    await manager.query(
      `INSERT INTO opportunity_actions (tenant_id, opportunity_id, details, due_at, completed_at, notes)
       VALUES ($1, $2, $3,
               date_trunc('milliseconds', now() - make_interval(days => $4::int, hours => 2)),
               date_trunc('milliseconds', now() - make_interval(days => $4::int) + make_interval(mins => $6::int)),
               $5)`,
      [tenant.id, inserted[0].id, entry.details, entry.daysAgo, entry.notes ?? null, index],
    );
  }
  if (demo.history?.length) {
    await manager.query(`UPDATE opportunities SET version = $3 WHERE tenant_id = $1 AND id = $2`, [
      tenant.id,
      inserted[0].id,
      demo.history.length + 1,
    ]);
  }
  return 1;
}

/**
 * Creates the demo tenants and their opportunities, with due dates relative to now. Idempotent: a tenant
 * or an opportunity (by name) that exists already is left as it is.
 */
export async function seedDemoData(
  dataSource: DataSource,
): Promise<{ tenants: number; opportunities: number }> {
  return dataSource.transaction(async (manager) => {
    let opportunities = 0;
    for (const tenant of DEMO_TENANTS) {
      await manager.query(
        `INSERT INTO tenants (id, name, timezone, currency) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING`,
        [tenant.id, tenant.name, tenant.timezone, tenant.currency],
      );
      for (const demo of tenant.opportunities) opportunities += await seedOpportunity(manager, tenant, demo);
    }
    return { tenants: DEMO_TENANTS.length, opportunities };
  });
}

export async function isEmpty(dataSource: DataSource): Promise<boolean> {
  const [row] = await dataSource.query<{ count: string }[]>(`SELECT count(*) FROM tenants`);
  return Number(row.count) === 0;
}
