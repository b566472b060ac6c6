import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { REPO_ROOT } from './build';

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/** One `node dist/backend/main.js`, as the production image runs it, with its log kept for the test. */
export interface ApiProcess {
  name: string;
  port: number;
  /** host:port, as nginx's upstream names it. */
  address: string;
  baseUrl: string;
  /** The ids of the requests this process logged (pino-http's `req.id`, which is the X-Request-ID it answered). */
  requestIds(): Set<string>;
  /** Every line the process wrote. */
  output(): string[];
  /** SIGTERM, as `docker stop` sends it; resolves with the exit code once the process has drained and exited. */
  stop(): Promise<number | null>;
}

export interface ApiOptions {
  name: string;
  databaseUrl: string;
  /** JWT_SECRET; leave it out when `environment` names JWT_SECRET_FILE instead. */
  jwtSecret?: string;
  /** More environment, over the defaults below (e.g. rate limits). */
  environment?: Record<string, string>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('Could not find a free port');
  return address.port;
}

function requestIdOf(line: string): string | undefined {
  try {
    const entry: unknown = JSON.parse(line);
    if (typeof entry !== 'object' || entry === null || !('req' in entry)) return undefined;
    const { req } = entry;
    return typeof req === 'object' && req !== null && 'id' in req && typeof req.id === 'string'
      ? req.id
      : undefined;
  } catch {
    return undefined;
  }
}

/** pino's numeric level: 50 error, 60 fatal; null for a line that is not pino's (a crash). */
function levelOf(line: string): number | null {
  try {
    const entry: unknown = JSON.parse(line);
    return typeof entry === 'object' && entry !== null && 'level' in entry && typeof entry.level === 'number'
      ? entry.level
      : null;
  } catch {
    return null;
  }
}

async function stopChild(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
  return child.exitCode;
}

/**
 * The API's production build on a free loopback port, configured as docker-compose.prod.yml configures it:
 * NODE_ENV=production, a JWT_SECRET, DATABASE_URL, TRUST_PROXY naming the proxy (loopback here), and no dashboard
 * of its own (nginx serves it). Resolves once /health/ready answers 200, so the migrations have run.
 */
export async function startApi({
  name,
  databaseUrl,
  jwtSecret,
  environment = {},
}: ApiOptions): Promise<ApiProcess> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [join(REPO_ROOT, 'dist/backend/main.js')], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      DB_POOL_SIZE: '5',
      ...(jwtSecret === undefined ? {} : { JWT_SECRET: jwtSecret }),
      TRUST_PROXY: 'loopback',
      LOG_LEVEL: 'info',
      DASHBOARD_DIR: join(REPO_ROOT, 'tmp', 'no-dashboard-behind-nginx'),
      ...environment,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const requestIds = new Set<string>();
  let partial = '';
  const collect = (chunk: Buffer) => {
    const text = partial + chunk.toString('utf8');
    const complete = text.split('\n');
    partial = complete.pop() ?? '';
    for (const line of complete.filter(Boolean)) {
      lines.push(line);
      const id = requestIdOf(line);
      if (id) requestIds.add(id);
      const level = levelOf(line);
      if (level === null || level >= 50) process.stderr.write(`[${name}] ${line}\n`);
    }
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`${name} exited with code ${child.exitCode} before it was ready:\n${lines.join('\n')}`);
    }
    const ready = await fetch(`${baseUrl}/health/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`${name} was not ready within ${READY_TIMEOUT_MS / 1000} s:\n${lines.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  return {
    name,
    port,
    address: `127.0.0.1:${port}`,
    baseUrl,
    requestIds: () => requestIds,
    output: () => lines,
    stop: () => stopChild(child),
  };
}

/**
 * Which of `processes` logged the request `id`: pino writes asynchronously, so a line may land a moment after
 * the answer. Undefined when none did within `timeoutMs`.
 */
export async function whoServed(
  processes: ApiProcess[],
  id: string,
  timeoutMs = 3_000,
): Promise<ApiProcess | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = processes.find((api) => api.requestIds().has(id));
    if (found || Date.now() > deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
