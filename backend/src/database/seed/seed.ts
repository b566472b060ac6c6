import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { hashPassword } from '../../auth/passwords';
import { blankEvent, OpportunityEvent } from '../../opportunities/opportunity-event.entity';
import { Opportunity } from '../../opportunities/opportunity.entity';
import { CLOSED_STAGE_OF } from '../../opportunities/stage';
import {
  DEMO_PASSWORD,
  DEMO_TENANTS,
  DEMO_USERS,
  type DemoDue,
  type DemoOpportunity,
  type DemoTenant,
} from './demo-data';

const DAY = 24 * 3600 * 1000;

/** A due instant in the tenant's zone ($1), relative to now: local days and hours by PostgreSQL's zone rules. */
async function dueInstant(manager: EntityManager, timezone: string, due: DemoDue): Promise<Date> {
  const localToday = `date_trunc('day', now() AT TIME ZONE $1)`;
  const [sql, params] =
    due === 'earlier-today'
      ? [`now() - (now() - (${localToday} AT TIME ZONE $1)) / 2`, []]
      : due === 'later-today'
        ? [`now() + ((${localToday} + interval '1 day') AT TIME ZONE $1 - now()) / 2`, []]
        : [
            `(${localToday} + make_interval(days => $2::int, hours => $3::int)) AT TIME ZONE $1`,
            [due.days, due.hour],
          ];
  const [row] = await manager.query<{ at: Date }[]>(`SELECT date_trunc('milliseconds', ${sql}) AS at`, [
    timezone,
    ...params,
  ]);
  return row.at;
}

/** The opportunity and its timeline as they would be had a rep worked the deal over the past days. */
function demoStory(tenant: DemoTenant, demo: DemoOpportunity, ownerId: string, due: Date, now: Date) {
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  const history = demo.history ?? [];
  const pushes = demo.pushes ?? [];
  const createdAt = ago(
    Math.max(history[0]?.daysAgo ?? 0, pushes[0]?.daysAgo ?? 0, demo.closed?.daysAgo ?? 0, 1) + 2,
  );
  const id = randomUUID();
  const event = (type: OpportunityEvent['type'], occurredAt: Date, fields: Partial<OpportunityEvent>) => ({
    ...blankEvent({ tenantId: tenant.id, id: randomUUID(), opportunityId: id, type, occurredAt }),
    ...fields,
  });
  const firstDetails = history[0]?.details ?? demo.details;
  const events: OpportunityEvent[] = [
    event('created', createdAt, {
      toStage: demo.stage,
      details: firstDetails,
      nextActionAt: ago((history[0]?.daysAgo ?? 0) + 1),
    }),
  ];
  history.forEach((entry, index) => {
    const completedAt = ago(entry.daysAgo);
    events.push(
      event('completed', completedAt, {
        details: entry.details,
        dueAt: new Date(completedAt.getTime() - (index % 2) * 3600 * 1000),
        completedAt,
        notes: entry.notes ?? null,
      }),
    );
  });
  // Each push moved the action by a couple of days; the last one set today's date.
  pushes.forEach((push, index) => {
    const previous = new Date(due.getTime() - (pushes.length - index) * 2 * DAY);
    const next = new Date(due.getTime() - (pushes.length - index - 1) * 2 * DAY);
    events.push(
      event('rescheduled', ago(push.daysAgo), {
        previousNextActionAt: previous,
        nextActionAt: next,
        reason: push.reason,
      }),
    );
  });
  const opportunity: Opportunity = {
    tenantId: tenant.id,
    id,
    name: demo.name,
    value: demo.value,
    stage: demo.stage,
    ownerId,
    nextActionAt: due,
    nextActionDetails: demo.details,
    rescheduleCount: pushes.length,
    closedAt: null,
    version: events.length,
    createdAt,
    updatedAt: events[events.length - 1].occurredAt,
  };
  if (demo.closed) {
    const closedAt = ago(demo.closed.daysAgo);
    const stage = CLOSED_STAGE_OF[demo.closed.outcome];
    events.push(
      event('closed', closedAt, {
        fromStage: demo.stage,
        toStage: stage,
        reason: demo.closed.reason ?? null,
        details: demo.details,
        previousNextActionAt: due,
      }),
    );
    Object.assign(opportunity, {
      stage,
      nextActionAt: null,
      nextActionDetails: null,
      rescheduleCount: 0,
      closedAt,
      version: events.length,
      updatedAt: closedAt,
    });
  }
  return { opportunity, events };
}

