import { performance } from 'node:perf_hooks';
import { call, socketErrorOf } from './http';

/** One answer of a probe: when it was asked and answered (performance.now()), and the status or socket error. */
export interface ProbeResult {
  at: number;
  answeredAt: number;
  status: number;
  socketError?: string;
  latencyMs: number;
}

/** Asks `path` once on a new connection, never throwing: a socket error becomes part of the result. */
export async function probe(origin: string, path: string, timeoutMs = 5000): Promise<ProbeResult> {
  const at = performance.now();
  try {
    const answer = await call(origin, { method: 'GET', path, timeoutMs });
    const answeredAt = performance.now();
    return { at, answeredAt, status: answer.status, latencyMs: answeredAt - at };
  } catch (error) {
    const answeredAt = performance.now();
    return { at, answeredAt, status: 0, socketError: socketErrorOf(error), latencyMs: answeredAt - at };
  }
}

/** Probes `path` every `intervalMs` until stopped; one probe at a time. */
export function pollEvery(origin: string, path: string, intervalMs: number) {
  const results: ProbeResult[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      results.push(await probe(origin, path, 5000));
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    results,
    async stop(): Promise<ProbeResult[]> {
      stopped = true;
      await loop;
      return results;
    },
  };
}

/** Runs `work` on every item, at most `concurrency` at a time, in order of the items. */
export async function forEachLimited<T>(
  items: T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
