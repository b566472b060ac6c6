import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchConfig } from './config';
import type { GeneratorStalls, PacedRequest } from './open-loop';
import { runPacedInWorker } from './paced-worker';
import { runSaturation } from './saturation';
import {
  DUE_PAGES,
  ENDPOINT_LABELS,
  requestFactory,
  type EndpointKey,
  type ScenarioContext,
  type TargetName,
} from './scenarios';
import type { CpuMeter } from './cpu-cost';
import type { RssSampler, ServerProcess } from './server-process';

/** One line of the result table: a saturation run, or the median of a paced run's repeats. */
export interface RunRow {
  mode: 'saturation' | 'paced';
  endpoint: EndpointKey;
  target: TargetName;
  connections: number;
  /** Offered requests per second (paced runs only). */
  rate?: number;
  /** Answers per second: autocannon's mean (saturation), or the achieved rate (paced, median). */
  throughput: number;
  p50: number;
  p99: number;
  /** Non-2xx answers and socket errors, summed over the repeats. */
  errors: number;
  byStatus: Record<string, number>;
  /** CPU time (user + system) the server under test used per answered request: NAT's or the baseline's. */
  cpuMsPerRequest?: number;
  /** CPU time of the database's backends per answered request. */
  dbCpuMsPerRequest?: number;
  /** The API's peak resident set during the run (NAT rows). */
  apiRssMb?: number;
  /** NAT / baseline: throughput for saturation runs, p99 for paced ones. */
  ratio?: number;
  repeats?: RepeatFigures[];
}

interface RepeatFigures {
  throughput: number;
  p50: number;
  p99: number;
  errors: number;
  cpuMsPerRequest?: number;
  dbCpuMsPerRequest?: number;
  /** Paced runs: how long the load generator itself was held up during the run. */
  generator?: GeneratorStalls;
}

export interface PhaseContext {
  config: BenchConfig;
  servers: Record<TargetName, ServerProcess>;
  apiRss: RssSampler;
  cpu: CpuMeter;
  /** Signs in again: tokens last 15 minutes and a full run takes longer. */
  freshContext(): Promise<ScenarioContext>;
}

/** Closed-loop runs; NAT and the baseline alternate so that the machine's noise hits both alike. */
const SATURATION_RUNS: [EndpointKey, TargetName][] = [
  ['due_first', 'NAT'],
  ['due_first', 'baseline'],
  ['due_later', 'NAT'],
  ['due_later', 'baseline'],
  ['summary', 'NAT'],
  ['complete', 'NAT'],
];

/** The fixed cost of a request, measured once, at the lowest connection count. */
const NO_DATABASE_RUNS: [EndpointKey, TargetName][] = [
  ['no_database', 'NAT'],
  ['no_database', 'baseline'],
];

function saturationRuns(connections: number, config: BenchConfig): [EndpointKey, TargetName][] {
  return connections === config.saturationConnections[0]
    ? [...SATURATION_RUNS, ...NO_DATABASE_RUNS]
    : SATURATION_RUNS;
}

const WARM_UP_SECONDS = 2;
/** Lets the server finish its in-flight work and collect garbage between runs. */
const PAUSE_MS = 1000;

export async function warmUp(phase: PhaseContext): Promise<void> {
  const context = await phase.freshContext();
  for (const [endpoint, target] of [...SATURATION_RUNS, ...NO_DATABASE_RUNS]) {
    await runSaturation(phase.servers[target].origin, 10, WARM_UP_SECONDS, requestFactory(endpoint, context));
  }
}

/**
 * Closed-loop runs. The due pages, which are compared with the baseline, are repeated BENCH_REPEAT times with NAT
 * and the baseline interleaved, and each figure is the median: on a shared machine one 10-second sample of either
 * side can be off by a fifth. The other endpoints run once per connection count.
 */
export async function saturationPhase(phase: PhaseContext): Promise<RunRow[]> {
  const rows: RunRow[] = [];
  for (const connections of phase.config.saturationConnections) {
    const specs: RunSpec[] = saturationRuns(connections, phase.config).map(([endpoint, target]) => ({
      mode: 'saturation',
      endpoint,
      target,
      connections,
      repeats: DUE_PAGES.includes(endpoint) ? phase.config.repeat : 1,
    }));
    rows.push(...(await repeatedRuns(phase, specs)));
  }
  return rows;
}

/** One line of the table: what to run, and how many times. */
interface RunSpec {
  mode: RunRow['mode'];
  endpoint: EndpointKey;
  target: TargetName;
  connections: number;
  /** Offered requests per second (paced runs only). */
  rate?: number;
  repeats: number;
}

function pacedSpecs(config: BenchConfig): RunSpec[] {
  const due = {
    mode: 'paced',
    rate: config.pacedDueRate,
    connections: config.pacedDueConnections,
    repeats: config.repeat,
  } as const;
  return [
    { endpoint: 'due_first', target: 'NAT', ...due },
    { endpoint: 'due_first', target: 'baseline', ...due },
    { endpoint: 'due_later', target: 'NAT', ...due },
    { endpoint: 'due_later', target: 'baseline', ...due },
    { ...due, endpoint: 'complete', target: 'NAT', rate: config.pacedCompleteRate },
  ];
}

/** Open-loop runs at fixed rates, each repeated BENCH_REPEAT times (interleaved); each figure is the median. */
export function pacedPhase(phase: PhaseContext): Promise<RunRow[]> {
  return repeatedRuns(phase, pacedSpecs(phase.config));
}

