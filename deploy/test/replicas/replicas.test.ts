import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../frontend/e2e/support/test-database';
import { seedDatabase } from '../../../frontend/e2e/support/test-server';
import { type ApiProcess, startApi, whoServed } from '../support/api-process';
import { REPO_ROOT, requireBuild } from '../support/build';
import { http, type HttpAnswer } from '../support/http';
import { type Nginx, startNginx } from '../support/nginx';

/**
 * NAT's scale-out claim: API processes keep no state of their own (sessions, refresh tokens, rate-limit counters
 * and idempotency keys live in PostgreSQL), so nginx may send any request to any of them. Two processes of the
 * production build, configured as docker-compose.prod.yml configures a replica (the signing key and the database
 * password from files), behind nginx with the image's template, on loopback.
 */

const TENANT = 'demo-tenant-1';
const REP = { email: 'rep@demo-tenant-1.test', password: 'demo-password' };
const LOGIN_LIMIT_PER_IP = 4;
const DEALS = 8;
const ROUNDS = 3;

interface Session {
  access_token: string;
  refresh_token: string;
}
interface Opportunity {
  id: string;
  version: number;
}
interface Completion {
  opportunity: Opportunity;
}
/** A completion the API acknowledged (2xx), by the unique note it carried. */
interface Acknowledged {
  note: string;
  opportunityId: string;
}

let database: TestDatabase;
let secrets: string;
let replicas: ApiProcess[] = [];
let nginx: Nginx;

const viaNginx = (path: string) => `${nginx.baseUrl}/api/v1${path}`;

/** Signs the rep in through nginx from `from`, a client address of the test's own (each counts its attempts). */
async function signIn(from: string): Promise<{ session: Session; answer: HttpAnswer }> {
  const answer = await http(viaNginx('/auth/login'), { method: 'POST', body: REP, from });
  expect(answer.status).toBe(200);
  return { session: answer.json<Session>(), answer };
}

function asRep(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { Authorization: `Bearer ${token}`, 'X-Tenant-ID': TENANT, ...extra };
}

/** Which replica answered, from the X-Request-ID it sent back and logged. */
async function servedBy(answer: HttpAnswer): Promise<string> {
  const id = answer.header('x-request-id');
  expect(id).not.toBe('');
  const replica = await whoServed(replicas, id);
  expect(replica, `no replica logged request ${id}`).toBeDefined();
  return replica?.name ?? '';
}

function tomorrowPlus(minutes: number): string {
  return new Date(Date.now() + 24 * 3_600_000 + minutes * 60_000).toISOString();
}

async function query<T extends object>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  requireBuild();
  database = await createTestDatabase(REPO_ROOT);
  secrets = mkdtempSync(join(tmpdir(), 'nat-secrets-'));
  writeFileSync(join(secrets, 'jwt_secret'), `${randomBytes(32).toString('base64')}\n`);
  // The local server trusts loopback, so any password is accepted: this proves that the file is read and used.
  writeFileSync(join(secrets, 'db_password'), 'replica-test-password\n');
  const environment = {
    JWT_SECRET_FILE: join(secrets, 'jwt_secret'),
    DATABASE_PASSWORD_FILE: join(secrets, 'db_password'),
    RATE_LIMIT_LOGIN_PER_IP: String(LOGIN_LIMIT_PER_IP),
    RATE_LIMIT_LOGIN_PER_ACCOUNT: '1000',
  };
  // Both start together on the empty database, and each migrates before it serves: the advisory lock must
  // make one wait for the other, not fail.
  const started = await Promise.allSettled(
    ['replica a', 'replica b'].map((name) => startApi({ name, databaseUrl: database.url, environment })),
  );
  replicas = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  await seedDatabase(REPO_ROOT, database.url);
  nginx = await startNginx({ upstreams: replicas.map((replica) => replica.address) });
}, 180_000);

afterAll(async () => {
  try {
    await nginx?.stop();
    await Promise.all(replicas.map((replica) => replica.stop()));
  } finally {
    if (secrets) rmSync(secrets, { recursive: true, force: true });
    await database?.drop();
  }
});

