import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { dashboard } from './dashboard.middleware';

function appServing(dir: string): express.Express {
  const app = express();
  app.use(...dashboard(dir));
  app.use((_request, response) => response.status(404).json({ detail: 'No route', error_code: 'NOT_FOUND' }));
  return app;
}

describe('serving the dashboard', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nat-dashboard-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>NAT</title>');
  writeFileSync(join(dir, 'main-MR3FJYQ3.js'), 'console.log(1)');
  writeFileSync(join(dir, 'favicon.svg'), '<svg/>');
  mkdirSync(join(dir, 'media'));
  writeFileSync(join(dir, 'media', 'roboto.woff2'), 'font');
  const app = appServing(dir);

  it.each(['/', '/upcoming', '/opportunities/123e4567-e89b-12d3-a456-426614174000'])(
    'answers %s with index.html, never cached, so deep links survive a reload',
    async (path) => {
      const response = await request(app).get(path);
      expect(response.status).toBe(200);
      expect(response.text).toContain('<title>NAT</title>');
      expect(response.headers['cache-control']).toBe('no-cache');
    },
  );

  it('caches hashed assets for a year', async () => {
    for (const path of ['/main-MR3FJYQ3.js', '/media/roboto.woff2']) {
      const response = await request(app).get(path);
      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
    expect((await request(app).get('/favicon.svg')).headers['cache-control']).toBe('no-cache');
  });

  it.each(['/api/v1/nope', '/api', '/docs/nope', '/docs-json', '/health/nope', '/metrics'])(
    'leaves %s to the API, which answers with the JSON error envelope',
    async (path) => {
      const response = await request(app).get(path);
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ detail: 'No route', error_code: 'NOT_FOUND' });
    },
  );

  it('does not answer other methods with the page', async () => {
    const response = await request(app).post('/upcoming');
    expect(response.status).toBe(404);
    expect(response.body.error_code).toBe('NOT_FOUND');
  });
});