/** One run of a spec against its server, with the CPU it cost the server and the database. */
async function runOnce(
  phase: PhaseContext,
  spec: RunSpec,
): Promise<{ figures: RepeatFigures; byStatus: Record<string, number> }> {
  const context = await phase.freshContext();
  const server = phase.servers[spec.target];
  const request = requestFactory(spec.endpoint, context);
  const { durationSeconds } = phase.config;
  if (spec.mode === 'saturation') {
    const { result, cpuMsPerRequest, dbCpuMsPerRequest } = await phase.cpu.measure(
      server,
      () => runSaturation(server.origin, spec.connections, durationSeconds, request),
      (answer) => answer.answered,
    );
    const { throughput, p50, p99, errors } = result;
    return {
      figures: { throughput, p50, p99, errors, cpuMsPerRequest, dbCpuMsPerRequest },
      byStatus: result.byStatus,
    };
  }
  const { result, cpuMsPerRequest, dbCpuMsPerRequest } = await phase.cpu.measure(
    server,
    () =>
      runPacedInWorker({
        origin: server.origin,
        rate: spec.rate ?? 0,
        connections: spec.connections,
        durationSeconds,
        requests: pacedRequests(spec, durationSeconds, request),
      }),
    (answer) => answer.ok + answer.errors,
  );
  const { p50, p99, errors, generator } = result;
  return {
    figures: {
      throughput: result.achievedRate,
      p50,
      p99,
      errors,
      cpuMsPerRequest,
      dbCpuMsPerRequest,
      generator,
    },
    byStatus: result.byStatus,
  };
}

/** The requests of a paced run, made before it starts: completions take a deal of their own each, as when sent. */
function pacedRequests(spec: RunSpec, durationSeconds: number, request: (index: number) => PacedRequest) {
  const count = Math.max(1, Math.floor((spec.rate ?? 0) * durationSeconds));
  return Array.from({ length: count }, (_, index) => request(index));
}

/** Runs every spec its number of times, round by round (so that NAT and the baseline interleave), into rows of medians. */
async function repeatedRuns(phase: PhaseContext, specs: RunSpec[]): Promise<RunRow[]> {
  const repeats = specs.map((): RepeatFigures[] => []);
  const statuses = specs.map((): Record<string, number> => ({}));
  const rss = specs.map(() => 0);
  const rounds = Math.max(...specs.map((spec) => spec.repeats));
  for (let round = 1; round <= rounds; round++) {
    for (const [index, spec] of specs.entries()) {
      if (round > spec.repeats) continue;
      phase.apiRss.reset();
      const { figures, byStatus } = await runOnce(phase, spec);
      repeats[index].push(figures);
      for (const [status, count] of Object.entries(byStatus)) {
        statuses[index][status] = (statuses[index][status] ?? 0) + count;
      }
      if (spec.target === 'NAT') rss[index] = Math.max(rss[index], await phase.apiRss.peak());
      const load = spec.mode === 'paced' ? `@ ${spec.rate} req/s` : `${spec.connections} conns`;
      const roundText = spec.repeats > 1 ? ` ${round}/${spec.repeats}` : '';
      console.log(
        `  ${spec.mode}${roundText} ${describe(spec.endpoint, spec.target)} ${load}: ` +
          `${Math.round(figures.throughput)} req/s p50 ${ms(figures.p50)} p99 ${ms(figures.p99)} errors ${figures.errors}` +
          cpuText(figures.cpuMsPerRequest, figures.dbCpuMsPerRequest) +
          (spec.target === 'NAT' ? ` RSS ${Math.round(rss[index])} MB` : '') +
          generatorText(figures.generator),
      );
      await sleep(PAUSE_MS);
    }
  }
  return specs.map((spec, index) => ({
    mode: spec.mode,
    endpoint: spec.endpoint,
    target: spec.target,
    connections: spec.connections,
    rate: spec.rate,
    throughput: median(repeats[index].map((r) => r.throughput)),
    p50: median(repeats[index].map((r) => r.p50)),
    p99: median(repeats[index].map((r) => r.p99)),
    errors: repeats[index].reduce((sum, r) => sum + r.errors, 0),
    byStatus: statuses[index],
    cpuMsPerRequest: medianOrUndefined(repeats[index].map((r) => r.cpuMsPerRequest)),
    dbCpuMsPerRequest: medianOrUndefined(repeats[index].map((r) => r.dbCpuMsPerRequest)),
    apiRssMb: spec.target === 'NAT' ? rss[index] : undefined,
    repeats: repeats[index],
  }));
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function medianOrUndefined(values: (number | undefined)[]): number | undefined {
  const known = values.filter((value): value is number => value !== undefined);
  return known.length === 0 ? undefined : median(known);
}

function cpuText(server: number | undefined, database: number | undefined): string {
  const part = (label: string, value: number | undefined) =>
    value === undefined ? '' : ` ${label} ${value.toFixed(2)} ms/req`;
  return part('CPU', server) + part('DB CPU', database);
}

function generatorText(stalls: GeneratorStalls | undefined): string {
  if (!stalls) return '';
  return ` (generator: loop delay p99 ${ms(stalls.loopDelayP99)} max ${ms(stalls.loopDelayMax)}, GC ${ms(stalls.gcTotal)} max ${ms(stalls.gcMax)})`;
}

function describe(endpoint: EndpointKey, target: TargetName): string {
  return `${ENDPOINT_LABELS[endpoint]} [${target}]`;
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}
