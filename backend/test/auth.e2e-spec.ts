import { createHash, randomInt, randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import { JwtService } from '@nestjs/jwt';
import type { Response } from 'supertest';
import type { SessionDto } from '../src/auth/dto/session.dto';
import type { ErrorEnvelope } from './support/api';
import { createTestApp, TEST_JWT_SECRET, TEST_PASSWORD, type TestApp } from './support/test-app';

const NOW = '2026-07-15T12:00:00.000Z';
const AUTH = '/api/v1/auth';
const NEW_PASSWORD = 'a brand new passphrase';

const INVALID_CREDENTIALS = { detail: 'Email or password is incorrect.', error_code: 'INVALID_CREDENTIALS' };
const REFRESH_REFUSED = {
  detail: 'The refresh token is invalid, expired or revoked: sign in again.',
  error_code: 'UNAUTHENTICATED',
};
const INVITATION_INVALID = {
  detail: 'This invitation is unknown, used or expired: ask an admin of the team for a new one.',
  error_code: 'INVITATION_INVALID',
};

type Body = Record<string, unknown>;

/**
 * Rate limits count per client address in a table every test file shares, and every other file signs in
 * from 127.0.0.1: requests that must be counted on their own come from an address of their own (Linux
 * routes all of 127.0.0.0/8 to the loopback interface).
 */
const addressBase = randomInt(2, 250);
let addressCount = 0;
function freshAddress(): string {
  addressCount += 1;
  return `127.${addressBase}.${Math.floor(addressCount / 250)}.${(addressCount % 250) + 1}`;
}

function sessionOf(response: Response): SessionDto & { refresh_token: string } {
  expect(response.status).toBe(200);
  return response.body as SessionDto & { refresh_token: string };
}

/** The `nat_refresh` Set-Cookie line of a response, or undefined. */
function refreshCookieLine(response: Response): string | undefined {
  const header = response.headers['set-cookie'] as string[] | string | undefined;
  const lines = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return lines.find((line) => line.startsWith('nat_refresh='));
}

function refreshCookieValue(response: Response): string {
  const line = refreshCookieLine(response);
  if (!line) throw new Error(`no nat_refresh cookie in ${JSON.stringify(response.headers)}`);
  return decodeURIComponent(line.slice('nat_refresh='.length).split(';')[0]);
}

function cookieHeader(refreshToken: string | undefined): Record<string, string> {
  return refreshToken === undefined ? {} : { Cookie: `nat_refresh=${refreshToken}` };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

describe('sign-in and sessions', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(NOW);
  });
  beforeEach(() => t.clock.set(NOW));
  afterAll(() => t.close());

  const login = (body: Body, headers: Record<string, string> = {}) =>
    t.http().post(`${AUTH}/login`).set(headers).send(body);
  const refresh = (body: Body, cookie?: string) =>
    t.http().post(`${AUTH}/refresh`).set(cookieHeader(cookie)).send(body);
  const me = (accessToken: string) =>
    t.http().get(`${AUTH}/me`).set('Authorization', `Bearer ${accessToken}`);

  /** A member of a fresh tenant, with an email nobody else uses. */
  async function newUser(): Promise<{ tenant: string; email: string; id: string }> {
    const tenant = await t.createTenant();
    const { email, id } = t.ownerOf(tenant);
    return { tenant, email, id };
  }

  describe('signing in', () => {
    it('answers a Bearer session with the user and every tenant they belong to', async () => {
      const beta = await t.createTenant({ name: 'Beta Team' });
      const alpha = await t.createTenant({ name: 'Alpha Team' });
      const user = t.ownerOf(beta);
      await t.addMember(alpha, 'rep', { email: user.email });

      const session = sessionOf(await login({ email: user.email, password: TEST_PASSWORD }));

      expect(session).toEqual({
        access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        token_type: 'Bearer',
        expires_in: 900,
        refresh_token: expect.stringMatching(/^[\w-]{43}$/),
        user: {
          id: user.id,
          email: user.email,
          name: 'Test admin',
          timezone: 'UTC',
          memberships: [
            { tenant_id: alpha, tenant_name: 'Alpha Team', role: 'rep' },
            { tenant_id: beta, tenant_name: 'Beta Team', role: 'admin' },
          ],
        },
      });
      expect(refreshCookieLine(await login({ email: user.email, password: TEST_PASSWORD }))).toBeUndefined();
    });

    it('sets the refresh token only as an httpOnly, SameSite=Strict cookie when the client asks for one', async () => {
      const { email } = await newUser();
      const response = await login({ email, password: TEST_PASSWORD, cookie: true });

      expect(response.status).toBe(200);
      expect(response.body).not.toHaveProperty('refresh_token');
      expect(response.body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
      const line = refreshCookieLine(response) ?? '';
      const attributes = line.split('; ').slice(1);
      expect(attributes).toEqual(
        expect.arrayContaining(['Path=/api/v1/auth', 'HttpOnly', 'SameSite=Strict', 'Max-Age=2592000']),
      );
      expect(refreshCookieValue(response)).toMatch(/^[\w-]{43}$/);
    });

    it('tells caches never to store an answer that carries tokens', async () => {
      const { email } = await newUser();
      const signedIn = await login({ email, password: TEST_PASSWORD });
      const refreshed = await refresh({ refresh_token: signedIn.body.refresh_token });
      const signedUp = await t
        .http()
        .post('/api/v1/signup')
        .send({
          tenant_name: 'Cache Team',
          timezone: 'UTC',
          currency: 'USD',
          name: 'Cache',
          email: `cache-${randomUUID()}@example.test`,
          password: TEST_PASSWORD,
        });
      for (const response of [signedIn, refreshed, signedUp]) {
        expect(response.status).toBeLessThan(300);
        expect(response.get('Cache-Control')).toBe('no-store');
      }
    });

    it('gives a wrong password and an unknown email the same 401 answer', async () => {
      const { email } = await newUser();
      const wrongPassword = await login({ email, password: 'not the password' });
      const unknownEmail = await login({ email: `nobody-${randomUUID()}@example.test`, password: 'x' });

      for (const response of [wrongPassword, unknownEmail]) {
        expect(response.status).toBe(401);
        expect(response.body).toEqual(INVALID_CREDENTIALS);
        expect(refreshCookieLine(response)).toBeUndefined();
      }
      expect(Object.keys(wrongPassword.headers).sort()).toEqual(Object.keys(unknownEmail.headers).sort());
    });

    it('takes about as long to refuse an unknown email as a wrong password', async () => {
      // Created through sign-up, so the password is hashed exactly as the API hashes every password.
      const email = `timing-${randomUUID()}@example.test`;
      const signup = await t.http().post('/api/v1/signup').send({
        tenant_name: 'Timing Team',
        timezone: 'UTC',
        currency: 'USD',
        name: 'Tim Ing',
        email,
        password: TEST_PASSWORD,
      });
      expect(signup.status).toBe(201);

      const timed = async (body: Body): Promise<number> => {
        const started = process.hrtime.bigint();
        const response = await login(body);
        expect(response.status).toBe(401);
        return Number(process.hrtime.bigint() - started) / 1e6;
      };
      const wrong: number[] = [];
      const unknown: number[] = [];
      for (let round = 0; round < 5; round += 1) {
        wrong.push(await timed({ email, password: `wrong password ${round}` }));
        unknown.push(await timed({ email: `nobody-${randomUUID()}@example.test`, password: 'x' }));
      }

      const [fast, slow] = [median(wrong), median(unknown)].sort((a, b) => a - b);
      expect(slow / fast).toBeLessThan(3);
    });

    it('records failed sign-ins in auth_events, unknown emails included, with the request id', async () => {
      const { email, id } = await newUser();
      const unknown = `Nobody-${randomUUID()}@Example.test`;
      const requestIds = [`auth-${randomUUID()}`, `auth-${randomUUID()}`];
      await login({ email: unknown, password: 'x' }, { 'X-Request-ID': requestIds[0] }).expect(401);
      await login({ email, password: 'wrong password' }, { 'X-Request-ID': requestIds[1] }).expect(401);

      const events = await t.dataSource.query<Body[]>(
        `SELECT event, email, user_id, ip, request_id FROM auth_events
          WHERE request_id = ANY($1) ORDER BY at, request_id = $2 DESC`,
        [requestIds, requestIds[0]],
      );
      expect(events).toEqual([
        {
          event: 'sign_in_failed',
          email: unknown.toLowerCase(),
          user_id: null,
          ip: expect.stringContaining('127.0.0.1'),
          request_id: requestIds[0],
        },
        {
          event: 'sign_in_failed',
          email,
          user_id: id,
          ip: expect.stringContaining('127.0.0.1'),
          request_id: requestIds[1],
        },
      ]);
    });

    it('accepts the email in any letter case', async () => {
      const { email, id } = await newUser();
      const session = sessionOf(await login({ email: email.toUpperCase(), password: TEST_PASSWORD }));
      expect(session.user.id).toBe(id);
    });

    it('answers 400 VALIDATION_ERROR, not 401, for a sign-in without a password', async () => {
      const response = await login({ email: 'someone@example.test' });
      expect(response.status).toBe(400);
      expect(response.body.error_code).toBe('VALIDATION_ERROR');
      expect((response.body as ErrorEnvelope).errors?.map((error) => error.field)).toEqual(['password']);
    });
  });

  describe('the access token', () => {
    it('opens GET /auth/me, which describes the signed-in user', async () => {
      const { email } = await newUser();
      const session = sessionOf(await login({ email, password: TEST_PASSWORD }));
      const response = await me(session.access_token);
      expect(response.status).toBe(200);
      expect(response.body).toEqual(session.user);
    });

    it('answers 401 UNAUTHENTICATED without one', async () => {
      const response = await t.http().get(`${AUTH}/me`);
      expect(response.status).toBe(401);
      expect(response.body).toEqual({
        detail: 'Sign in first: the Authorization header needs a valid Bearer access token.',
        error_code: 'UNAUTHENTICATED',
      });
    });

    it('answers 401 and says so when it has expired', async () => {
      const { id } = await newUser();
      const nowSeconds = Math.floor(Date.now() / 1000);
      const expired = new JwtService({ secret: TEST_JWT_SECRET }).sign(
        { sub: id, memberships: [], iat: nowSeconds - 1000, exp: nowSeconds - 100 },
        { issuer: 'nat', audience: 'nat-api' },
      );
      const response = await me(expired);
      expect(response.status).toBe(401);
      expect(response.body).toEqual({
        detail: 'The access token has expired: refresh it (POST /api/v1/auth/refresh) or sign in again.',
        error_code: 'UNAUTHENTICATED',
      });
    });

    it('answers 401 for a token signed with another key', async () => {
      const { id } = await newUser();
      const forged = new JwtService({ secret: 'some other key that is long enough for HS256' }).sign(
        { sub: id, memberships: [] },
        { issuer: 'nat', audience: 'nat-api', expiresIn: 900 },
      );
      const response = await me(forged);
      expect(response.status).toBe(401);
      expect(response.body).toEqual({
        detail: 'The access token is invalid: sign in again.',
        error_code: 'UNAUTHENTICATED',
      });
    });
  });

  describe('refreshing', () => {
    it('trades a refresh token for a new session, and refuses the spent one afterwards', async () => {
      const { email, id } = await newUser();
      const first = sessionOf(await login({ email, password: TEST_PASSWORD }));

      const second = sessionOf(await refresh({ refresh_token: first.refresh_token }));
      expect(second).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 900,
        refresh_token: expect.stringMatching(/^[\w-]{43}$/),
        user: first.user,
      });
      expect(second.refresh_token).not.toBe(first.refresh_token);
      expect((await me(second.access_token)).body.id).toBe(id);

      const spent = await refresh({ refresh_token: first.refresh_token });
      expect(spent.status).toBe(401);
      expect(spent.body).toEqual(REFRESH_REFUSED);
    });

    it('ends the whole session when a spent refresh token comes back, so the newest one stops working too', async () => {
      const { email, id } = await newUser();
      const stolen = sessionOf(await login({ email, password: TEST_PASSWORD })).refresh_token;
      const other = sessionOf(await login({ email, password: TEST_PASSWORD })).refresh_token;
      const newest = sessionOf(await refresh({ refresh_token: stolen })).refresh_token;

      expect((await refresh({ refresh_token: stolen })).status).toBe(401);
      const afterReuse = await refresh({ refresh_token: newest });
      expect(afterReuse.status).toBe(401);
      expect(afterReuse.body).toEqual(REFRESH_REFUSED);

      const family = await t.dataSource.query<{ revoked: boolean }[]>(
        `SELECT revoked_at IS NOT NULL AS revoked FROM refresh_tokens
          WHERE user_id = $1 AND family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $2)`,
        [id, createHash('sha256').update(stolen).digest()],
      );
      expect(family).toEqual([{ revoked: true }, { revoked: true }]);
      // Another sign-in of the same user is another session, and lives on.
      expect((await refresh({ refresh_token: other })).status).toBe(200);
    });

    it('refreshes from the cookie and answers with the next token as the cookie again', async () => {
      const { email } = await newUser();
      const first = refreshCookieValue(await login({ email, password: TEST_PASSWORD, cookie: true }));

      const response = await refresh({}, first);
      expect(response.status).toBe(200);
      expect(response.body).not.toHaveProperty('refresh_token');
      expect(response.body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
      const next = refreshCookieValue(response);
      expect(next).not.toBe(first);
      expect(refreshCookieLine(response)).toContain('HttpOnly');

      expect((await refresh({}, next)).status).toBe(200);
    });

    it('answers 401 UNAUTHENTICATED without a refresh token', async () => {
      const response = await refresh({});
      expect(response.status).toBe(401);
      expect(response.body).toEqual({
        detail:
          'No refresh token: send refresh_token in the body, or the nat_refresh cookie, or sign in again.',
        error_code: 'UNAUTHENTICATED',
      });
    });

    it('answers 401 for an unknown refresh token', async () => {
      const response = await refresh({ refresh_token: 'x'.repeat(43) });
      expect(response.status).toBe(401);
      expect(response.body).toEqual(REFRESH_REFUSED);
    });

    it('refuses a refresh token after its 30 days', async () => {
      const { email } = await newUser();
      const { refresh_token } = sessionOf(await login({ email, password: TEST_PASSWORD }));
      t.clock.set(new Date(new Date(NOW).getTime() + 30 * 86_400_000 + 1000));
      const response = await refresh({ refresh_token });
      expect(response.status).toBe(401);
      expect(response.body).toEqual(REFRESH_REFUSED);
    });
  });

  describe('signing out', () => {
    it('revokes the refresh token of the cookie and clears the cookie', async () => {
      const { email } = await newUser();
      const signedIn = await login({ email, password: TEST_PASSWORD, cookie: true });
      const cookie = refreshCookieValue(signedIn);

      const response = await t
        .http()
        .post(`${AUTH}/logout`)
        .set('Authorization', `Bearer ${signedIn.body.access_token}`)
        .set('Cookie', `nat_refresh=${cookie}`)
        .send({});

      expect(response.status).toBe(204);
      const cleared = refreshCookieLine(response) ?? '';
      expect(cleared).toMatch(/^nat_refresh=;/);
      expect(cleared).toContain('Path=/api/v1/auth');
      expect(cleared).toContain('Expires=Thu, 01 Jan 1970 00:00:00 GMT');
      const afterwards = await refresh({}, cookie);
      expect(afterwards.status).toBe(401);
      expect(afterwards.body).toEqual(REFRESH_REFUSED);
    });

    it('revokes a refresh token sent in the body', async () => {
      const { email } = await newUser();
      const session = sessionOf(await login({ email, password: TEST_PASSWORD }));
      await t
        .http()
        .post(`${AUTH}/logout`)
        .set('Authorization', `Bearer ${session.access_token}`)
        .send({ refresh_token: session.refresh_token })
        .expect(204);
      expect((await refresh({ refresh_token: session.refresh_token })).status).toBe(401);
    });

    it("cannot revoke another user's session", async () => {
      const victim = await newUser();
      const attacker = await newUser();
      const session = sessionOf(await login({ email: victim.email, password: TEST_PASSWORD }));
      await t
        .http()
        .post(`${AUTH}/logout`)
        .set('Authorization', `Bearer ${t.ownerOf(attacker.tenant).token}`)
        .send({ refresh_token: session.refresh_token })
        .expect(204);
      expect((await refresh({ refresh_token: session.refresh_token })).status).toBe(200);
    });
  });

  describe('changing the password', () => {
    const changePassword = (accessToken: string, body: Body, cookie?: string) =>
      t
        .http()
        .post(`${AUTH}/password`)
        .set({ Authorization: `Bearer ${accessToken}`, ...cookieHeader(cookie) })
        .send(body);

    it('refuses a wrong current password with a field error, and keeps the old one', async () => {
      const { email } = await newUser();
      const session = sessionOf(await login({ email, password: TEST_PASSWORD }));
      const response = await changePassword(session.access_token, {
        current_password: 'not my password',
        new_password: NEW_PASSWORD,
      });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        detail: 'The request is invalid: see errors for each field.',
        error_code: 'VALIDATION_ERROR',
        errors: [{ field: 'current_password', message: 'current_password is incorrect' }],
      });
      expect((await login({ email, password: TEST_PASSWORD })).status).toBe(200);
      expect((await refresh({ refresh_token: session.refresh_token })).status).toBe(200);
    });

    it('refuses a new password shorter than 10 characters', async () => {
      const { email } = await newUser();
      const session = sessionOf(await login({ email, password: TEST_PASSWORD }));
      const response = await changePassword(session.access_token, {
        current_password: TEST_PASSWORD,
        new_password: 'too short',
      });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([
        { field: 'new_password', message: 'new_password must be 10 to 200 characters long' },
      ]);
    });

    it('switches to the new password and signs out every other session, but not the one that asked', async () => {
      const { email } = await newUser();
      const asking = await login({ email, password: TEST_PASSWORD, cookie: true });
      const askingCookie = refreshCookieValue(asking);
      const otherBrowser = refreshCookieValue(await login({ email, password: TEST_PASSWORD, cookie: true }));
      const apiClient = sessionOf(await login({ email, password: TEST_PASSWORD })).refresh_token;

      const response = await changePassword(
        asking.body.access_token,
        { current_password: TEST_PASSWORD, new_password: NEW_PASSWORD },
        askingCookie,
      );

      expect(response.status).toBe(204);
      expect(await login({ email, password: TEST_PASSWORD })).toMatchObject({
        status: 401,
        body: INVALID_CREDENTIALS,
      });
      expect((await login({ email, password: NEW_PASSWORD })).status).toBe(200);
      expect((await refresh({}, otherBrowser)).status).toBe(401);
      expect((await refresh({ refresh_token: apiClient })).status).toBe(401);
      expect((await refresh({}, askingCookie)).status).toBe(200);
    });
  });

  describe('rate limits', () => {
    let limited: TestApp;
    let otherProcess: TestApp;

    beforeAll(async () => {
      limited = await createTestApp(NOW, { loginPerIp: 3, loginPerAccount: 2 });
      otherProcess = await createTestApp(NOW, { loginPerIp: 3, loginPerAccount: 2 });
    });
    afterAll(async () => {
      await limited.close();
      await otherProcess.close();
    });

    const loginAt = (app: TestApp, address: string, body: Body) =>
      app
        .http()
        .post(`${AUTH}/login`)
        .agent(new Agent({ localAddress: address }))
        .send(body);

    function expectTooManyRequests(response: Response, what: string, window: number): void {
      expect(response.status).toBe(429);
      expect(response.body).toEqual({
        detail: expect.stringMatching(new RegExp(`^Too many ${what}: try again in \\d+ seconds\\.$`)),
        error_code: 'TOO_MANY_REQUESTS',
      });
      const retryAfter = response.get('Retry-After') ?? '';
      expect(retryAfter).toMatch(/^\d+$/);
      expect(Number(retryAfter)).toBeGreaterThan(0);
      expect(Number(retryAfter)).toBeLessThanOrEqual(window);
      expect(response.body.detail).toContain(`in ${retryAfter} seconds`);
    }

    it('answers 429 with Retry-After once an account has failed twice, from whatever address, right password or not', async () => {
      const { email } = await newUser();
      expect((await loginAt(limited, freshAddress(), { email, password: 'wrong 1' })).status).toBe(401);
      expect((await loginAt(limited, freshAddress(), { email, password: 'wrong 2' })).status).toBe(401);

      const response = await loginAt(limited, freshAddress(), { email, password: TEST_PASSWORD });

      expectTooManyRequests(response, 'failed sign-ins for this account', 900);
      const rows = await t.dataSource.query<{ points: number }[]>(
        `SELECT points FROM rate_limits WHERE key = $1`,
        [`login_account:${email}`],
      );
      expect(rows).toEqual([{ points: 2 }]);
    });

    it('counts only failures per account: a successful sign-in starts the count again', async () => {
      const { email } = await newUser();
      const statuses: number[] = [];
      for (const password of ['wrong 1', TEST_PASSWORD, 'wrong 2', TEST_PASSWORD, 'wrong 3', 'wrong 4']) {
        statuses.push((await loginAt(limited, freshAddress(), { email, password })).status);
      }
      expect(statuses).toEqual([401, 200, 401, 200, 401, 401]);
      expect((await loginAt(limited, freshAddress(), { email, password: TEST_PASSWORD })).status).toBe(429);
    });

    it('counts every attempt per address, successful ones included, whichever the account', async () => {
      const [first, second] = [await newUser(), await newUser()];
      const address = freshAddress();
      const statuses: number[] = [];
      for (const password of [TEST_PASSWORD, 'wrong password', TEST_PASSWORD]) {
        statuses.push((await loginAt(limited, address, { email: first.email, password })).status);
      }
      expect(statuses).toEqual([200, 401, 200]);

      const response = await loginAt(limited, address, { email: second.email, password: TEST_PASSWORD });
      expectTooManyRequests(response, 'sign-in attempts from this address', 900);
      const elsewhere = await loginAt(limited, freshAddress(), {
        email: second.email,
        password: TEST_PASSWORD,
      });
      expect(elsewhere.status).toBe(200);
    });

    it('records a throttled sign-in in auth_events', async () => {
      const { email } = await newUser();
      await loginAt(limited, freshAddress(), { email, password: 'wrong 1' }).expect(401);
      await loginAt(limited, freshAddress(), { email, password: 'wrong 2' }).expect(401);
      const requestId = `throttled-${randomUUID()}`;
      await loginAt(limited, freshAddress(), { email, password: TEST_PASSWORD })
        .set('X-Request-ID', requestId)
        .expect(429);
      const events = await t.dataSource.query<Body[]>(
        `SELECT event, email FROM auth_events WHERE request_id = $1`,
        [requestId],
      );
      expect(events).toEqual([{ event: 'sign_in_throttled', email }]);
    });

    it('shares the counts between API processes through PostgreSQL', async () => {
      const { email } = await newUser();
      await loginAt(limited, freshAddress(), { email, password: 'wrong 1' }).expect(401);
      await loginAt(limited, freshAddress(), { email, password: 'wrong 2' }).expect(401);
      const account = await loginAt(otherProcess, freshAddress(), { email, password: TEST_PASSWORD });
      expectTooManyRequests(account, 'failed sign-ins for this account', 900);

      const address = freshAddress();
      const other = await newUser();
      for (let attempt = 0; attempt < 3; attempt += 1) {
        await loginAt(limited, address, { email: other.email, password: TEST_PASSWORD }).expect(200);
      }
      const fromAddress = await loginAt(otherProcess, address, {
        email: other.email,
        password: TEST_PASSWORD,
      });
      expectTooManyRequests(fromAddress, 'sign-in attempts from this address', 900);
    });
  });

  describe('signing up', () => {
    const signup = (overrides: Body = {}, app: TestApp = t) =>
      app
        .http()
        .post('/api/v1/signup')
        .send({
          tenant_name: 'Acme Sales',
          timezone: 'Europe/Berlin',
          currency: 'EUR',
          name: 'Dana Admin',
          email: `dana-${randomUUID()}@acme.example`,
          password: TEST_PASSWORD,
          ...overrides,
        });
    const freshTenantId = () => `acme-${randomUUID().slice(0, 8)}`;

    it('creates the tenant and its first admin, signed in', async () => {
      const tenantId = freshTenantId();
      const email = `dana-${randomUUID()}@acme.example`;
      const response = await signup({ tenant_id: tenantId, email: email.toUpperCase() });

      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 900,
        refresh_token: expect.any(String),
        user: {
          id: expect.any(String),
          email,
          name: 'Dana Admin',
          timezone: 'Europe/Berlin',
          memberships: [{ tenant_id: tenantId, tenant_name: 'Acme Sales', role: 'admin' }],
        },
      });
      const current = await t
        .http()
        .get('/api/v1/tenants/current')
        .set({ Authorization: `Bearer ${response.body.access_token}`, 'X-Tenant-ID': tenantId });
      expect(current.body).toEqual({
        id: tenantId,
        name: 'Acme Sales',
        timezone: 'Europe/Berlin',
        currency: 'EUR',
        role: 'admin',
      });
      expect((await login({ email, password: TEST_PASSWORD })).status).toBe(200);
    });

    it('derives the tenant id from the name when none is given', async () => {
      const response = await signup({ tenant_name: 'Ünïcode Sales, Inc.' });
      expect(response.status).toBe(201);
      const [membership] = response.body.user.memberships;
      expect(membership.tenant_id).toMatch(/^unicode-sales-inc-[0-9a-f]{4}$/);
      const rows = await t.dataSource.query(`SELECT name FROM tenants WHERE id = $1`, [membership.tenant_id]);
      expect(rows).toEqual([{ name: 'Ünïcode Sales, Inc.' }]);
    });

    it('answers 409 TENANT_ID_TAKEN for a tenant id in use, and creates no account', async () => {
      const tenantId = freshTenantId();
      await signup({ tenant_id: tenantId }).expect(201);
      const email = `late-${randomUUID()}@acme.example`;
      const response = await signup({ tenant_id: tenantId, email });
      expect(response.status).toBe(409);
      expect(response.body).toEqual({
        detail: `The tenant id ${tenantId} is taken: choose another.`,
        error_code: 'TENANT_ID_TAKEN',
      });
      expect(await t.dataSource.query(`SELECT 1 FROM users WHERE email = $1`, [email])).toEqual([]);
    });

    it('answers 409 EMAIL_TAKEN for an email with an account, whatever its case, and creates no tenant', async () => {
      const { email } = await newUser();
      const tenantId = freshTenantId();
      const response = await signup({ tenant_id: tenantId, email: email.toUpperCase() });
      expect(response.status).toBe(409);
      expect(response.body).toEqual({
        detail: 'An account with this email exists: sign in, and ask an admin of the new team to add you.',
        error_code: 'EMAIL_TAKEN',
      });
      expect(await t.dataSource.query(`SELECT 1 FROM tenants WHERE id = $1`, [tenantId])).toEqual([]);
    });

    it('answers 403 SIGNUP_DISABLED when the installation closed sign-up', async () => {
      const closed = await createTestApp(NOW, { signupEnabled: false });
      try {
        const tenantId = freshTenantId();
        const response = await signup({ tenant_id: tenantId }, closed);
        expect(response.status).toBe(403);
        expect(response.body).toEqual({
          detail: 'Sign-up is closed on this installation: ask an administrator for an invitation.',
          error_code: 'SIGNUP_DISABLED',
        });
        expect(await t.dataSource.query(`SELECT 1 FROM tenants WHERE id = $1`, [tenantId])).toEqual([]);
      } finally {
        await closed.close();
      }
    });

    it('answers 429 with Retry-After to too many sign-ups from one address', async () => {
      const limited = await createTestApp(NOW, { signupPerIp: 2 });
      try {
        const address = freshAddress();
        const signupAt = () =>
          limited
            .http()
            .post('/api/v1/signup')
            .agent(new Agent({ localAddress: address }))
            .send({
              tenant_name: 'Busy Sales',
              timezone: 'UTC',
              currency: 'USD',
              name: 'Busy',
              email: `busy-${randomUUID()}@example.test`,
              password: TEST_PASSWORD,
            });
        expect((await signupAt()).status).toBe(201);
        expect((await signupAt()).status).toBe(201);
        const response = await signupAt();
        expect(response.status).toBe(429);
        expect(response.body).toEqual({
          detail: expect.stringMatching(/^Too many sign-ups from this address: try again in \d+ seconds\.$/),
          error_code: 'TOO_MANY_REQUESTS',
        });
        expect(Number(response.get('Retry-After'))).toBeGreaterThan(0);
        expect(Number(response.get('Retry-After'))).toBeLessThanOrEqual(3600);
      } finally {
        await limited.close();
      }
    });
  });

  describe('invitations', () => {
    /** An admin adds an email without an account: the invited user and the one-time token. */
    async function invite(): Promise<{ tenant: string; email: string; token: string; expiresAt: string }> {
      const tenant = await t.createTenant({ name: 'Inviting Team' });
      const email = `invited-${randomUUID()}@example.test`;
      const response = await t
        .http()
        .post('/api/v1/memberships')
        .set(t.headersFor(tenant))
        .send({ email, role: 'rep', name: 'Ivy Invited' });
      expect(response.status).toBe(201);
      return {
        tenant,
        email,
        token: response.body.invitation.token,
        expiresAt: response.body.invitation.expires_at,
      };
    }
    const accept = (body: Body) => t.http().post(`${AUTH}/invitation`).send(body);

    it('answers the admin with a one-time token valid for 7 days, and the invited member cannot sign in yet', async () => {
      const { email, token, expiresAt } = await invite();
      expect(token).toMatch(/^[\w-]{43}$/);
      const validFor = new Date(expiresAt).getTime() - Date.now();
      expect(Math.abs(validFor - 7 * 86_400_000)).toBeLessThan(60_000);
      expect((await login({ email, password: TEST_PASSWORD })).body).toEqual(INVALID_CREDENTIALS);
    });

    it('sets the password and signs the invited member in', async () => {
      const { tenant, email, token } = await invite();
      const accepted = await accept({ token, password: NEW_PASSWORD });
      expect(accepted.get('Cache-Control')).toBe('no-store');
      const session = sessionOf(accepted);

      expect(session).toMatchObject({
        token_type: 'Bearer',
        refresh_token: expect.any(String),
        user: {
          email,
          name: 'Ivy Invited',
          memberships: [{ tenant_id: tenant, tenant_name: 'Inviting Team', role: 'rep' }],
        },
      });
      expect((await login({ email, password: NEW_PASSWORD })).status).toBe(200);
      const members = await t.http().get('/api/v1/memberships').set(t.headersFor(tenant));
      expect(members.body).toContainEqual(expect.objectContaining({ email, status: 'active', role: 'rep' }));
    });

    it('signs in with the refresh token as a cookie when asked', async () => {
      const { token } = await invite();
      const response = await accept({ token, password: NEW_PASSWORD, cookie: true });
      expect(response.status).toBe(200);
      expect(response.body).not.toHaveProperty('refresh_token');
      expect(refreshCookieValue(response)).toMatch(/^[\w-]{43}$/);
    });

    it('accepts a token only once', async () => {
      const { email, token } = await invite();
      await accept({ token, password: NEW_PASSWORD }).expect(200);
      const again = await accept({ token, password: 'an attacker password' });
      expect(again.status).toBe(400);
      expect(again.body).toEqual(INVITATION_INVALID);
      expect((await login({ email, password: NEW_PASSWORD })).status).toBe(200);
    });

    it('refuses an expired invitation', async () => {
      const { tenant, email, token } = await invite();
      // The expiry is checked by PostgreSQL (the lookup runs before any tenant is known), against its own
      // now(): the invitation is aged in the database, not by moving the test clock.
      await t.dataSource.query(
        `UPDATE invitations SET expires_at = now() - interval '1 second'
          WHERE tenant_id = $1 AND user_id = (SELECT id FROM users WHERE email = $2)`,
        [tenant, email],
      );
      const response = await accept({ token, password: NEW_PASSWORD });
      expect(response.status).toBe(400);
      expect(response.body).toEqual(INVITATION_INVALID);
      expect((await login({ email, password: NEW_PASSWORD })).status).toBe(401);
    });

    it('refuses an unknown token and records the attempt', async () => {
      const requestId = `invitation-${randomUUID()}`;
      const response = await accept({ token: 'y'.repeat(43), password: NEW_PASSWORD }).set(
        'X-Request-ID',
        requestId,
      );
      expect(response.status).toBe(400);
      expect(response.body).toEqual(INVITATION_INVALID);
      const events = await t.dataSource.query(`SELECT event FROM auth_events WHERE request_id = $1`, [
        requestId,
      ]);
      expect(events).toEqual([{ event: 'invitation_rejected' }]);
    });
  });
});
