import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StartupError } from '../common/startup-error';
import type { Environment } from './config';

const SECRET_FILE = 'jwt-secret';

/**
 * The key that signs access tokens. Production must configure it (a generated key would differ per replica
 * and vanish with the container); a development install generates one on first start and keeps it next to
 * the embedded database, so sessions survive restarts.
 */
export function resolveJwtSecret(
  environment: Pick<Environment, 'JWT_SECRET' | 'NODE_ENV' | 'EMBEDDED_DB_DIR'>,
): { secret: string; generatedAt?: string } {
  if (environment.JWT_SECRET) return { secret: environment.JWT_SECRET };
  if (environment.NODE_ENV === 'production') {
    throw new StartupError(
      'JWT_SECRET is required when NODE_ENV=production: set it to at least 32 random characters ' +
        '(for example: openssl rand -base64 48).',
    );
  }
  const dir = resolve(environment.EMBEDDED_DB_DIR);
  const file = join(dir, SECRET_FILE);
  if (existsSync(file)) return { secret: readFileSync(file, 'utf8').trim() };
  mkdirSync(dir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return { secret, generatedAt: file };
}
