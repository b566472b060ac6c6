import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { call } from './http';

export const PASSWORD = 'load-test-password-1';

const PASSWORDS_JS = join(__dirname, '..', '..', '..', 'dist', 'backend', 'auth', 'passwords.js');

export type LoadRole = 'rep' | 'manager';

/** A signed-in member of a load tenant. */
export interface LoadUser {
  tenantId: string;
  id: string;
  email: string;
  role: LoadRole;
  token: string;
  /** The open opportunities this user owns (none for a manager). */
  deals: string[];
}

export interface LoadWorld {
  tenants: string[];
  users: LoadUser[];
  reps: LoadUser[];
  managers: LoadUser[];
}

export interface WorldShape {
  tenants: number;
  repsPerTenant: number;
  dealsPerRep: number;
}

/** Enough for every suite: 4 tenants × (1 manager + 4 reps), 300 open deals per tenant. */
export const DEFAULT_WORLD: WorldShape = { tenants: 4, repsPerTenant: 4, dealsPerRep: 75 };

/** The app's own password recipe, from the build under test, so sign-in verifies what it would in production. */
async function hashOfPassword(): Promise<string> {
  const passwords = (await import(PASSWORDS_JS)) as { hashPassword(password: string): Promise<string> };
  return passwords.hashPassword(PASSWORD);
}

/** The headers of a tenant route as `user`. */
export function headersOf(user: LoadUser): Record<string, string> {
  return { authorization: `Bearer ${user.token}`, 'x-tenant-id': user.tenantId };
}

async function signIn(origin: string, email: string): Promise<string> {
  const answer = await call(origin, {
    method: 'POST',
    path: '/api/v1/auth/login',
    json: { email, password: PASSWORD },
  });
  if (answer.status !== 200) throw new Error(`sign-in as ${email}: ${answer.status} ${answer.body}`);
  return (JSON.parse(answer.body) as { access_token: string }).access_token;
}

/**
 * Tenants, members and due deals written by SQL as the superuser (hundreds of deals through the API would take
 * longer than the soak), then every member signs in through the API. Deals are due since a few minutes to a few
 * days ago, so they are all on the due lists.
 */
export async function createWorld(
  pool: Pool,
  origin: string,
  shape: WorldShape = DEFAULT_WORLD,
): Promise<LoadWorld> {
  const run = randomBytes(4).toString('hex');
  const passwordHash = await hashOfPassword();
  const users: Omit<LoadUser, 'token'>[] = [];
  for (let t = 1; t <= shape.tenants; t++) {
    const tenantId = `load-${run}-${t}`;
    await pool.query(`INSERT INTO tenants (id, name, timezone, currency) VALUES ($1, $2, 'UTC', 'USD')`, [
      tenantId,
      `Load Team ${t}`,
    ]);
    const roles: LoadRole[] = ['manager', ...Array<LoadRole>(shape.repsPerTenant).fill('rep')];
    for (const [n, role] of roles.entries()) {
      const email = `${role}-${n}@${tenantId}.load.test`;
      const { rows } = await pool.query<{ id: string }>(
        `INSERT INTO users (email, name, timezone, password_hash) VALUES ($1, $2, 'UTC', $3) RETURNING id`,
        [email, `Load ${role} ${n}`, passwordHash],
      );
      const id = rows[0].id;
      await pool.query(`INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, $3)`, [
        tenantId,
        id,
        role,
      ]);
      const deals = role === 'rep' ? await createDueDeals(pool, tenantId, id, shape.dealsPerRep) : [];
      users.push({ tenantId, id, email, role, deals });
    }
  }
  const signedIn = await Promise.all(
    users.map(async (user) => ({ ...user, token: await signIn(origin, user.email) })),
  );
  return {
    tenants: [...new Set(signedIn.map((user) => user.tenantId))],
    users: signedIn,
    reps: signedIn.filter((user) => user.role === 'rep'),
    managers: signedIn.filter((user) => user.role === 'manager'),
  };
}

async function createDueDeals(
  pool: Pool,
  tenantId: string,
  ownerId: string,
  count: number,
): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO opportunities (tenant_id, name, value, stage, next_action_at, next_action_details, owner_id)
     SELECT $1, 'Load deal ' || g, 1000 + g, 'Proposal', now() - make_interval(mins => g * 37),
            'Call the buyer about deal ' || g, $2
     FROM generate_series(1, $3::int) AS g
     RETURNING id::text AS id`,
    [tenantId, ownerId, count],
  );
  return rows.map((row) => row.id);
}
