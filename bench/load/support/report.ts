import { summarize, type PacedRunResult } from '../../src/open-loop';
import type { ApiProcess } from './api-process';
import type { SentRequest } from './load-mix';

/** How long each suite lets its load run: LOAD_SECONDS (default 60; CI runs 15). */
export function loadSeconds(): number {
  const raw = process.env.LOAD_SECONDS ?? '60';
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new Error(`LOAD_SECONDS must be a positive number: ${raw}`);
  return seconds;
}

/** `200`, `503 DATABASE_UNAVAILABLE`, or the socket error's code. */
export function outcomeOf(entry: SentRequest): string {
  const answer = entry.answer;
  if (!answer) return 'no answer';
  if (answer.socketError) return answer.socketError;
  return answer.errorCode ? `${answer.status} ${answer.errorCode}` : String(answer.status);
}

/** Counts by kind of request and outcome, e.g. `{ 'completion 200': 812, 'due-team 200': 95 }`. */
export function countsByOutcome(entries: SentRequest[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of entries) {
    const key = `${entry.kind} ${outcomeOf(entry)}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

/** What a run did, for the test output: rate, latency percentiles, and counts by status. */
export function describeRun(title: string, result: PacedRunResult, entries: SentRequest[]): string {
  const lines = [
    `${title}: ${result.sent} requests, ${result.achievedRate.toFixed(1)} answered/s`,
    `  latency p50 ${ms(result.p50)}, p90 ${ms(result.p90)}, p99 ${ms(result.p99)}, max ${ms(result.max)}`,
    `  by status: ${JSON.stringify(result.byStatus)}`,
  ];
  for (const kind of ['due-mine', 'due-team', 'completion'] as const) {
    const latencies = entries
      .filter((entry) => entry.kind === kind && entry.answer)
      .map((entry) => entry.answer?.latencyMs ?? 0);
    if (latencies.length === 0) continue;
    const { p50, p99 } = summarize(latencies);
    lines.push(`  ${kind}: ${latencies.length} requests, p50 ${ms(p50)}, p99 ${ms(p99)}`);
  }
  lines.push(`  by kind and outcome: ${JSON.stringify(countsByOutcome(entries))}`);
  return lines.join('\n');
}

/** Runs `assertions`; when they fail, the error also shows the end of the API's log. */
export async function withApiLog(api: ApiProcess, assertions: () => void | Promise<void>): Promise<void> {
  try {
    await assertions();
  } catch (error) {
    if (error instanceof Error) {
      error.message += `\n\n--- last lines of the API log (${api.logFile}) ---\n${api.logTail()}`;
    }
    throw error;
  }
}

/** Seconds since `start` (a performance.now()), for the suite timings. */
export function secondsSince(start: number, now: number): string {
  return `${((now - start) / 1000).toFixed(1)} s`;
}
