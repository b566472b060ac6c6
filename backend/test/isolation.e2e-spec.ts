import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import type { Body, Query } from './support/api';
import {
  addressingOf,
  buildWorld,
  expiredToken,
  fingerprintOf,
  FORGED_TOKENS,
  freshTarget,
  genuineToken,
  leakedBy,
  RECIPES,
  send,
  stateOf,
  type Addressing,
  type Recipe,
  type Sent,
  type TargetKind,
  type World,
} from './support/isolation-fixtures';
import { fillPath, operations, resolve, type SpecOperation } from './support/openapi-operations';
import { createTestApp, type Role, type TestApp, type TestUser } from './support/test-app';

// Every operation of the committed spec that needs sign-in, attacked every way a caller can reach data that is
// not theirs: without a valid token, from another tenant, with another tenant's ids, above their role, and
// (for a rep) at a teammate's deal. A new endpoint joins the matrix by itself, or fails it until RECIPES knows
// how to call it. Each attack must be refused with the documented status and code, reveal none of the other
// tenant's (or teammate's) secrets, and write nothing.

const NOW = '2026-07-15T12:00:00.000Z';
/** Least privileged first: the positive control calls as the least privileged role allowed. */
const ROLES: Role[] = ['rep', 'manager', 'admin'];
const PUBLIC_OPERATIONS = ['auth_acceptInvitation', 'auth_login', 'auth_refresh', 'signup_create'];
/** The contract's tenant-scoped routes: all /opportunities/*, /memberships*, /audit and /tenants/current. */
const TENANT_PATH = /^\/api\/v1\/(opportunities|memberships|audit|tenants\/current)(\/|$)/;

const AUTHENTICATED = operations.filter((operation) => operation.authenticated);

type Plan = { recipe: Recipe; addressing: Addressing | undefined } | { problem: string };

