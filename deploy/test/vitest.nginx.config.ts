import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import browserSuite from '../../frontend/e2e/vitest.config';

/**
 * The production topology on loopback (see nginx/global-setup.ts): the browser suite of frontend/e2e, run once
 * through nginx instead of against the API process, and the checks of nginx's own behaviour. Run from the
 * repository root after building backend and frontend: `npx vitest run --config deploy/test/vitest.nginx.config.ts`.
 */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    ...browserSuite.test,
    name: 'deploy:e2e-nginx',
    include: ['deploy/test/nginx/**/*.test.ts', 'frontend/e2e/**/*.e2e.ts'],
    // The README's pictures are taken by the direct run; a second set would only rewrite the same files.
    exclude: ['frontend/e2e/screenshots.e2e.ts'],
    globalSetup: ['deploy/test/nginx/global-setup.ts'],
  },
});
