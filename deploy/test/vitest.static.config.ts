import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Checks of the compose files, Dockerfiles and nginx template that need no Docker engine and no server. */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    name: 'deploy:test',
    environment: 'node',
    include: ['deploy/test/static/**/*.test.ts'],
  },
});
