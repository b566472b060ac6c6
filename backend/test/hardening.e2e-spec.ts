import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { createTestApp, TEST_PASSWORD, type TestApp } from './support/test-app';

const NOW = '2026-07-15T12:00:00.000Z';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ALLOWED_ORIGIN = 'https://dashboard.example';
const EVIL_ORIGIN = 'https://evil.example';

/** What helmet, as NAT configures it, puts on every response, pages and API alike. */
function expectSecurityHeaders(response: Response): void {
  expect(response.get('X-Content-Type-Options')).toBe('nosniff');
  expect(response.get('X-Frame-Options')).toBe('SAMEORIGIN');
  expect(response.get('Referrer-Policy')).toBe('no-referrer');
  expect(response.get('Strict-Transport-Security')).toMatch(/^max-age=\d+/);
  expect(response.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
  const policy = response.get('Content-Security-Policy') ?? '';
  for (const directive of [
    "default-src 'self'",
    "script-src 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ]) {
    expect(policy).toContain(directive);
  }
  expect(response.get('X-Powered-By')).toBeUndefined();
}

/** The envelope and nothing else: no stack frames, no SQL, no driver or ORM names. */
function expectPlainEnvelope(response: Response): void {
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  expect(response.get('Content-Type')).toMatch(/^application\/json/);
  const { detail, error_code, errors, ...rest } = response.body as Record<string, unknown>;
  expect(rest).toEqual({});
  expect(typeof detail).toBe('string');
  expect(error_code).toMatch(/^[A-Z_]+$/);
  expect(errors === undefined || Array.isArray(errors)).toBe(true);
  expect(response.text).not.toMatch(/\n\s*at |\bat .*\(.*:\d+:\d+\)|node_modules|\.[jt]s:\d+/);
  expect(response.text).not.toMatch(
    /QueryFailedError|TypeORM|duplicate key|violates|constraint|\bSELECT\b|\bINSERT\b/i,
  );
}

describe('HTTP hardening', () => {
  let t: TestApp;
  let tenant: string;

  beforeAll(async () => {
    t = await createTestApp(NOW);
    tenant = await t.createTenant();
  });
  afterAll(() => t.close());

  describe('security headers', () => {
    it('are on API answers, successful or not', async () => {
      expectSecurityHeaders(await t.http().get('/api/v1/tenants/current').set(t.headersFor(tenant)));
      expectSecurityHeaders(await t.http().get('/api/v1/tenants/current'));
      expectSecurityHeaders(
        await t.http().post('/api/v1/auth/login').send({ email: 'x@example.test', password: 'x' }),
      );
      expectSecurityHeaders(await t.http().get('/api/v1/no-such-route'));
      expectSecurityHeaders(await t.http().get('/health'));
    });

    it('are on the API documentation, whose page loads no inline script the policy would block', async () => {
      const page = await t.http().get('/docs/');
      expect(page.status).toBe(200);
      expect(page.get('Content-Type')).toMatch(/^text\/html/);
      expectSecurityHeaders(page);
      const scripts = [...page.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attributes, body] of scripts) {
        expect(attributes).toMatch(/\bsrc="(\.\/|\/)/);
        expect(body.trim()).toBe('');
      }
      expectSecurityHeaders(await t.http().get('/docs-json'));
    });

    it('do not leak the server software', async () => {
      const response = await t.http().get('/api/v1/tenants/current').set(t.headersFor(tenant));
      expect(response.get('X-Powered-By')).toBeUndefined();
      expect(response.get('Server')).toBeUndefined();
    });
  });

  describe('X-Request-ID', () => {
    it("echoes the caller's id, so a request can be followed through the logs", async () => {
      const id = `req-${randomUUID()}`;
      for (const response of [
        await t.http().get('/api/v1/tenants/current').set(t.headersFor(tenant)).set('X-Request-ID', id),
        await t.http().get('/api/v1/tenants/current').set('X-Request-ID', id),
        await t.http().get('/health').set('X-Request-ID', id),
      ]) {
        expect(response.get('X-Request-ID')).toBe(id);
      }
    });

    it('makes one up when the caller sends none', async () => {
      const first = await t.http().get('/api/v1/tenants/current').set(t.headersFor(tenant));
      const second = await t.http().get('/api/v1/tenants/current').set(t.headersFor(tenant));
      expect(first.get('X-Request-ID')).toMatch(UUID);
      expect(second.get('X-Request-ID')).toMatch(UUID);
      expect(first.get('X-Request-ID')).not.toBe(second.get('X-Request-ID'));
    });

    it.each([
      ['too long', 'x'.repeat(129)],
      ['with spaces', 'two words'],
      ['with markup', '<script>alert(1)</script>'],
    ])('replaces an id %s with one of its own', async (_case, id) => {
      const response = await t
        .http()
        .get('/api/v1/tenants/current')
        .set(t.headersFor(tenant))
        .set('X-Request-ID', id);
      expect(response.get('X-Request-ID')).toMatch(UUID);
    });
  });

  describe('CORS', () => {
    const preflight = (app: TestApp, origin: string) =>
      app
        .http()
        .options('/api/v1/opportunities')
        .set('Origin', origin)
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'authorization,content-type,x-tenant-id');

    it('allows no other origin by default: no Access-Control-Allow-Origin, to a preflight or a request', async () => {
      const answer = await preflight(t, EVIL_ORIGIN);
      expect(answer.get('Access-Control-Allow-Origin')).toBeUndefined();
      const request = await t
        .http()
        .get('/api/v1/tenants/current')
        .set(t.headersFor(tenant))
        .set('Origin', EVIL_ORIGIN);
      expect(request.get('Access-Control-Allow-Origin')).toBeUndefined();
    });

    describe('with an allowed origin configured', () => {
      let cors: TestApp;

      beforeAll(async () => {
        cors = await createTestApp(NOW, {}, { corsOrigins: [ALLOWED_ORIGIN] });
      });
      afterAll(() => cors.close());

      it('answers its preflight with the methods, headers and credentials the dashboard needs', async () => {
        const answer = await preflight(cors, ALLOWED_ORIGIN);
        expect(answer.status).toBe(204);
        expect(answer.get('Access-Control-Allow-Origin')).toBe(ALLOWED_ORIGIN);
        expect(answer.get('Access-Control-Allow-Credentials')).toBe('true');
        expect(answer.get('Access-Control-Allow-Methods')).toContain('POST');
        expect(answer.get('Access-Control-Allow-Headers')?.toLowerCase().split(',')).toEqual(
          expect.arrayContaining(['authorization', 'content-type', 'x-tenant-id', 'x-request-id']),
        );
        expect(answer.get('Access-Control-Max-Age')).toBe('600');
        expect(answer.get('Vary')).toContain('Origin');
      });

      it('lets the allowed origin read the paging, rate-limit and request id headers', async () => {
        const response = await cors
          .http()
          .get('/api/v1/tenants/current')
          .set(t.headersFor(tenant))
          .set('Origin', ALLOWED_ORIGIN);
        expect(response.status).toBe(200);
        expect(response.get('Access-Control-Allow-Origin')).toBe(ALLOWED_ORIGIN);
        expect(response.get('Access-Control-Expose-Headers')?.split(',')).toEqual(
          expect.arrayContaining(['Link', 'Retry-After', 'X-Request-ID']),
        );
      });

      it('still answers any other origin without Access-Control-Allow-Origin', async () => {
        const answer = await preflight(cors, EVIL_ORIGIN);
        expect(answer.get('Access-Control-Allow-Origin')).toBeUndefined();
        const lookalike = await preflight(cors, `${ALLOWED_ORIGIN}.evil.example`);
        expect(lookalike.get('Access-Control-Allow-Origin')).toBeUndefined();
      });
    });
  });

  describe('request bodies', () => {
    const huge = JSON.stringify({ email: 'someone@example.test', password: 'x'.repeat(101 * 1024) });

    it.each(['/api/v1/auth/login', '/api/v1/signup', '/api/v1/auth/invitation', '/api/v1/memberships'])(
      'refuses a JSON body over 100 kB on %s with 413 and the envelope',
      async (path) => {
        const response = await t
          .http()
          .post(path)
          .set(t.headersFor(tenant))
          .set('Content-Type', 'application/json')
          .send(huge);
        expect(response.status).toBe(413);
        expect(response.body).toEqual({
          detail: 'The request body is larger than 100 kB.',
          error_code: 'PAYLOAD_TOO_LARGE',
        });
      },
    );
  });

  describe('requests Node refuses before the app sees them', () => {
    it('answers a URL over 16 kB with 431 and the envelope, not a bare status line', async () => {
      const response = await t
        .http()
        .get('/api/v1/opportunities/due')
        .query({ q: 'x'.repeat(20 * 1024) })
        .set(t.headersFor(tenant));
      expect(response.status).toBe(431);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.body).toEqual({
        detail: 'The URL or the headers are too large (16 kB at most).',
        error_code: 'HEADERS_TOO_LARGE',
      });
    });
  });

  describe('error bodies', () => {
    it('never carry a stack trace, SQL or internal names, whatever went wrong', async () => {
      const admin = t.headersFor(tenant);
      const { email } = t.ownerOf(tenant);
      const signup = {
        tenant_name: 'Hardening Team',
        timezone: 'UTC',
        currency: 'USD',
        name: 'Harden',
        password: TEST_PASSWORD,
      };
      const responses: Response[] = [
        // Unique violations in PostgreSQL, answered as domain errors.
        await t
          .http()
          .post('/api/v1/signup')
          .send({ ...signup, email }),
        await t
          .http()
          .post('/api/v1/signup')
          .send({ ...signup, email: `${randomUUID()}@example.test`, tenant_id: tenant }),
        await t.http().post('/api/v1/memberships').set(admin).send({ email, role: 'rep' }),
        // Parser, validation and routing failures.
        await t.http().post('/api/v1/auth/login').set('Content-Type', 'application/json').send('{"email": '),
        await t.http().post('/api/v1/auth/login').set('Content-Type', 'text/plain').send('email=x'),
        await t.http().post('/api/v1/auth/login').send({ email: "' OR 1=1 --", password: 'x' }),
        await t.http().get('/api/v1/opportunities/not-a-uuid').set(admin),
        await t.http().get('/api/v1/opportunities').set(admin).query({ cursor: 'not a cursor' }),
        await t
          .http()
          .get('/api/v1/audit')
          .set(admin)
          .query({ cursor: Buffer.from('{"x":1}').toString('base64url') }),
        await t.http().get('/api/v1/opportunities').set(admin).query({ limit: 'all' }),
        await t.http().get('/api/v1/no-such-route'),
        await t.http().delete('/api/v1/auth/login'),
        // Sign-in, tenant and role checks.
        await t.http().get('/api/v1/auth/me').set('Authorization', 'Bearer a.b.c'),
        await t
          .http()
          .get('/api/v1/opportunities')
          .set({ ...admin, 'X-Tenant-ID': "x'; DROP TABLE tenants; --" }),
        await t
          .http()
          .get('/api/v1/opportunities')
          .set({ ...admin, 'X-Tenant-ID': 'not-my-tenant' }),
        await t.http().post('/api/v1/auth/refresh').send({ refresh_token: "'; SELECT 1; --" }),
        await t.http().post('/api/v1/auth/invitation').send({ token: "' OR ''='", password: TEST_PASSWORD }),
        await t.http().patch(`/api/v1/memberships/${randomUUID()}`).set(admin).send({ role: 'rep' }),
      ];
      for (const response of responses) expectPlainEnvelope(response);
      expect(new Set(responses.map((response) => response.status))).toEqual(
        new Set([400, 401, 403, 404, 409, 415]),
      );
    });
  });
});
