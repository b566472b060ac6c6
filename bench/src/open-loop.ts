import { Agent, request as httpRequest } from 'node:http';
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';

/** One request of a paced run. */
export interface PacedRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** How one request ended: its HTTP status, or 0 with the network error's code when there was no answer. */
export interface PacedOutcome {
  index: number;
  status: number;
  error?: string;
  /** From the moment the request was due to be sent (not when a socket was free) to the last byte. */
  latencyMs: number;
  body: string;
}

export interface PacedRunOptions {
  /** `http://host:port`, loopback in our runs. */
  origin: string;
  /** Requests per second, sent evenly: one every 1/rate seconds, whatever the answers. */
  rate: number;
  durationSeconds: number;
  /** Keep-alive sockets; a request due while all are busy waits, and the wait counts in its latency. */
  connections: number;
  /** The i-th request (0-based). */
  request: (index: number) => PacedRequest;
  /** Called as each request ends, e.g. to remember what a completion acknowledged (the body is kept only then). */
  onOutcome?: (outcome: PacedOutcome) => void;
  /** A request with no answer after this long counts as an error (`ETIMEDOUT`). */
  timeoutMs?: number;
  /** Stop scheduling new requests when this answers true (e.g. the target is shutting down). */
  shouldStop?: () => boolean;
}

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface PacedRunResult extends LatencySummary {
  sent: number;
  /** Requests answered with a status below 400. */
  ok: number;
  /** Answers of 400 or above, and requests with no answer. */
  errors: number;
  byStatus: Record<string, number>;
  /** Requests answered per second over the run, from the first send to the last answer. */
  achievedRate: number;
  /** The load generator's own stalls during the run, which land in every latency it measures. */
  generator: GeneratorStalls;
}

/** How long the generating process itself was held up: a latency figure is no better than this. */
export interface GeneratorStalls {
  /** Event-loop delay beyond its sampling timer's interval, p99 and max, in ms. */
  loopDelayP99: number;
  loopDelayMax: number;
  /** Garbage-collection pauses of the generating process: total and longest, in ms. */
  gcTotal: number;
  gcMax: number;
}

/** How often the event-loop delay is sampled: each sample is this interval plus the delay. */
const LOOP_SAMPLE_MS = 10;

/** Starts watching this process's event loop and collector; `stop()` answers what they cost during the watch. */
function watchGenerator(): { stop(): GeneratorStalls } {
  const loop = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS });
  let gcTotal = 0;
  let gcMax = 0;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcTotal += entry.duration;
      gcMax = Math.max(gcMax, entry.duration);
    }
  });
  loop.enable();
  gc.observe({ entryTypes: ['gc'] });
  return {
    stop() {
      loop.disable();
      gc.disconnect();
      const ms = (nanoseconds: number) => Math.max(0, nanoseconds / 1e6 - LOOP_SAMPLE_MS);
      return { loopDelayP99: ms(loop.percentile(99)), loopDelayMax: ms(loop.max), gcTotal, gcMax };
    },
  };
}

/** Nearest-rank percentile of ascending `sorted` values; 0 for none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function summarize(latenciesMs: readonly number[]): LatencySummary {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? 0,
  };
}

/**
 * An open-loop load generator: request i is due at start + i/rate, and is sent then whether or not earlier ones
 * were answered, so a slow server is measured as users feel it (no coordinated omission). autocannon's
 * `overallRate` instead sends each second's quota in a burst across its connections, which by itself adds
 * hundreds of milliseconds at p99 to a fast server.
 */
export async function runPaced(options: PacedRunOptions): Promise<PacedRunResult> {
  const { origin, rate, durationSeconds, connections, timeoutMs = 10_000 } = options;
  const url = new URL(origin);
  // `timeout` also makes the agent honour the server's `Keep-Alive: timeout=…` hint: without it, a socket the
  // server is just closing can be reused and the request on it reset (ECONNRESET) when the client is busy.
  const agent = new Agent({
    keepAlive: true,
    maxSockets: connections,
    maxFreeSockets: connections,
    timeout: timeoutMs,
  });
  const total = Math.max(1, Math.floor(rate * durationSeconds));
  const latencies: number[] = [];
  const byStatus: Record<string, number> = {};
  let ok = 0;
  let errors = 0;
  let lastAnswerAt = 0;
  const pending = new Set<Promise<void>>();

  const send = (index: number, dueAt: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const spec = options.request(index);
      const headers: Record<string, string> = { ...spec.headers };
      if (spec.body !== undefined) {
        headers['content-type'] ??= 'application/json';
        headers['content-length'] = String(Buffer.byteLength(spec.body));
      }
      let settled = false;
      const finish = (status: number, body: string, error?: string) => {
        if (settled) return;
        settled = true;
        const now = performance.now();
        lastAnswerAt = now;
        const latencyMs = now - dueAt;
        latencies.push(latencyMs);
        const key = status === 0 ? (error ?? 'ERROR') : String(status);
        byStatus[key] = (byStatus[key] ?? 0) + 1;
        if (status > 0 && status < 400) ok++;
        else errors++;
        options.onOutcome?.({ index, status, error, latencyMs, body });
        resolve();
      };
      const req = httpRequest(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method: spec.method,
          path: spec.path,
          headers,
        },
        (res) => {
          // Bodies are kept only for a caller that reads them: a 50-kB due page 300 times a second is garbage
          // the generator would otherwise collect while it measures.
          const chunks: Buffer[] | undefined = options.onOutcome ? [] : undefined;
          if (chunks) res.on('data', (chunk: Buffer) => chunks.push(chunk));
          else res.resume();
          res.on('end', () =>
            finish(res.statusCode ?? 0, chunks ? Buffer.concat(chunks).toString('utf8') : ''),
          );
          res.on('error', (error: NodeJS.ErrnoException) => finish(0, '', error.code ?? error.message));
        },
      );
      // Set on the request itself, not as an option: a kept-alive socket keeps the shorter idle timeout the
      // agent gave it from the server's hint, unless the request sets its own once it has the socket.
      req.setTimeout(timeoutMs);
      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
      req.on('error', (error: NodeJS.ErrnoException) => finish(0, '', error.code ?? error.message));
      req.end(spec.body);
    });

  const watch = watchGenerator();
  const start = performance.now();
  let next = 0;
  await new Promise<void>((done) => {
    const tick = () => {
      if (options.shouldStop?.()) {
        done();
        return;
      }
      const dueCount = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
      while (next < dueCount) {
        const index = next++;
        const work = send(index, start + (index * 1000) / rate);
        pending.add(work);
        void work.then(() => pending.delete(work));
      }
      if (next >= total) {
        done();
        return;
      }
      setTimeout(tick, Math.max(0, start + (next * 1000) / rate - performance.now()));
    };
    tick();
  });
  await Promise.all(pending);
  const generator = watch.stop();
  agent.destroy();

  const elapsedSeconds = Math.max(0.001, ((lastAnswerAt || performance.now()) - start) / 1000);
  return {
    sent: next,
    ok,
    errors,
    byStatus,
    achievedRate: (ok + errors) / elapsedSeconds,
    generator,
    ...summarize(latencies),
  };
}
