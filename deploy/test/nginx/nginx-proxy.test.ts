import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Client } from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { DASHBOARD_BUILD } from '../support/build';
import { http } from '../support/http';

const IMMUTABLE = 'public, max-age=31536000, immutable';
/** A deep link of the dashboard: no such file, so nginx must answer with index.html. */
const DEEP_LINK = '/opportunities/0b8a3c36-6d4f-4b43-9f59-2f3c0b7e7a11';

const nginx = (path: string) => `${inject('baseUrl')}${path}`;
const indexHtml = readFileSync(join(DASHBOARD_BUILD, 'index.html'), 'utf8');
/** The hashed entry script that index.html names, e.g. main-Q6JSYPJL.js. */
const mainScript =
  /src="(main-[A-Z0-9]{8}\.js)"/.exec(indexHtml)?.[1] ?? 'main script not found in index.html';

async function authEventIps(email: string): Promise<string[]> {
  const client = new Client({ connectionString: inject('databaseUrl') });
  await client.connect();
  try {
    const { rows } = await client.query<{ ip: string }>(
      'SELECT ip FROM auth_events WHERE email = $1 ORDER BY at',
      [email],
    );
    return rows.map((row) => row.ip);
  } finally {
    await client.end();
  }
}

describe('nginx in front of NAT (deploy/nginx/nat.conf.template)', () => {
  describe('serves the dashboard', () => {
    it('answers / with index.html, revalidated on every use, with the security headers', async () => {
      const answer = await http(nginx('/'));
      expect(answer.status).toBe(200);
      expect(answer.header('content-type')).toMatch(/^text\/html/);
      expect(answer.text()).toBe(indexHtml);
      expect(answer.header('cache-control')).toBe('no-cache');
      expect(answer.header('content-security-policy')).toContain("default-src 'self'");
      expect(answer.header('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(answer.header('x-content-type-options')).toBe('nosniff');
      expect(answer.header('x-frame-options')).toBe('DENY');
      expect(answer.header('referrer-policy')).toBe('no-referrer');
      expect(answer.header('server')).toBe('nginx');
    });

    it('answers a deep link with index.html (SPA fallback), not cached either', async () => {
      const answer = await http(nginx(DEEP_LINK));
      expect(answer.status).toBe(200);
      expect(answer.text()).toBe(indexHtml);
      expect(answer.header('cache-control')).toBe('no-cache');
      expect(answer.header('content-security-policy')).toContain("script-src 'self'");
    });

    it('sends hashed scripts gzip-compressed and cacheable for a year', async () => {
      const answer = await http(nginx(`/${mainScript}`), { headers: { 'Accept-Encoding': 'gzip' } });
      expect(answer.status).toBe(200);
      expect(answer.header('content-type')).toMatch(/javascript/);
      expect(answer.header('content-encoding')).toBe('gzip');
      expect(answer.header('vary')).toMatch(/Accept-Encoding/i);
      expect(answer.header('cache-control')).toBe(IMMUTABLE);
      const original = readFileSync(join(DASHBOARD_BUILD, mainScript));
      expect(gunzipSync(answer.body).equals(original)).toBe(true);
      expect(answer.body.length).toBeLessThan(original.length / 2);
    });

    it('keeps hashed fonts for a year and unhashed files revalidated', async () => {
      const font = /url\("?(?:\.\/)?(media\/[^")]+\.woff2)/.exec(
        readFileSync(
          join(DASHBOARD_BUILD, /href="(styles-[A-Z0-9]{8}\.css)"/.exec(indexHtml)?.[1] ?? ''),
          'utf8',
        ),
      )?.[1];
      expect(font).toBeDefined();
      expect((await http(nginx(`/${font}`))).header('cache-control')).toBe(IMMUTABLE);
      const favicon = await http(nginx('/favicon.svg'));
      expect(favicon.status).toBe(200);
      expect(favicon.header('cache-control')).toBe('no-cache');
    });

    it('answers a missing script with 404, not with index.html', async () => {
      const answer = await http(nginx('/main-AAAAAAAA.js'));
      expect(answer.status).toBe(404);
      expect(answer.header('x-content-type-options')).toBe('nosniff');
    });
  });

  describe('passes the API through', () => {
    it("proxies /api with the API's own answer, headers and request id", async () => {
      const answer = await http(nginx('/api/v1/tenants'), { headers: { 'X-Request-ID': 'nginx-check-1' } });
      expect(answer.status).toBe(401);
      expect(answer.json()).toMatchObject({ error_code: 'UNAUTHENTICATED' });
      expect(answer.header('x-request-id')).toBe('nginx-check-1');
      // helmet's, set by the API: nginx adds none of its own to proxied answers.
      expect(answer.header('content-security-policy')).toContain("default-src 'self'");
      expect(answer.header('cache-control')).not.toBe(IMMUTABLE);
    });

    it('gives every proxied request an id when the client sent none', async () => {
      const answer = await http(nginx('/api/v1/tenants'));
      expect(answer.header('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
    });

    it('proxies /health, /health/live, /docs and /docs-json, and keeps /metrics private', async () => {
      const health = await http(nginx('/health'));
      expect(health.status).toBe(200);
      expect(health.json()).toMatchObject({ status: 'ok' });
      expect((await http(nginx('/health/live'))).status).toBe(200);
      const spec = await http(nginx('/docs-json'));
      expect(spec.status).toBe(200);
      expect(spec.json()).toHaveProperty('openapi');
      const docs = await http(nginx('/docs'));
      expect(docs.status).toBe(200);
      expect(docs.text()).toContain('swagger');
      expect((await http(nginx('/metrics'))).status).toBe(404);
      expect((await http(`${inject('apiUrl')}/metrics`)).status).toBe(200);
    });

    it("compresses the API's JSON", async () => {
      const answer = await http(nginx('/docs-json'), { headers: { 'Accept-Encoding': 'gzip' } });
      expect(answer.header('content-encoding')).toBe('gzip');
      expect(JSON.parse(gunzipSync(answer.body).toString('utf8'))).toHaveProperty('paths');
    });
  });

  describe('tells the API who the client is', () => {
    it("passes the client's address in X-Forwarded-For, and the API records it (not nginx's)", async () => {
      const email = `nobody-${Date.now()}@nginx-check.test`;
      const answer = await http(nginx('/api/v1/auth/login'), {
        method: 'POST',
        from: '127.0.0.5',
        body: { email, password: 'not-the-password' },
      });
      expect(answer.status).toBe(401);
      expect(await authEventIps(email)).toEqual(['127.0.0.5']);
    });

    it('ignores an X-Forwarded-For that the client made up', async () => {
      const email = `spoofer-${Date.now()}@nginx-check.test`;
      await http(nginx('/api/v1/auth/login'), {
        method: 'POST',
        from: '127.0.0.6',
        headers: { 'X-Forwarded-For': '203.0.113.9' },
        body: { email, password: 'not-the-password' },
      });
      expect(await authEventIps(email)).toEqual(['127.0.0.6']);
    });

    it('passes the scheme in X-Forwarded-Proto: over plain HTTP the refresh cookie is not Secure, whatever the client claims', async () => {
      const answer = await http(nginx('/api/v1/auth/login'), {
        method: 'POST',
        headers: { 'X-Forwarded-Proto': 'https' },
        body: { email: 'rep@demo-tenant-1.test', password: 'demo-password', cookie: true },
      });
      expect(answer.status).toBe(200);
      const cookie = answer.header('set-cookie');
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).not.toMatch(/;\s*Secure/i);
    });
  });
});
