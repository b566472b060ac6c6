import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Browser end-to-end tests: the production build of NAT (backend serving the dashboard) on a fresh PostgreSQL
 * database, driven through Chromium with playwright-core. Run from the repository root:
 * `npx vitest run --config frontend/e2e/vitest.config.ts` (after building backend and frontend).
 */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    name: 'frontend:e2e',
    environment: 'node',
    include: ['frontend/e2e/**/*.e2e.ts'],
    globalSetup: ['frontend/e2e/support/global-setup.ts'],
    // One Chromium at a time: the machines that run this have few cores, and timing-sensitive UI waits
    // are more reliable without a second browser competing for them.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    expect: { requireAssertions: true, poll: { timeout: 10_000, interval: 100 } },
  },
});
