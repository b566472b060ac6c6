import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { natMallocEnv, natNodeOptions } from '../../src/config';
import { cpuSeconds, freePort } from '../../src/server-process';
import { call } from './http';

const REPO_ROOT = join(__dirname, '..', '..', '..');
const MAIN = join(REPO_ROOT, 'dist', 'backend', 'main.js');
export const LOG_DIR = join(REPO_ROOT, 'tmp', 'load');

/** A signing key as long as production requires (HS256, ≥ 32 characters). */
const JWT_SECRET = 'a load test signing key, long enough for HS256 in production';

/** One line of the API's JSON log, with the fields the suites read. */
export interface LogEntry {
  /** Epoch milliseconds. */
  time: number;
  msg: string;
  req?: { id: string; method: string; url: string };
  res?: { status_code: number };
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The production build of the API as a child process, as operators run it (`node dist/backend/main.js`). */
export class ApiProcess {
  /** Settles when the process ends, however it ends. */
  readonly exited: Promise<ProcessExit>;
  private exit?: ProcessExit;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly logFile: string,
  ) {
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      }),
    );
  }

  /** Starts the API on a free port against `databaseUrl` and waits until it answers /health/live. */
  static async start(name: string, databaseUrl: string): Promise<ApiProcess> {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npx nx run backend:build first`);
    mkdirSync(LOG_DIR, { recursive: true });
    const logFile = join(LOG_DIR, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
    const log = openSync(logFile, 'a');
    const port = await freePort();
    const child = spawn(process.execPath, [...natNodeOptions(), MAIN], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH,
        ...natMallocEnv(),
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        JWT_SECRET,
        // The production default, and what the shutdown suite reads: one line per request answered.
        LOG_LEVEL: 'info',
        RATE_LIMIT_LOGIN_PER_IP: '1000000',
        RATE_LIMIT_LOGIN_PER_ACCOUNT: '1000000',
        RATE_LIMIT_SIGNUP_PER_IP: '1000000',
      },
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    const api = new ApiProcess(child, port, logFile);
    await api.waitUntilLive();
    return api;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('the API process has no pid');
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.exit !== undefined;
  }

  /** CPU seconds the API process has used so far (user + system), from /proc; undefined elsewhere. */
  cpuSeconds(): Promise<number | undefined> {
    return cpuSeconds(this.pid);
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /**
   * The end of the API's log, to show with a failure: its last warnings and errors, then its last lines, each
   * cut short (at 500 requests/s the request lines alone would bury the rest).
   */
  logTail(problems = 30, lines = 10): string {
    const all = existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8').split('\n') : [];
    const short = (line: string) => (line.length > 400 ? `${line.slice(0, 400)}…` : line);
    const warnings = all.filter((line) => /"level":(40|50|60)/.test(line) || /^[^{]/.test(line));
    return [
      `warnings and errors (last ${problems} of ${warnings.length}):`,
      ...warnings.slice(-problems).map(short),
      `last ${lines} lines:`,
      ...all.slice(-lines - 1).map(short),
    ].join('\n');
  }

  /** The log lines that match `pattern`. */
  logLines(pattern: RegExp): string[] {
    return readFileSync(this.logFile, 'utf8')
      .split('\n')
      .filter((line) => pattern.test(line));
  }

  /** Every log entry, parsed (the API logs one JSON object a line). */
  logEntries(): LogEntry[] {
    return this.logLines(/^\{/).map((line) => JSON.parse(line) as LogEntry);
  }

  /** Waits until a log line matches `pattern` (true), or the process exits or `timeoutMs` passes (false). */
  async waitForLog(pattern: RegExp, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && !this.exit) {
      if (this.logLines(pattern).length > 0) return true;
      await sleep(2);
    }
    return this.logLines(pattern).length > 0;
  }

  /** SIGTERM, then SIGKILL if it has not ended within `graceMs`. */
  async stop(graceMs = 15_000): Promise<ProcessExit> {
    if (this.exit) return this.exit;
    this.child.kill('SIGTERM');
    const ended = await this.exitWithin(graceMs);
    if (ended) return ended;
    this.child.kill('SIGKILL');
    return this.exited;
  }

  /** The exit, or undefined if the process is still running after `ms`. */
  async exitWithin(ms: number): Promise<ProcessExit | undefined> {
    const timer = new AbortController();
    const late = sleep(ms, undefined, { signal: timer.signal }).catch(() => undefined);
    const ended = await Promise.race([this.exited, late]);
    timer.abort();
    return ended;
  }

  private async waitUntilLive(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exit) {
        throw new Error(`the API exited at start (${JSON.stringify(this.exit)}):\n${this.logTail()}`);
      }
      const answer = await call(this.origin, { method: 'GET', path: '/health/live', timeoutMs: 1000 }).catch(
        () => undefined,
      );
      if (answer?.status === 200) return;
      await sleep(100);
    }
    await this.stop();
    throw new Error(`the API did not answer /health/live within ${timeoutMs} ms:\n${this.logTail()}`);
  }
}
