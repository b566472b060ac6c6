import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { CHROMIUM_PATH, MISSING_CHROMIUM } from './chromium';
import { createTestDatabase, redact, type TestDatabase } from './test-database';
import { seedDatabase, startServer, type TestServer } from './test-server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where NAT answers, e.g. http://127.0.0.1:41234 (no trailing slash). */
    baseUrl: string;
    /** The database behind it, for setting up tenants with SQL. */
    databaseUrl: string;
  }
}

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BUILD_OUTPUTS = [
  'dist/backend/main.js',
  'dist/backend/bin/seed.js',
  'dist/frontend/browser/index.html',
];

function requireBuild(): void {
  const missing = BUILD_OUTPUTS.filter((path) => !existsSync(join(REPO_ROOT, path)));
  if (missing.length > 0) {
    throw new Error(
      `The browser tests drive the production build, but ${missing.join(', ')} is missing. Build first:\n` +
        '  NX_DAEMON=false npx nx run-many -t build --projects=backend,frontend',
    );
  }
}

/** E2E_BASE_URL: a NAT that runs already (e.g. behind nginx), on the database E2E_DATABASE_URL. */
async function useRunningServer(project: TestProject, baseUrl: string): Promise<void> {
  const databaseUrl = process.env['E2E_DATABASE_URL'];
  if (!databaseUrl) {
    throw new Error('E2E_BASE_URL is set, so E2E_DATABASE_URL must name the database that server uses.');
  }
  const health = await fetch(new URL('/health', baseUrl)).catch((error: unknown) => error);
  if (!(health instanceof Response) || !health.ok) {
    throw new Error(`E2E_BASE_URL=${baseUrl} does not answer /health with 200.`);
  }
  project.provide('baseUrl', baseUrl.replace(/\/+$/, ''));
  project.provide('databaseUrl', databaseUrl);
}

/**
 * A fresh database, migrated and seeded with the demo tenants by the app's own seed command, and the built
 * server on a free port. The returned teardown stops the server and drops the database, whatever happened.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(MISSING_CHROMIUM);
  const runningServer = process.env['E2E_BASE_URL'];
  if (runningServer) {
    await useRunningServer(project, runningServer);
    return undefined;
  }

  requireBuild();
  const database: TestDatabase = await createTestDatabase(REPO_ROOT);
  let server: TestServer | undefined;
  const teardown = async () => {
    try {
      await server?.stop();
    } finally {
      await database.drop();
    }
  };
  try {
    await seedDatabase(REPO_ROOT, database.url);
    server = await startServer(REPO_ROOT, database.url);
  } catch (error) {
    await teardown();
    throw error;
  }
  console.log(`\nNAT e2e: ${server.baseUrl} on ${redact(database.url)}`);
  project.provide('baseUrl', server.baseUrl);
  project.provide('databaseUrl', database.url);
  return teardown;
}
