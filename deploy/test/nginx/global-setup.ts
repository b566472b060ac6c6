import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { CHROMIUM_PATH, MISSING_CHROMIUM } from '../../../frontend/e2e/support/chromium';
import { createTestDatabase, redact } from '../../../frontend/e2e/support/test-database';
import { seedDatabase } from '../../../frontend/e2e/support/test-server';
import { type ApiProcess, startApi } from '../support/api-process';
import { REPO_ROOT, requireBuild } from '../support/build';
import { type Nginx, startNginx } from '../support/nginx';

declare module 'vitest' {
  export interface ProvidedContext {
    /** nginx: where the browser tests and the nginx checks go. */
    baseUrl: string;
    /** The database behind the API. */
    databaseUrl: string;
    /** The API process itself, behind nginx (for comparing the two). */
    apiUrl: string;
  }
}

/**
 * The production topology without containers, for the browser suite of frontend/e2e and the nginx checks: a fresh
 * database (set up by database/init, migrated and seeded by the app's own seed command), the API's production
 * build with no dashboard of its own, and nginx in front of it with the image's configuration, serving the
 * dashboard's production build. Everything stops, and the database is dropped, whatever happened.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(MISSING_CHROMIUM);
  requireBuild();
  const database = await createTestDatabase(REPO_ROOT);
  let api: ApiProcess | undefined;
  let nginx: Nginx | undefined;
  const teardown = async () => {
    try {
      await nginx?.stop();
      await api?.stop();
    } finally {
      await database.drop();
    }
  };
  try {
    await seedDatabase(REPO_ROOT, database.url);
    api = await startApi({
      name: 'nat api',
      databaseUrl: database.url,
      jwtSecret: randomBytes(32).toString('hex'),
      environment: {
        LOG_LEVEL: 'warn',
        // The browser tests sign up teams and sign people in, all from this one machine: never limit them.
        RATE_LIMIT_LOGIN_PER_IP: '1000000',
        RATE_LIMIT_LOGIN_PER_ACCOUNT: '1000000',
        RATE_LIMIT_SIGNUP_PER_IP: '1000000',
      },
    });
    nginx = await startNginx({ upstreams: [api.address] });
  } catch (error) {
    await teardown();
    throw error;
  }
  console.log(`\nNAT behind nginx: ${nginx.baseUrl} → ${api.baseUrl} on ${redact(database.url)}`);
  project.provide('baseUrl', nginx.baseUrl);
  project.provide('databaseUrl', database.url);
  project.provide('apiUrl', api.baseUrl);
  return teardown;
}
