import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
/** The dashboard's production build, which nginx serves. */
export const DASHBOARD_BUILD = join(REPO_ROOT, 'dist/frontend/browser');

const BUILD_OUTPUTS = [
  'dist/backend/main.js',
  'dist/backend/bin/seed.js',
  'dist/frontend/browser/index.html',
];

/** The topology tests run the production builds; say how to make them when they are missing. */
export function requireBuild(): void {
  const missing = BUILD_OUTPUTS.filter((path) => !existsSync(join(REPO_ROOT, path)));
  if (missing.length > 0) {
    throw new Error(
      `The topology tests run the production builds, but ${missing.join(', ')} is missing. Build first:\n` +
        '  NX_DAEMON=false npx nx run-many -t build --projects=backend,frontend',
    );
  }
}
