import { performance } from 'node:perf_hooks';

/** Seconds since `started` (a `performance.now()` reading), to a tenth: how the bench reports a step's time. */
export function secondsSince(started: number): number {
  return Math.round((performance.now() - started) / 100) / 10;
}
