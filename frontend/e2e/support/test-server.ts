import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const HEALTH_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
/** Lines of server output kept to explain a failed start. */
const KEPT_LINES = 40;

export interface TestServer {
  baseUrl: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('Could not find a free port');
  return address.port;
}

/** Migrates the database and adds the demo tenants with the production seed command. */
export async function seedDatabase(repoRoot: string, databaseUrl: string): Promise<void> {
  try {
    await promisify(execFile)(process.execPath, [join(repoRoot, 'dist/backend/bin/seed.js')], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
    });
  } catch (error) {
    const output = error instanceof Error && 'stderr' in error ? String(error.stderr) : String(error);
    throw new Error(`dist/backend/bin/seed.js failed:\n${output}`);
  }
}

/** Resolves when /health answers 200; rejects when the server exits first or the time is up. */
async function waitForHealth(baseUrl: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`The server exited with code ${child.exitCode} before it was healthy:\n${output()}`);
    }
    try {
      const response = await fetch(`${baseUrl}/health`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${baseUrl}/health did not answer 200 within ${HEALTH_TIMEOUT_MS / 1000} s:\n${output()}`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** pino's level of a JSON log line: 40 warn, 50 error, 60 fatal; null for anything else. */
function logLevel(line: string): number | null {
  try {
    const parsed: unknown = JSON.parse(line);
    return typeof parsed === 'object' &&
      parsed !== null &&
      'level' in parsed &&
      typeof parsed.level === 'number'
      ? parsed.level
      : null;
  } catch {
    return null;
  }
}

/** Errors and unstructured output (crashes); warnings are mostly the 4xx the tests provoke on purpose. */
function worthShowing(line: string): boolean {
  const level = logLevel(line);
  return level === null || level >= 50;
}

/** `node dist/backend/main.js` on a free port; its errors are passed on to this terminal. */
export async function startServer(repoRoot: string, databaseUrl: string): Promise<TestServer> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [join(repoRoot, 'dist/backend/main.js')], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      JWT_SECRET: randomBytes(32).toString('hex'),
      // Every test signs up a team and signs people in, all from this one address: never rate limit them.
      RATE_LIMIT_LOGIN_PER_IP: '1000000',
      RATE_LIMIT_LOGIN_PER_ACCOUNT: '1000000',
      RATE_LIMIT_SIGNUP_PER_IP: '1000000',
      SIGNUP_ENABLED: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      lines.push(line);
      if (lines.length > KEPT_LINES) lines.shift();
      if (worthShowing(line)) process.stderr.write(`[nat server] ${line}\n`);
    }
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  try {
    await waitForHealth(baseUrl, child, () => lines.join('\n'));
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
  return { baseUrl, stop: () => stopProcess(child) };
}
