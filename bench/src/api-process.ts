import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { natMallocEnv, type BenchConfig } from './config';
import { DUE_SQL_ENV, type DueStatements } from './due-query';
import { startServer, type ServerProcess } from './server-process';

export const PROFILE_DIR = join('tmp', 'prof');

/**
 * The production build of the API, started the way `make start` starts it against a PostgreSQL server.
 * Sign-in limits are raised: the bench signs in before every run, all from 127.0.0.1.
 */
export function startApi(config: BenchConfig): Promise<ServerProcess> {
  const nodeArgs = [...config.apiNodeOptions];
  if (config.cpuProfile) {
    const directory = join(config.root, PROFILE_DIR);
    mkdirSync(directory, { recursive: true });
    nodeArgs.push('--cpu-prof', '--cpu-prof-dir', directory);
  }
  return startServer({
    name: 'NAT API',
    script: join(config.root, 'dist', 'backend', 'main.js'),
    nodeArgs,
    logFile: join(config.root, 'tmp', 'bench', 'api.log'),
    env: {
      ...process.env,
      ...natMallocEnv(),
      DATABASE_URL: config.databaseUrl,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      JWT_SECRET: randomBytes(32).toString('base64url'),
      LOG_LEVEL: config.logLevel,
      DB_POOL_SIZE: String(config.poolSize),
      RATE_LIMIT_LOGIN_PER_IP: '1000000',
      RATE_LIMIT_LOGIN_PER_ACCOUNT: '1000000',
    },
  });
}

/** The minimal node:http + pg server, with the API's pool size and due statements, as its own process. */
export function startBaseline(config: BenchConfig, statements: DueStatements): Promise<ServerProcess> {
  return startServer({
    name: 'baseline',
    script: join(config.root, 'dist', 'bench', 'baseline-server.js'),
    logFile: join(config.root, 'tmp', 'bench', 'baseline.log'),
    env: {
      ...process.env,
      DATABASE_URL: config.databaseUrl,
      DB_POOL_SIZE: String(config.poolSize),
      NODE_ENV: 'production',
      [DUE_SQL_ENV.first]: statements.first,
      [DUE_SQL_ENV.later]: statements.later,
    },
  });
}
