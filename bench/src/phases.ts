import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchConfig } from './config';
import { runPaced } from './open-loop';
import { runSaturation } from './saturation';
import {
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

export async function saturationPhase(phase: PhaseContext): Promise<RunRow[]> {
  const rows: RunRow[] = [];
  for (const connections of phase.config.saturationConnections) {
    for (const [endpoint, target] of saturationRuns(connections, phase.config)) {
      const context = await phase.freshContext();
      phase.apiRss.reset();
      const server = phase.servers[target];
      const { result, cpuMsPerRequest, dbCpuMsPerRequest } = await phase.cpu.measure(
        server,
        () =>
          runSaturation(
            server.origin,
            connections,
            phase.config.durationSeconds,
            requestFactory(endpoint, context),
          ),
        (answer) => answer.answered,
      );
      const row: RunRow = {
        mode: 'saturation',
        endpoint,
        target,
        connections,
        throughput: result.throughput,
        p50: result.p50,
        p99: result.p99,
        errors: result.errors,
        byStatus: result.byStatus,
        cpuMsPerRequest,
        dbCpuMsPerRequest,
        apiRssMb: target === 'NAT' ? await phase.apiRss.peak() : undefined,
      };
      rows.push(row);
      logRow(row);
      await sleep(PAUSE_MS);
    }
  }
  return rows;
}

interface PacedSpec {
  endpoint: EndpointKey;
  target: TargetName;
  rate: number;
  connections: number;
}

function pacedSpecs(config: BenchConfig): PacedSpec[] {
  const due = { rate: config.pacedDueRate, connections: config.pacedDueConnections };
  return [
    { endpoint: 'due_first', target: 'NAT', ...due },
    { endpoint: 'due_first', target: 'baseline', ...due },
    { endpoint: 'due_later', target: 'NAT', ...due },
    { endpoint: 'due_later', target: 'baseline', ...due },
    {
      endpoint: 'complete',
      target: 'NAT',
      rate: config.pacedCompleteRate,
      connections: config.pacedDueConnections,
    },
  ];
}

/** Open-loop runs at fixed rates, each repeated BENCH_REPEAT times (interleaved); each figure is the median. */
export async function pacedPhase(phase: PhaseContext): Promise<RunRow[]> {
  const specs = pacedSpecs(phase.config);
  const repeats = specs.map((): RepeatFigures[] => []);
  const statuses = specs.map((): Record<string, number> => ({}));
  const rss = specs.map(() => 0);
  for (let round = 1; round <= phase.config.repeat; round++) {
    for (const [index, spec] of specs.entries()) {
      const context = await phase.freshContext();
      phase.apiRss.reset();
      const server = phase.servers[spec.target];
      const { result, cpuMsPerRequest, dbCpuMsPerRequest } = await phase.cpu.measure(
        server,
        () =>
          runPaced({
            origin: server.origin,
            rate: spec.rate,
            connections: spec.connections,
            durationSeconds: phase.config.durationSeconds,
            request: requestFactory(spec.endpoint, context),
          }),
        (answer) => answer.ok + answer.errors,
      );
      const figures: RepeatFigures = {
        throughput: result.achievedRate,
        p50: result.p50,
        p99: result.p99,
        errors: result.errors,
        cpuMsPerRequest,
        dbCpuMsPerRequest,
      };
      repeats[index].push(figures);
      for (const [status, count] of Object.entries(result.byStatus)) {
        statuses[index][status] = (statuses[index][status] ?? 0) + count;
      }
      if (spec.target === 'NAT') rss[index] = Math.max(rss[index], await phase.apiRss.peak());
      console.log(
        `  paced ${round}/${phase.config.repeat} ${describe(spec.endpoint, spec.target)} @ ${spec.rate} req/s: ` +
          `p50 ${ms(figures.p50)} p99 ${ms(figures.p99)} errors ${figures.errors}` +
          cpuText(cpuMsPerRequest, dbCpuMsPerRequest),
      );
      await sleep(PAUSE_MS);
    }
  }
  return specs.map((spec, index) => ({
    mode: 'paced',
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

function describe(endpoint: EndpointKey, target: TargetName): string {
  return `${ENDPOINT_LABELS[endpoint]} [${target}]`;
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

function logRow(row: RunRow): void {
  const rss = row.apiRssMb === undefined ? '' : ` RSS ${Math.round(row.apiRssMb)} MB`;
  const cpu = cpuText(row.cpuMsPerRequest, row.dbCpuMsPerRequest);
  console.log(
    `  saturation ${describe(row.endpoint, row.target)} ${row.connections} conns: ` +
      `${Math.round(row.throughput)} req/s p50 ${ms(row.p50)} p99 ${ms(row.p99)} errors ${row.errors}${cpu}${rss}`,
  );
}
