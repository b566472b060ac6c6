import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ServerSpec {
  name: string;
  script: string;
  env: NodeJS.ProcessEnv;
  /** stdout and stderr go here, so the server's logging cost is real but the terminal stays readable. */
  logFile: string;
  nodeArgs?: string[];
  readyPath?: string;
  readyTimeoutMs?: number;
}

export interface ServerProcess {
  name: string;
  pid: number;
  origin: string;
  logFile: string;
  stop(): Promise<void>;
}

/** Every server started and not yet stopped, so that an error or Ctrl-C still stops them all. */
const running = new Set<ServerProcess>();

/** A port the kernel just handed out; free again by the time the server binds it (loopback, no contention). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts `node <script>` on a free port and waits until `readyPath` answers 200. */
export async function startServer(spec: ServerSpec): Promise<ServerProcess> {
  const port = await freePort();
  mkdirSync(dirname(spec.logFile), { recursive: true });
  const log = createWriteStream(spec.logFile, { flags: 'w' });
  await new Promise((resolve) => log.once('open', resolve));
  const child = spawn(process.execPath, [...(spec.nodeArgs ?? []), spec.script], {
    env: { ...spec.env, PORT: String(port) },
    stdio: ['ignore', log, log],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const server: ServerProcess = {
    name: spec.name,
    pid: child.pid ?? 0,
    origin: `http://127.0.0.1:${port}`,
    logFile: spec.logFile,
    stop: () => stopChild(server, child, exited),
  };
  running.add(server);
  try {
    await waitUntilReady(server, spec.readyPath ?? '/health/ready', spec.readyTimeoutMs ?? 60_000, exited);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

async function waitUntilReady(
  server: ServerProcess,
  path: string,
  timeoutMs: number,
  exited: Promise<number | null>,
): Promise<void> {
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      throw new Error(
        `${server.name} exited with code ${exitCode} before it was ready: see ${server.logFile}`,
      );
    }
    try {
      const response = await fetch(server.origin + path, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await sleep(200);
  }
  throw new Error(`${server.name} was not ready within ${timeoutMs} ms: see ${server.logFile}`);
}

/** SIGTERM lets the API drain and write its CPU profile; SIGKILL if it has not exited after 15 s. */
async function stopChild(
  server: ServerProcess,
  child: ChildProcess,
  exited: Promise<number | null>,
): Promise<void> {
  running.delete(server);
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timeout = sleep(15_000).then(() => 'timeout' as const);
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}

export async function stopAllServers(): Promise<void> {
  await Promise.all([...running].map((server) => server.stop()));
}

/** The resident set of a process in MB, from /proc (Linux); undefined when it cannot be read. */
export async function residentMb(pid: number): Promise<number | undefined> {
  try {
    const { readFile } = await import('node:fs/promises');
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Kernel clock ticks per second, the unit of /proc/<pid>/stat's CPU times (100 on nearly every Linux). */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU seconds (user + system) a process has used so far, from /proc (Linux). Divided by the requests of a run
 * it gives the server's CPU cost per request, which other load on the machine disturbs far less than
 * throughput or latency.
 */
export async function cpuSeconds(pid: number): Promise<number | undefined> {
  try {
    const { readFile } = await import('node:fs/promises');
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may itself contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS while it runs; `peak()` answers the largest value since the last `reset()`. */
export class RssSampler {
  private timer?: NodeJS.Timeout;
  private peakSinceReset = 0;
  private peakOverall = 0;

  constructor(
    private readonly pid: number,
    private readonly intervalMs = 250,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  reset(): void {
    this.peakSinceReset = 0;
  }

  async peak(): Promise<number> {
    await this.sample();
    return this.peakSinceReset;
  }

  get overall(): number {
    return this.peakOverall;
  }

  private async sample(): Promise<void> {
    const mb = await residentMb(this.pid);
    if (mb === undefined) return;
    this.peakSinceReset = Math.max(this.peakSinceReset, mb);
    this.peakOverall = Math.max(this.peakOverall, mb);
  }
}