function planOf(operation: SpecOperation): Plan {
  const recipe = RECIPES[operation.operationId];
  if (!recipe) {
    return {
      problem: `${operation.operationId} (${operation.method.toUpperCase()} ${operation.path}) has no valid request in RECIPES (test/support/isolation-fixtures.ts)`,
    };
  }
  try {
    return { recipe, addressing: addressingOf(operation, recipe) };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}

/** `scope=team` widens the list to the whole tenant: managers and admins only. */
function hasTeamScope(operation: SpecOperation): boolean {
  const scope = operation.queryParams.find((parameter) => parameter.name === 'scope');
  return scope !== undefined && (resolve(scope.schema).enum ?? []).includes('team');
}

/** Naming someone else as owner is for managers and admins. */
function namesOwner(operation: SpecOperation): boolean {
  return operation.body?.properties?.owner_id !== undefined;
}

function leastPrivilegedOf(operation: SpecOperation): Role {
  const role = ROLES.find((candidate) => !operation.roles || operation.roles.includes(candidate));
  if (!role) throw new Error(`${operation.operationId}: x-nat-roles names no known role`);
  return role;
}

interface Call {
  token?: string;
  tenant: string;
  target?: string;
  query?: Query;
  body?: Body;
}

function requestOf(operation: SpecOperation, recipe: Recipe, call: Call): Sent {
  const target = call.target ?? '';
  const headers: Record<string, string> = {};
  if (call.token !== undefined) headers.Authorization = `Bearer ${call.token}`;
  if (operation.tenantScoped) headers['X-Tenant-ID'] = call.tenant;
  return {
    method: operation.method,
    path: fillPath(operation.path, { id: target, user_id: target }),
    query: { ...recipe.query, ...call.query },
    headers,
    body: call.body ?? recipe.body?.(target),
  };
}

function titleOf(operation: SpecOperation): string {
  return `${operation.method.toUpperCase()} ${operation.path} (${operation.operationId})`;
}

describe('the isolation matrix, generated from the OpenAPI spec', () => {
  let t: TestApp;
  let world: World;
  let victimBefore: unknown;
  let fixturesBefore: unknown;

  /** The rows of the fixtures that positive controls never touch: the attacked deals and the members. */
  async function fixtureRows(): Promise<unknown> {
    const { home } = world;
    const deals = [home.repDeals, home.teammateDeals].flatMap(({ open, closed }) => [open, closed]);
    return t.dataSource.query(
      `SELECT json_build_object(
         'deals', (SELECT json_agg(x ORDER BY x.id) FROM opportunities x WHERE x.id = ANY($2::uuid[])),
         'actions', (SELECT json_agg(x ORDER BY x.id) FROM opportunity_actions x
                      WHERE x.opportunity_id = ANY($2::uuid[])),
         'members', (SELECT json_agg(x ORDER BY x.user_id) FROM memberships x
                      WHERE x.tenant_id = $1 AND x.user_id = ANY($3::uuid[]))
       ) AS rows`,
      [home.tenant, deals, [...Object.values(home.members), home.teammate].map((user) => user.id)],
    );
  }

  beforeAll(async () => {
    t = await createTestApp(NOW);
    world = await buildWorld(t);
    victimBefore = await stateOf(t, [world.victim.tenant], { invitees: false });
    fixturesBefore = await fixtureRows();
  });
  afterAll(() => t.close());

  const watchedTenants = () => [world.home.tenant, world.victim.tenant, world.ghostTenant];

  /**
   * The fingerprint after the last attack, as long as nothing legitimate has written since: the next attack
   * starts from it instead of reading it again. Every legitimate write goes through `legitimately`, which
   * forgets it; one that did not would make the next attack fail, never pass.
   */
  let undisturbed: unknown;

  /** Sends a request that must be refused: nothing may change, and nothing of `secrets` may show. */
  async function attack(request: Sent, secrets: string[]): Promise<Response> {
    const before = undisturbed ?? (await fingerprintOf(t, watchedTenants()));
    undisturbed = undefined;
    const response = await send(t, request);
    const after = await fingerprintOf(t, watchedTenants());
    // A section whose digest moved names the table the attack wrote to.
    expect(after).toEqual(before);
    undisturbed = after;
    expect(leakedBy(response, request, secrets)).toEqual([]);
    return response;
  }

  /** Runs work that may write (a positive control and what it prepares), forgetting the last fingerprint. */
  function legitimately<T>(work: () => Promise<T>): Promise<T> {
    undisturbed = undefined;
    return work();
  }

  /** A fresh target of the recipe's kind for `user`, or none when the operation names nothing. */
  async function freshTargetFor(recipe: Recipe, user: TestUser): Promise<string | undefined> {
    const kind = recipe.target;
    return kind && legitimately(() => freshTarget(t, world, kind, user));
  }

  function expectRefused(response: Response, operation: SpecOperation, status: number, code: string): void {
    expect({ status: response.status, body: response.body as unknown }).toMatchObject({
      status,
      body: { error_code: code },
    });
    expect(Object.keys(response.body as object).sort()).toEqual(['detail', 'error_code']);
    expect(operation.errorCodes).toContain(code);
  }

  /** What a rep must not see: the other tenant's secrets and their teammate's deals. */
  const secretsHiddenFrom = (role: Role): string[] =>
    role === 'rep' ? [...world.victimSecrets, ...world.teammateSecrets] : world.victimSecrets;

  function victimTarget(kind: TargetKind | undefined): string | undefined {
    const { victim } = world;
    if (kind === undefined) return undefined;
    const targets: Record<TargetKind, string> = {
      'open-opportunity': victim.deals.open,
      'closed-opportunity': victim.deals.closed,
      member: victim.rep.id,
      'refresh-token': victim.refreshToken,
    };
    return targets[kind];
  }

  /** A target the rep (or a manager) may not act on by role: their own deal, or their teammate's membership. */
  function homeTarget(kind: TargetKind | undefined): string | undefined {
    const { home } = world;
    if (kind === undefined) return undefined;
    const targets: Record<TargetKind, string> = {
      'open-opportunity': home.repDeals.open,
      'closed-opportunity': home.repDeals.closed,
      member: home.teammate.id,
      'refresh-token': randomUUID(),
    };
    return targets[kind];
  }

  const teammateTarget = (kind: TargetKind | undefined): string =>
    kind === 'closed-opportunity' ? world.home.teammateDeals.closed : world.home.teammateDeals.open;

  describe('the spec it is generated from', () => {
    it('leaves exactly sign-in, refresh, accepting an invitation and sign-up open without a token', () => {
      const open = operations.filter((operation) => !operation.authenticated).map((o) => o.operationId);
      expect(open.sort()).toEqual(PUBLIC_OPERATIONS);
    });

    it('has a valid request in the matrix for every operation that needs sign-in', () => {
      const problems = AUTHENTICATED.map(planOf).flatMap((plan) => ('problem' in plan ? [plan.problem] : []));
      expect(problems).toEqual([]);
    });

    it('has no request in the matrix for an operation the spec no longer has', () => {
      const known = new Set(AUTHENTICATED.map((operation) => operation.operationId));
      expect(Object.keys(RECIPES).filter((operationId) => !known.has(operationId))).toEqual([]);
    });

    it('asks for X-Tenant-ID on exactly the tenant-scoped routes of the contract', () => {
      const mismatched = AUTHENTICATED.filter((o) => o.tenantScoped !== TENANT_PATH.test(o.path)).map(
        titleOf,
      );
      expect(mismatched).toEqual([]);
    });
  });

  describe('the instruments of the matrix', () => {
    it('accepts a token signed the way the forgeries are but without a defect, so each 401 is about its defect', async () => {
      const response = await t
        .http()
        .get('/api/v1/auth/me')
        .set('Authorization', `Bearer ${genuineToken(world)}`);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: world.victim.admin.id });
    });

    it("finds every secret of the victim in the victim's own answers, so their absence elsewhere means something", async () => {
      const { victim } = world;
      const answers = await Promise.all(
        ['/api/v1/opportunities?status=all&scope=team', '/api/v1/memberships', '/api/v1/tenants/current'].map(
          (path) => t.http().get(path).set(t.headersFor(victim.tenant)),
        ),
      );
      const seen = answers.map((response) => response.text).join('\n');
      expect(world.victimSecrets.filter((secret) => !seen.includes(secret))).toEqual([]);
    });

    it("finds every secret of the teammate in the manager's team view", async () => {
      const { home } = world;
      const teamView = await t
        .http()
        .get('/api/v1/opportunities')
        .query({ status: 'all', scope: 'team' })
        .set(t.headersFor(home.tenant, home.members.manager));
      expect(world.teammateSecrets.filter((secret) => !teamView.text.includes(secret))).toEqual([]);
    });
  });

  describe.each(AUTHENTICATED.map((operation) => [titleOf(operation), operation] as const))(
    '%s',
    (_title, operation) => {
      const plan = planOf(operation);
      if ('problem' in plan) {
        it('is known to the matrix', () => {
          throw new Error(plan.problem);
        });
        return;
      }
      const { recipe, addressing } = plan;
      const targetsOpportunity = addressing === 'opportunity-path' || addressing === 'opportunity-bulk';
      const caller = leastPrivilegedOf(operation);

      const asVictim = (token: string | undefined): Sent =>
        requestOf(operation, recipe, {
          token,
          tenant: world.victim.tenant,
          target: victimTarget(recipe.target),
        });

      it(`answers ${recipe.status} to ${caller === 'admin' ? 'an' : 'a'} ${caller} of the tenant with a valid request (the positive control)`, async () => {
        const user = world.home.members[caller];
        const target = await freshTargetFor(recipe, user);
        const request = requestOf(operation, recipe, {
          token: user.token,
          tenant: world.home.tenant,
          target,
        });
        const response = await legitimately(() => send(t, request));
        expect({ status: response.status, body: response.body as unknown }).toMatchObject({
          status: recipe.status,
        });
        expect(response.status).toBeGreaterThanOrEqual(200);
        expect(response.status).toBeLessThan(300);
        expect(leakedBy(response, request, secretsHiddenFrom(caller))).toEqual([]);
      });

      it("answers 401 UNAUTHENTICATED without an access token, even with the victim's tenant and ids", async () => {
        const response = await attack(asVictim(undefined), world.victimSecrets);
        expectRefused(response, operation, 401, 'UNAUTHENTICATED');
        expect(response.body).toEqual({
          detail: 'Sign in first: the Authorization header needs a valid Bearer access token.',
          error_code: 'UNAUTHENTICATED',
        });
      });

      it("answers 401 UNAUTHENTICATED to an expired access token of the victim's admin", async () => {
        const response = await attack(asVictim(expiredToken(world)), world.victimSecrets);
        expectRefused(response, operation, 401, 'UNAUTHENTICATED');
      });

      it.each(FORGED_TOKENS)(
        'answers 401 UNAUTHENTICATED to an access token with %s',
        async (_forgery, forge) => {
          const response = await attack(asVictim(forge(world)), world.victimSecrets);
          expectRefused(response, operation, 401, 'UNAUTHENTICATED');
        },
      );

      if (operation.tenantScoped) {
        it("answers 403 TENANT_ACCESS_DENIED to a member of another tenant who sends the victim's X-Tenant-ID", async () => {
          const request = asVictim(world.home.members.admin.token);
          const response = await attack(request, world.victimSecrets);
          expectRefused(response, operation, 403, 'TENANT_ACCESS_DENIED');
          expect(response.body).toEqual({
            detail: `You are not a member of tenant ${world.victim.tenant}.`,
            error_code: 'TENANT_ACCESS_DENIED',
          });
        });

        it('answers 403 TENANT_ACCESS_DENIED for a tenant that does not exist, in the same words as for a foreign one', async () => {
          const token = world.home.members.admin.token;
          const foreign = await attack(asVictim(token), world.victimSecrets);
          const ghost = requestOf(operation, recipe, {
            token,
            tenant: world.ghostTenant,
            target: victimTarget(recipe.target),
          });
          const response = await attack(ghost, world.victimSecrets);
          expectRefused(response, operation, 403, 'TENANT_ACCESS_DENIED');
          expect(response.body).toEqual({
            ...(foreign.body as object),
            detail: (foreign.body as { detail: string }).detail.replace(
              world.victim.tenant,
              world.ghostTenant,
            ),
          });
        });
      }

      /** The same request, once at `foreign` and once at a target that does not exist: the answers must match. */
      async function foreignAndMissing(call: Omit<Call, 'target'>, foreign: string, secrets: string[]) {
        const missing = addressing === 'session' ? randomUUID().replaceAll('-', '') : randomUUID();
        const body = recipe.body?.(foreign);
        const foreignResponse = await attack(
          requestOf(operation, recipe, { ...call, body, target: foreign }),
          secrets,
        );
        const missingBody = body && (JSON.parse(JSON.stringify(body).replaceAll(foreign, missing)) as Body);
        const missingResponse = await attack(
          requestOf(operation, recipe, { ...call, body: missingBody, target: missing }),
          secrets,
        );
        expect(foreignResponse.status).toBe(missingResponse.status);
        expect(JSON.stringify(foreignResponse.body)).toBe(
          JSON.stringify(missingResponse.body).replaceAll(missing, foreign),
        );
        return foreignResponse;
      }

      function expectNotFound(response: Response, id: string): void {
        if (addressing === 'opportunity-bulk') {
          expect(response.status).toBe(207);
          expect(response.body).toEqual({
            succeeded: 0,
            failed: 1,
            results: [
              {
                id,
                status: 404,
                error: {
                  detail: 'Opportunity not found or access denied',
                  error_code: 'OPPORTUNITY_NOT_FOUND',
                },
              },
            ],
          });
        } else {
          const code = addressing === 'member-path' ? 'MEMBERSHIP_NOT_FOUND' : 'OPPORTUNITY_NOT_FOUND';
          expectRefused(response, operation, 404, code);
        }
      }

      if (addressing === 'session') {
        it("answers a sign-out with another tenant's refresh token exactly like an unknown one, and ends no session", async () => {
          const call = { token: world.home.members.admin.token, tenant: world.home.tenant };
          const response = await foreignAndMissing(call, world.victim.refreshToken, world.victimSecrets);
          expect(response.status).toBe(recipe.status);
        });
      } else if (addressing !== undefined) {
        const what =
          addressing === 'member-path'
            ? '404 MEMBERSHIP_NOT_FOUND for a member of another tenant, exactly like an unknown user id'
            : addressing === 'opportunity-bulk'
              ? "207 with a per-item 404 OPPORTUNITY_NOT_FOUND for another tenant's opportunity, exactly like a missing one"
              : "404 OPPORTUNITY_NOT_FOUND for another tenant's opportunity, exactly like a missing one";
        it(`answers ${what}, to an admin of the caller's own tenant`, async () => {
          const call = { token: world.home.members.admin.token, tenant: world.home.tenant };
          const foreign = victimTarget(recipe.target) ?? '';
          expectNotFound(await foreignAndMissing(call, foreign, world.victimSecrets), foreign);
        });
      }

      for (const role of ROLES.filter(
        (candidate) => operation.roles && !operation.roles.includes(candidate),
      )) {
        it(`answers 403 FORBIDDEN to a ${role}, who may not use it at all`, async () => {
          const request = requestOf(operation, recipe, {
            token: world.home.members[role].token,
            tenant: world.home.tenant,
            target: homeTarget(recipe.target),
          });
          expectRefused(await attack(request, secretsHiddenFrom(role)), operation, 403, 'FORBIDDEN');
        });
      }

      if (hasTeamScope(operation) && caller === 'rep') {
        it('answers 403 FORBIDDEN to a rep asking for the team view (scope=team)', async () => {
          const request = requestOf(operation, recipe, {
            token: world.home.members.rep.token,
            tenant: world.home.tenant,
            query: { scope: 'team' },
          });
          expectRefused(await attack(request, secretsHiddenFrom('rep')), operation, 403, 'FORBIDDEN');
        });

        it("answers 200 to a manager asking for the team view, the teammate's deals included", async () => {
          const request = requestOf(operation, recipe, {
            token: world.home.members.manager.token,
            tenant: world.home.tenant,
            query: { scope: 'team' },
          });
          const response = await legitimately(() => send(t, request));
          expect(response.status).toBe(200);
          expect(leakedBy(response, request, world.victimSecrets)).toEqual([]);
        });
      }

      if (namesOwner(operation) && caller === 'rep') {
        const withOwner = (target: string | undefined): Body => ({
          ...recipe.body?.(target ?? ''),
          owner_id: world.home.teammate.id,
        });

        it('answers 403 FORBIDDEN to a rep who names a teammate as owner_id, and changes nothing', async () => {
          const rep = world.home.members.rep;
          const target = homeTarget(recipe.target);
          const request = requestOf(operation, recipe, {
            token: rep.token,
            tenant: world.home.tenant,
            target,
            body: withOwner(target),
          });
          expectRefused(await attack(request, secretsHiddenFrom('rep')), operation, 403, 'FORBIDDEN');
        });

        it(`answers ${recipe.status} to a manager who names a teammate as owner_id`, async () => {
          const manager = world.home.members.manager;
          const target = await freshTargetFor(recipe, manager);
          const request = requestOf(operation, recipe, {
            token: manager.token,
            tenant: world.home.tenant,
            target,
            body: withOwner(target),
          });
          const response = await legitimately(() => send(t, request));
          expect({ status: response.status, body: response.body as unknown }).toMatchObject({
            status: recipe.status,
            body: { owner_id: world.home.teammate.id },
          });
        });
      }

      if (targetsOpportunity && caller === 'rep') {
        it("answers a rep reaching a teammate's opportunity exactly like a missing one (404 OPPORTUNITY_NOT_FOUND)", async () => {
          const call = { token: world.home.members.rep.token, tenant: world.home.tenant };
          const teammateDeal = teammateTarget(recipe.target);
          const response = await foreignAndMissing(call, teammateDeal, secretsHiddenFrom('rep'));
          expectNotFound(response, teammateDeal);
        });
      }
    },
  );

  // An access token lists the caller's memberships as of sign-in; what counts is the membership now.
  describe('an access token that outlives a membership', () => {
    // These tests change memberships: the next attack must read the state afresh.
    beforeEach(() => {
      undisturbed = undefined;
    });

    it('is refused the tenant at once when its member is removed, although it has not expired', async () => {
      const { tenant } = world.home;
      const leaver = await t.addMember(tenant, 'manager');
      await t.http().delete(`/api/v1/memberships/${leaver.id}`).set(t.headersFor(tenant)).expect(204);
      const response = await t.http().get('/api/v1/opportunities').set(t.headersFor(tenant, leaver));
      expect(response.status).toBe(403);
      expect(response.body).toEqual({
        detail: `You are not a member of tenant ${tenant}.`,
        error_code: 'TENANT_ACCESS_DENIED',
      });
    });

    it('loses the admin-only endpoints at once when its admin is made a rep', async () => {
      const { tenant } = world.home;
      const demoted = await t.addMember(tenant, 'admin');
      await t
        .http()
        .patch(`/api/v1/memberships/${demoted.id}`)
        .set(t.headersFor(tenant))
        .send({ role: 'rep' })
        .expect(200);
      const response = await t.http().get('/api/v1/audit').set(t.headersFor(tenant, demoted));
      expect(response.status).toBe(403);
      expect((response.body as { error_code: string }).error_code).toBe('FORBIDDEN');
    });
  });

  describe('after every attack', () => {
    it('leaves the victim tenant as it was: its deals with their versions and timelines, members, audit log and sessions', async () => {
      expect(await stateOf(t, [world.victim.tenant], { invitees: false })).toEqual(victimBefore);
      const deal = await t
        .http()
        .get(`/api/v1/opportunities/${world.victim.deals.open}`)
        .set(t.headersFor(world.victim.tenant));
      expect(deal.body).toMatchObject({ name: 'Initech Secret Merger', version: 2, stage: 'Negotiation' });
    });

    it("leaves the rep's and the teammate's deals and every fixture membership of the home tenant as they were", async () => {
      expect(await fixtureRows()).toEqual(fixturesBefore);
    });
  });
});
