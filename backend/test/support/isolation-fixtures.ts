import { randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import type { Response } from 'supertest';
import { apiFor, created, type Body, type Query } from './api';
import type { SpecOperation } from './openapi-operations';
import { TEST_JWT_SECRET, TEST_PASSWORD, type Role, type TestApp, type TestUser } from './test-app';

// The world the isolation matrix attacks, the valid request of every operation, forged tokens, and the
// database state that must not move while an attack is refused.

const DUE_AT = '2026-07-15T09:00:00Z';
const COMPLETION = { new_next_action_at: '2026-07-20T09:00:00Z', new_next_action_details: 'Send the quote' };
const RESCHEDULE = { new_next_action_at: '2026-07-21T09:00:00Z', reason: 'The buyer is away' };
const REOPEN = {
  stage: 'Qualification',
  next_action_at: '2026-07-22T09:00:00Z',
  next_action_details: 'Call again',
};
const NEW_OPPORTUNITY = {
  name: 'Home Team Deal',
  value: 1000,
  stage: 'Prospecting',
  next_action_at: DUE_AT,
  next_action_details: 'Intro call',
};
/** Invited users the matrix might create; their domain lets the state snapshot find them. */
const INVITEE_DOMAIN = 'isolation.test';

/** What a request names: in its path ({id}, {user_id}), in bulk items, or a refresh token in its body. */
export type TargetKind = 'open-opportunity' | 'closed-opportunity' | 'member' | 'refresh-token';

/** A request that succeeds for a legitimate caller, given a target of the right kind in the right state. */
export interface Recipe {
  target?: TargetKind;
  query?: Query;
  /** Called afresh for every request: a new member needs a new email each time. */
  body?: (target: string) => Body;
  /** The status of success. */
  status: number;
}

/**
 * A valid request for every operation that needs sign-in, by operationId. The matrix fails for an operation
 * of the spec that is missing here, so a new endpoint cannot slip past it.
 */
export const RECIPES: Record<string, Recipe> = {
  audit_list: { status: 200 },
  auth_logout: { target: 'refresh-token', body: (token) => ({ refresh_token: token }), status: 204 },
  auth_me: { status: 200 },
  // The same password again: the request is complete and valid, and later sign-ins keep working.
  auth_changePassword: {
    body: () => ({ current_password: TEST_PASSWORD, new_password: TEST_PASSWORD }),
    status: 204,
  },
  currentTenant_getCurrent: { status: 200 },
  memberships_add: {
    body: () => ({
      email: `invitee-${randomUUID().slice(0, 8)}@${INVITEE_DOMAIN}`,
      role: 'rep',
      name: 'Ivy Invitee',
    }),
    status: 201,
  },
  memberships_changeRole: { target: 'member', body: () => ({ role: 'manager' }), status: 200 },
  memberships_list: { status: 200 },
  memberships_remove: { target: 'member', status: 204 },
  opportunities_create: { body: () => NEW_OPPORTUNITY, status: 201 },
  opportunities_get: { target: 'open-opportunity', status: 200 },
  opportunities_getActions: { target: 'open-opportunity', status: 200 },
  opportunities_getDue: { status: 200 },
  opportunities_getDueSummary: { status: 200 },
  opportunities_list: { query: { status: 'all' }, status: 200 },
  opportunities_update: {
    target: 'open-opportunity',
    body: () => ({ name: 'Renamed Deal', value: 1300, stage: 'Negotiation' }),
    status: 200,
  },
  opportunityActions_bulkComplete: {
    target: 'open-opportunity',
    body: (id) => ({ items: [{ id }], shared: COMPLETION }),
    status: 200,
  },
  opportunityActions_bulkReschedule: {
    target: 'open-opportunity',
    body: (id) => ({ items: [{ id }], shared: RESCHEDULE }),
    status: 200,
  },
  opportunityActions_close: { target: 'open-opportunity', body: () => ({ outcome: 'won' }), status: 200 },
  opportunityActions_completeAction: { target: 'open-opportunity', body: () => COMPLETION, status: 200 },
  opportunityActions_reopen: { target: 'closed-opportunity', body: () => REOPEN, status: 200 },
  opportunityActions_reschedule: { target: 'open-opportunity', body: () => RESCHEDULE, status: 200 },
  tenants_list: { status: 200 },
};

/** How an operation names its target, which decides what a foreign or missing one answers. */
export type Addressing = 'opportunity-path' | 'opportunity-bulk' | 'member-path' | 'session';

/** Throws when the spec and the recipe disagree on what the request names: the matrix would not know how to call it. */
export function addressingOf(operation: SpecOperation, recipe: Recipe): Addressing | undefined {
  const names = operation.pathParams.map((parameter) => parameter.name);
  const unknown = names.filter((name) => name !== 'id' && name !== 'user_id');
  if (unknown.length > 0 || names.length > 1) {
    throw new Error(
      `${operation.operationId}: the matrix cannot fill the path parameters ${names.join(', ')}`,
    );
  }
  const opportunity = recipe.target === 'open-opportunity' || recipe.target === 'closed-opportunity';
  if (names[0] === 'id') {
    if (!opportunity)
      throw new Error(`${operation.operationId}: {id} needs an opportunity target in RECIPES`);
    return 'opportunity-path';
  }
  if (names[0] === 'user_id') {
    if (recipe.target !== 'member')
      throw new Error(`${operation.operationId}: {user_id} needs a member target`);
    return 'member-path';
  }
  if (opportunity) return 'opportunity-bulk';
  if (recipe.target === 'member')
    throw new Error(`${operation.operationId}: a member target needs {user_id}`);
  return recipe.target === 'refresh-token' ? 'session' : undefined;
}

/** One request as sent, kept whole so that what it carried can be told apart from what the answer revealed. */
export interface Sent {
  method: SpecOperation['method'];
  path: string;
  query: Query;
  headers: Record<string, string>;
  body?: Body;
}

export function send(t: TestApp, sent: Sent): Promise<Response> {
  const request = t.http()[sent.method](sent.path).set(sent.headers).query(sent.query);
  return sent.body === undefined ? request : request.send(sent.body);
}

/** Everything a client can read in an answer: the body, the headers, and the keyset cursors in Link. */
export function observable(response: Response): string {
  const link = response.get('Link') ?? '';
  const cursors = [...link.matchAll(/cursor=([A-Za-z0-9_-]+)/g)].map(([, cursor]) =>
    Buffer.from(cursor, 'base64url').toString('utf8'),
  );
  return [response.text, JSON.stringify(response.headers), ...cursors].join('\n');
}

/** The secrets of `secrets` that the answer shows although the request did not carry them. */
export function leakedBy(response: Response, sent: Sent, secrets: string[]): string[] {
  const carried = JSON.stringify(sent);
  const seen = observable(response);
  return secrets.filter((secret) => !carried.includes(secret) && seen.includes(secret));
}

export interface Deals {
  open: string;
  closed: string;
}

export interface World {
  /** The attackers' own tenant: an admin, a manager, a rep and the rep's teammate. */
  home: {
    tenant: string;
    members: Record<Role, TestUser>;
    teammate: TestUser;
    /** The rep's own deals. */
    repDeals: Deals;
    teammateDeals: Deals;
  };
  /** The tenant under attack, with secrets that must never show up in an answer to anyone else. */
  victim: {
    tenant: string;
    admin: TestUser;
    rep: TestUser;
    deals: Deals;
    /** The victim admin's refresh token: signing someone else out with it must do nothing. */
    refreshToken: string;
  };
  /** A well-formed tenant id that does not exist. */
  ghostTenant: string;
  victimSecrets: string[];
  teammateSecrets: string[];
}

async function signInForRefreshToken(t: TestApp, email: string): Promise<string> {
  const response = await t.http().post('/api/v1/auth/login').send({ email, password: TEST_PASSWORD });
  if (response.status !== 200) throw new Error(`sign-in as ${email}: ${response.status} ${response.text}`);
  return (response.body as { refresh_token: string }).refresh_token;
}

async function rename(t: TestApp, user: TestUser, name: string): Promise<void> {
  await t.dataSource.query(`UPDATE users SET name = $2 WHERE id = $1`, [user.id, name]);
}

/** An open deal (due, with one completed action behind it) and a closed one, owned by `user`. */
async function dealsOf(
  t: TestApp,
  tenant: string,
  user: TestUser,
  names: { open: string; closed: string; details: string },
): Promise<Deals> {
  const api = apiFor(t, tenant, user);
  const base = {
    value: 987654.32,
    stage: 'Negotiation',
    next_action_at: DUE_AT,
    next_action_details: names.details,
  };
  const open = await created(api, { ...base, name: names.open });
  const completed = await api.complete(open.id, {
    ...COMPLETION,
    // Later today: the deal stays in the due list, where a leak would show.
    new_next_action_at: '2026-07-15T18:00:00Z',
    notes: `${names.details} (notes)`,
  });
  if (completed.status !== 200) throw new Error(`completing ${open.id}: ${completed.text}`);
  const closed = await created(api, { ...base, name: names.closed });
  const lost = await api.close(closed.id, { outcome: 'lost', reason: `${names.details} (lost)` });
  if (lost.status !== 200) throw new Error(`closing ${closed.id}: ${lost.text}`);
  return { open: open.id, closed: closed.id };
}

export async function buildWorld(t: TestApp): Promise<World> {
  const victimTenant = await t.createTenant({ name: 'Initech Victim Holdings', timezone: 'Europe/Berlin' });
  const victimAdmin = t.ownerOf(victimTenant);
  const victimRep = await t.addMember(victimTenant, 'rep');
  await rename(t, victimAdmin, 'Victor Victimson');
  await rename(t, victimRep, 'Vera Victimsdottir');
  const victimDeals = await dealsOf(t, victimTenant, victimAdmin, {
    open: 'Initech Secret Merger',
    closed: 'Initech Lost Takeover',
    details: 'Call the Initech CFO about the merger',
  });

  const homeTenant = await t.createTenant({ name: 'Home Team' });
  const members: Record<Role, TestUser> = {
    admin: t.ownerOf(homeTenant),
    manager: await t.addMember(homeTenant, 'manager'),
    rep: await t.addMember(homeTenant, 'rep'),
  };
  const teammate = await t.addMember(homeTenant, 'rep');
  const repDeals = await dealsOf(t, homeTenant, members.rep, {
    open: 'Rep Own Deal',
    closed: 'Rep Own Closed Deal',
    details: 'The rep calls their own buyer',
  });
  const teammateDeals = await dealsOf(t, homeTenant, teammate, {
    open: 'Teammate Private Pipeline Deal',
    closed: 'Teammate Private Lost Deal',
    details: 'Teammate private call notes',
  });

  return {
    home: { tenant: homeTenant, members, teammate, repDeals, teammateDeals },
    victim: {
      tenant: victimTenant,
      admin: victimAdmin,
      rep: victimRep,
      deals: victimDeals,
      refreshToken: await signInForRefreshToken(t, victimAdmin.email),
    },
    ghostTenant: `ghost-${randomUUID().slice(0, 8)}`,
    victimSecrets: [
      victimTenant,
      'Initech',
      'Victimson',
      'Victimsdottir',
      ...[victimAdmin, victimRep].flatMap((user) => [user.id, user.email]),
      victimDeals.open,
      victimDeals.closed,
    ],
    teammateSecrets: ['Teammate Private', teammateDeals.open, teammateDeals.closed],
  };
}

/** A target of `kind` in the home tenant that `caller` may act on, in the state the recipe needs. */
export async function freshTarget(
  t: TestApp,
  world: World,
  kind: TargetKind,
  caller: TestUser,
): Promise<string> {
  const tenant = world.home.tenant;
  if (kind === 'member') return (await t.addMember(tenant, 'rep')).id;
  if (kind === 'refresh-token') return signInForRefreshToken(t, caller.email);
  const api = apiFor(t, tenant, caller);
  const opportunity = await created(api, { ...NEW_OPPORTUNITY, name: 'Fresh Home Deal' });
  if (kind === 'closed-opportunity') {
    const closed = await api.close(opportunity.id, { outcome: 'lost' });
    if (closed.status !== 200) throw new Error(`closing ${opportunity.id}: ${closed.text}`);
  }
  return opportunity.id;
}

const jwt = new JwtService({ secret: TEST_JWT_SECRET });
const NAT_CLAIMS = { issuer: 'nat', audience: 'nat-api' } as const;

function claimsOf(user: TestUser, tenant: string): { sub: string; memberships: object[] } {
  return { sub: user.id, memberships: [{ tenant_id: tenant, role: 'admin' }] };
}

const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** `token` with the character at the middle of one of its three parts replaced by another. */
function withOneCharacterChanged(token: string, part: 1 | 2): string {
  const parts = token.split('.');
  const middle = Math.floor(parts[part].length / 2);
  const replacement = parts[part][middle] === 'A' ? 'B' : 'A';
  parts[part] = parts[part].slice(0, middle) + replacement + parts[part].slice(middle + 1);
  return parts.join('.');
}

/** An access token of the victim's admin that signed ~16 minutes ago and expired a minute ago. */
export function expiredToken(world: World): string {
  const now = Math.floor(Date.now() / 1000);
  return jwt.sign(
    { ...claimsOf(world.victim.admin, world.victim.tenant), iat: now - 960, exp: now - 60 },
    { ...NAT_CLAIMS, algorithm: 'HS256' },
  );
}

/** Signed exactly like the forgeries but without a defect: the control that makes each refusal mean something. */
export function genuineToken(world: World): string {
  return jwt.sign(claimsOf(world.victim.admin, world.victim.tenant), {
    ...NAT_CLAIMS,
    algorithm: 'HS256',
    expiresIn: 900,
  });
}

/** Tokens that claim to be the victim's admin but must not be believed, each with what is wrong with it. */
export const FORGED_TOKENS: [string, (world: World) => string][] = [
  ['one character of its payload changed', (w) => withOneCharacterChanged(w.victim.admin.token, 1)],
  ['one character of its signature changed', (w) => withOneCharacterChanged(w.victim.admin.token, 2)],
  [
    "the victim admin's claims pasted over another user's genuine signature",
    (w) => {
      const [header, , signature] = w.home.members.admin.token.split('.');
      const now = Math.floor(Date.now() / 1000);
      const payload = {
        ...claimsOf(w.victim.admin, w.victim.tenant),
        iat: now,
        exp: now + 900,
        iss: 'nat',
        aud: 'nat-api',
      };
      return `${header}.${encode(payload)}.${signature}`;
    },
  ],
  [
    'a signature made with another secret',
    (w) =>
      jwt.sign(claimsOf(w.victim.admin, w.victim.tenant), {
        ...NAT_CLAIMS,
        algorithm: 'HS256',
        expiresIn: 900,
        secret: 'another signing key that is also long enough for HS256',
      }),
  ],
  [
    'alg none and no signature',
    (w) => `${encode({ alg: 'none', typ: 'JWT' })}.${w.victim.admin.token.split('.')[1]}.`,
  ],
  [
    'alg none and the original signature',
    (w) => {
      const [, payload, signature] = w.victim.admin.token.split('.');
      return `${encode({ alg: 'none', typ: 'JWT' })}.${payload}.${signature}`;
    },
  ],
  [
    'another audience',
    (w) =>
      jwt.sign(claimsOf(w.victim.admin, w.victim.tenant), {
        issuer: 'nat',
        audience: 'another-api',
        algorithm: 'HS256',
        expiresIn: 900,
      }),
  ],
];

/**
 * Every row an attack could write, of the given tenants ($1) and of their members: the tenants, opportunities
 * (versions included), their timelines, memberships, invitations, the audit log, users and sessions, and the
 * users the matrix may have invited (emails LIKE $2). Read as the test database's owner, so row-level security
 * hides nothing.
 */
const STATE_SECTIONS: Record<string, string> = {
  tenants: `SELECT json_agg(x ORDER BY x.id) FROM tenants x WHERE x.id = ANY($1)`,
  opportunities: `SELECT json_agg(x ORDER BY x.id) FROM opportunities x WHERE x.tenant_id = ANY($1)`,
  actions: `SELECT json_agg(x ORDER BY x.id) FROM opportunity_actions x WHERE x.tenant_id = ANY($1)`,
  memberships: `SELECT json_agg(x ORDER BY x.tenant_id, x.user_id) FROM memberships x WHERE x.tenant_id = ANY($1)`,
  invitations: `SELECT json_agg(json_build_object('tenant_id', x.tenant_id, 'user_id', x.user_id, 'used_at', x.used_at)
                                ORDER BY x.tenant_id, x.user_id)
                  FROM invitations x WHERE x.tenant_id = ANY($1)`,
  audit: `SELECT json_agg(x.id ORDER BY x.id) FROM audit_events x WHERE x.tenant_id = ANY($1)`,
  users: `SELECT json_agg(json_build_object('id', x.id, 'email', x.email, 'name', x.name,
                                            'password_hash', x.password_hash,
                                            'password_changed_at', x.password_changed_at) ORDER BY x.id)
            FROM users x WHERE x.id IN (SELECT user_id FROM member_ids) OR x.email LIKE $2`,
  sessions: `SELECT json_agg(json_build_object('id', x.id, 'rotated_at', x.rotated_at, 'revoked_at', x.revoked_at)
                             ORDER BY x.id)
               FROM refresh_tokens x WHERE x.user_id IN (SELECT user_id FROM member_ids)`,
};

async function queryState(
  t: TestApp,
  tenants: string[],
  invitees: boolean,
  hashed: boolean,
): Promise<unknown> {
  const fields = Object.entries(STATE_SECTIONS).map(([name, sql]) =>
    hashed ? `'${name}', md5(coalesce((${sql})::text, ''))` : `'${name}', (${sql})`,
  );
  const [row] = await t.dataSource.query<{ state: unknown }[]>(
    `WITH member_ids AS (SELECT user_id FROM memberships WHERE tenant_id = ANY($1))
     SELECT json_build_object(${fields.join(', ')}) AS state`,
    [tenants, invitees ? `%@${INVITEE_DOMAIN}` : null],
  );
  return row.state;
}

/** The rows themselves, for a readable diff; `invitees: false` leaves out the users the matrix invited. */
export function stateOf(t: TestApp, tenants: string[], { invitees = true } = {}): Promise<unknown> {
  return queryState(t, tenants, invitees, false);
}

/** A digest of each section of the state: cheap enough to take around each of hundreds of attacks. */
export function fingerprintOf(t: TestApp, tenants: string[]): Promise<unknown> {
  return queryState(t, tenants, true, true);
}