async function seedOpportunity(
  manager: EntityManager,
  tenant: DemoTenant,
  demo: DemoOpportunity,
  ownerId: string,
  now: Date,
): Promise<number> {
  const exists = await manager.exists(Opportunity, { where: { tenantId: tenant.id, name: demo.name } });
  if (exists) return 0;
  const story = demoStory(tenant, demo, ownerId, await dueInstant(manager, tenant.timezone, demo.due), now);
  await manager.insert(Opportunity, story.opportunity);
  await manager.insert(OpportunityEvent, story.events);
  return 1;
}

/** The demo accounts, by email: created with the demo password unless they exist (then left as they are). */
async function seedUsers(manager: EntityManager): Promise<{ ids: Map<string, string>; created: number }> {
  const hash = await hashPassword(DEMO_PASSWORD);
  const ids = new Map<string, string>();
  let created = 0;
  for (const user of DEMO_USERS) {
    const inserted = await manager.query<{ id: string }[]>(
      `INSERT INTO users (email, name, timezone, password_hash, password_changed_at)
       VALUES ($1, $2, $3, $4, now()) ON CONFLICT (email) DO NOTHING RETURNING id`,
      [user.email, user.name, user.timezone, hash],
    );
    created += inserted.length;
    const [row] = await manager.query<{ id: string }[]>(`SELECT nat_user_id_by_email($1) AS id`, [
      user.email,
    ]);
    ids.set(user.email, row.id);
  }
  return { ids, created };
}

/**
 * Creates the demo tenants, their members and their opportunities, with due dates relative to now, a worked
 * history, pushed and closed deals, spread over the reps and the manager. Idempotent: a tenant, a user, a
 * membership or an opportunity (by name) that exists already is left as it is. Each tenant's rows are
 * written with that tenant set, so row-level security accepts them even when it applies to the owner.
 */
export async function seedDemoData(
  dataSource: DataSource,
): Promise<{ tenants: number; opportunities: number; usersCreated: number }> {
  const now = new Date();
  return dataSource.transaction(async (manager) => {
    const users = await seedUsers(manager);
    let opportunities = 0;
    for (const tenant of DEMO_TENANTS) {
      await manager.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenant.id]);
      await manager.query(
        `INSERT INTO tenants (id, name, timezone, currency) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING`,
        [tenant.id, tenant.name, tenant.timezone, tenant.currency],
      );
      for (const user of DEMO_USERS) {
        for (const membership of user.memberships.filter(({ tenantId }) => tenantId === tenant.id)) {
          await manager.query(
            `INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
            [tenant.id, users.ids.get(user.email), membership.role],
          );
        }
      }
      for (const [index, demo] of tenant.opportunities.entries()) {
        const owner = users.ids.get(tenant.owners[index % tenant.owners.length]);
        if (!owner) throw new Error(`Demo owner of ${demo.name} is not a demo user`);
        opportunities += await seedOpportunity(manager, tenant, demo, owner, now);
      }
    }
    await manager.query(`SELECT set_config('app.tenant_id', '', true)`);
    return { tenants: DEMO_TENANTS.length, opportunities, usersCreated: users.created };
  });
}

/** How to sign in to the demo, one line per account, for the log of the first seeding and `make seed`. */
export function demoAccountLines(): string[] {
  return DEMO_USERS.map(
    (user) =>
      `Demo account ${user.email} (${user.memberships.map((m) => `${m.role} in ${m.tenantId}`).join(', ')}), ` +
      `password ${DEMO_PASSWORD}`,
  );
}

export async function isEmpty(dataSource: DataSource): Promise<boolean> {
  const [row] = await dataSource.query<{ count: string }[]>(`SELECT count(*) FROM tenants`);
  return Number(row.count) === 0;
}