describe('two API processes behind nginx', () => {
  it('started together on an empty database: one migrated, the other found the schema ready', async () => {
    const applied = await query<{ count: string }>('SELECT count(*) FROM migrations');
    const names = await query<{ name: string; count: string }>(
      'SELECT name, count(*) FROM migrations GROUP BY name HAVING count(*) > 1',
    );
    expect(Number(applied[0]?.count)).toBeGreaterThan(0);
    expect(names).toEqual([]);
  });

  it('spreads sign-ins, due reads and completions over both, and every acknowledged completion is in the history exactly once', async () => {
    const { session } = await signIn('127.0.0.11');
    const served = new Map<string, number>();
    const count = async (answer: HttpAnswer) => {
      const name = await servedBy(answer);
      served.set(name, (served.get(name) ?? 0) + 1);
    };

    // Overdue deals of the rep's own, created through nginx.
    const deals: Opportunity[] = [];
    for (let index = 0; index < DEALS; index++) {
      const created = await http(viaNginx('/opportunities'), {
        method: 'POST',
        headers: asRep(session.access_token, { 'Idempotency-Key': randomUUID() }),
        body: {
          name: `Replica deal ${index} ${randomUUID().slice(0, 6)}`,
          value: 1000 + index,
          stage: 'Prospecting',
          next_action_at: new Date(Date.now() - 3_600_000).toISOString(),
          next_action_details: 'Call back',
        },
      });
      expect(created.status).toBe(201);
      await count(created);
      deals.push(created.json<Opportunity>());
    }

    const acknowledged: Acknowledged[] = [];
    let conflicts = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const due = await http(viaNginx('/opportunities/due?limit=500'), {
        headers: asRep(session.access_token),
      });
      expect(due.status).toBe(200);
      await count(due);
      if (round === 0) {
        const dueIds = new Set(due.json<Opportunity[]>().map((deal) => deal.id));
        expect(deals.every((deal) => dueIds.has(deal.id))).toBe(true);
      }
      // Every deal completed at once; each also gets a rival completion with the same expected version, which
      // must lose (409) wherever it runs.
      const attempts = deals.flatMap((deal, index) =>
        ['first', 'rival'].map(async (which) => {
          const note = `replica-test ${deal.id} round ${round} ${which} ${randomUUID()}`;
          const answer = await http(viaNginx(`/opportunities/${deal.id}/complete_action`), {
            method: 'POST',
            headers: asRep(session.access_token, { 'Idempotency-Key': randomUUID() }),
            body: {
              expected_version: deal.version,
              new_next_action_at: tomorrowPlus(round * 10 + index),
              new_next_action_details: `Round ${round + 1} follow-up`,
              notes: note,
            },
          });
          await count(answer);
          return { deal, note, answer };
        }),
      );
      for (const { deal, note, answer } of await Promise.all(attempts)) {
        if (answer.status === 200) {
          acknowledged.push({ note, opportunityId: deal.id });
          deal.version = answer.json<Completion>().opportunity.version;
        } else {
          expect(answer.status).toBe(409);
          expect(answer.json()).toMatchObject({ error_code: 'VERSION_CONFLICT' });
          conflicts++;
        }
      }
      // Only the next round makes them due again: move each next action into the past with SQL.
      await query(`UPDATE opportunities SET next_action_at = now() - interval '1 hour' WHERE id = ANY($1)`, [
        deals.map((deal) => deal.id),
      ]);
    }

    expect(acknowledged).toHaveLength(DEALS * ROUNDS);
    expect(conflicts).toBe(DEALS * ROUNDS);
    const history = await query<{ notes: string; opportunity_id: string; copies: string }>(
      `SELECT notes, opportunity_id, count(*) AS copies FROM opportunity_actions
        WHERE notes LIKE 'replica-test %' GROUP BY notes, opportunity_id`,
    );
    expect(
      history.map((row) => ({ note: row.notes, opportunityId: row.opportunity_id })).sort(byNote),
    ).toEqual([...acknowledged].sort(byNote));
    expect(history.every((row) => row.copies === '1')).toBe(true);
    const versions = await query<{ id: string; version: number }>(
      'SELECT id, version FROM opportunities WHERE id = ANY($1)',
      [deals.map((deal) => deal.id)],
    );
    for (const deal of deals) expect(versions.find((row) => row.id === deal.id)?.version).toBe(deal.version);

    expect([...served.keys()].sort()).toEqual(['replica a', 'replica b']);
    for (const requests of served.values()) expect(requests).toBeGreaterThan(DEALS);
  });

  it('replays a completion retried on the other replica with the same Idempotency-Key, and records it once', async () => {
    const { session } = await signIn('127.0.0.12');
    const created = await http(viaNginx('/opportunities'), {
      method: 'POST',
      headers: asRep(session.access_token),
      body: {
        name: `Retried deal ${randomUUID().slice(0, 6)}`,
        value: 500,
        stage: 'Prospecting',
        next_action_at: new Date(Date.now() - 60_000).toISOString(),
        next_action_details: 'Call',
      },
    });
    const deal = created.json<Opportunity>();
    const note = `replica-test retried ${randomUUID()}`;
    const request = {
      method: 'POST' as const,
      headers: asRep(session.access_token, { 'Idempotency-Key': randomUUID() }),
      body: {
        expected_version: deal.version,
        new_next_action_at: tomorrowPlus(1),
        new_next_action_details: 'Next',
        notes: note,
      },
    };
    const [first, second] = replicas;
    const original = await http(`${first?.baseUrl}/api/v1/opportunities/${deal.id}/complete_action`, request);
    const retried = await http(`${second?.baseUrl}/api/v1/opportunities/${deal.id}/complete_action`, request);
    expect(original.status).toBe(200);
    expect(retried.status).toBe(200);
    expect(retried.header('idempotent-replayed')).toBe('true');
    expect(retried.json()).toEqual(original.json());
    const rows = await query('SELECT 1 FROM opportunity_actions WHERE notes = $1', [note]);
    expect(rows).toHaveLength(1);
  });

  it('refreshes a session on the replica that did not issue it, and the spent token is refused by both', async () => {
    const { session, answer } = await signIn('127.0.0.13');
    const issuer = await servedBy(answer);
    const other = replicas.find((replica) => replica.name !== issuer);
    const refreshed = await http(`${other?.baseUrl}/api/v1/auth/refresh`, {
      method: 'POST',
      body: { refresh_token: session.refresh_token },
    });
    expect(refreshed.status).toBe(200);
    const renewed = refreshed.json<Session>();
    expect(renewed.refresh_token).not.toBe(session.refresh_token);

    // The new access token works wherever nginx sends it.
    for (let attempt = 0; attempt < 4; attempt++) {
      const due = await http(viaNginx('/opportunities/due'), { headers: asRep(renewed.access_token) });
      expect(due.status).toBe(200);
    }
    // The spent refresh token is spent for every replica (and its reuse revokes the session, on either).
    const issuerProcess = replicas.find((replica) => replica.name === issuer);
    const reused = await http(`${issuerProcess?.baseUrl}/api/v1/auth/refresh`, {
      method: 'POST',
      body: { refresh_token: session.refresh_token },
    });
    expect(reused.status).toBe(401);
    const afterReuse = await http(`${other?.baseUrl}/api/v1/auth/refresh`, {
      method: 'POST',
      body: { refresh_token: renewed.refresh_token },
    });
    expect(afterReuse.status).toBe(401);
  });

  it('counts sign-in attempts per client address across both replicas, with the address nginx saw', async () => {
    const client = '127.0.0.7';
    const attempts: HttpAnswer[] = [];
    for (let attempt = 0; attempt <= LOGIN_LIMIT_PER_IP; attempt++) {
      attempts.push(
        await http(viaNginx('/auth/login'), {
          method: 'POST',
          from: client,
          body: { email: `nobody-${attempt}@replica-test.test`, password: 'wrong-password' },
        }),
      );
    }
    expect(attempts.map((answer) => answer.status)).toEqual([
      ...Array<number>(LOGIN_LIMIT_PER_IP).fill(401),
      429,
    ]);
    const servers = new Set(await Promise.all(attempts.map(servedBy)));
    expect(servers.size).toBe(2);
    // Another client is not affected: the limit is per client, not per proxy.
    const neighbour = await http(viaNginx('/auth/login'), { method: 'POST', from: '127.0.0.8', body: REP });
    expect(neighbour.status).toBe(200);
  });

  it('loses nothing when one replica stops: nginx sends everything to the other', async () => {
    const { session } = await signIn('127.0.0.14');
    const [leaving, staying] = replicas;
    expect(await leaving?.stop()).toBe(0);
    // Reads first: nginx retries a GET on the other server, and so learns that the first one is gone.
    for (let attempt = 0; attempt < 6; attempt++) {
      const due = await http(viaNginx('/opportunities/due'), { headers: asRep(session.access_token) });
      expect(due.status).toBe(200);
      expect(await servedBy(due)).toBe(staying?.name);
    }
    const created = await http(viaNginx('/opportunities'), {
      method: 'POST',
      headers: asRep(session.access_token),
      body: {
        name: `After the stop ${randomUUID().slice(0, 6)}`,
        value: 10,
        stage: 'Prospecting',
        next_action_at: new Date(Date.now() - 60_000).toISOString(),
        next_action_details: 'Call',
      },
    });
    expect(created.status).toBe(201);
    const deal = created.json<Opportunity>();
    const note = `replica-test after-stop ${randomUUID()}`;
    const completed = await http(viaNginx(`/opportunities/${deal.id}/complete_action`), {
      method: 'POST',
      headers: asRep(session.access_token),
      body: {
        expected_version: deal.version,
        new_next_action_at: tomorrowPlus(5),
        new_next_action_details: 'Next',
        notes: note,
      },
    });
    expect(completed.status).toBe(200);
    expect(await servedBy(completed)).toBe(staying?.name);
    expect(await query('SELECT 1 FROM opportunity_actions WHERE notes = $1', [note])).toHaveLength(1);
  });
});

function byNote(left: Acknowledged, right: Acknowledged): number {
  return left.note.localeCompare(right.note);
}
