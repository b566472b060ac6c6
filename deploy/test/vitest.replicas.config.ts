import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Two API processes behind nginx on loopback: `npx vitest run --config deploy/test/vitest.replicas.config.ts`. */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    name: 'deploy:e2e-replicas',
    environment: 'node',
    include: ['deploy/test/replicas/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
