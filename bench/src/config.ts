import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root, from src/ (ts-jest) and from dist/bench/ alike. */
const ROOT = resolve(__dirname, '..', '..');

/** Everything a bench run can be told through the environment; the README lists the variables. */
export interface BenchConfig {
  databaseUrl: string;
  /** Shrinks every seeded count: 1 is the full data set, 0.01 a quick run. */
  scale: number;
  reseed: boolean;
  durationSeconds: number;
  /** Paced runs are repeated and their median kept: the machine is shared and noisy. */
  repeat: number;
  strict: boolean;
  logLevel: string;
  cpuProfile: boolean;
  /** Node options of the API process, as `make start` passes them (the Makefile exports NAT_NODE_OPTIONS). */
  apiNodeOptions: string[];
  /** The API's DB_POOL_SIZE, given to the baseline as well so both have the same number of connections. */
  poolSize: number;
  saturationConnections: number[];
  pacedDueRate: number;
  pacedDueConnections: number;
  pacedCompleteRate: number;
  /** The repository root, from which dist/ and tmp/ are found whatever the working directory. */
  root: string;
}

function numberFrom(name: string, fallback: number, { min = 0 } = {}): number {
  const raw = process.env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= min) throw new Error(`${name} must be a number above ${min}`);
  return value;
}

function flag(name: string): boolean {
  return ['1', 'true', 'yes'].includes((process.env[name] ?? '').trim().toLowerCase());
}

export function loadBenchConfig(): BenchConfig {
  return {
    databaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/nat_bench',
    scale: numberFrom('BENCH_SCALE', 1),
    reseed: flag('BENCH_RESEED'),
    durationSeconds: numberFrom('BENCH_DURATION', 10),
    repeat: Math.round(numberFrom('BENCH_REPEAT', 3)),
    strict: flag('BENCH_STRICT'),
    logLevel: process.env.LOG_LEVEL ?? 'info',
    cpuProfile: flag('BENCH_CPU_PROF'),
    apiNodeOptions: natNodeOptions(),
    poolSize: Math.round(numberFrom('DB_POOL_SIZE', 10)),
    saturationConnections: [10, 50, 200],
    pacedDueRate: 300,
    pacedDueConnections: 50,
    pacedCompleteRate: 100,
    root: ROOT,
  };
}

/**
 * A default the Makefile exports (`export NAME ?= value`), for runs outside make (dist/bench/bench.js, jest
 * directly): the Makefile stays the one place that says how the API's process runs.
 */
function makefileDefault(name: string): string {
  const makefile = readFileSync(join(ROOT, 'Makefile'), 'utf8');
  const value = new RegExp(`^export ${name} \\?= (.+)$`, 'm').exec(makefile)?.[1]?.trim();
  if (!value) throw new Error(`The Makefile exports no default for ${name}`);
  return value;
}

/** Node's options for the API process, as `make start` passes them: NAT_NODE_OPTIONS (the Makefile's). */
export function natNodeOptions(): string[] {
  return (process.env.NAT_NODE_OPTIONS ?? makefileDefault('NAT_NODE_OPTIONS')).split(/\s+/).filter(Boolean);
}

/**
 * The C library's allocation setting of the API process, as `make start` and the production image set it (the
 * Makefile's NAT_MALLOC_MMAP_THRESHOLD says why): merge it into the API's environment.
 */
export function natMallocEnv(): Record<string, string> {
  return {
    MALLOC_MMAP_THRESHOLD_:
      process.env.NAT_MALLOC_MMAP_THRESHOLD ?? makefileDefault('NAT_MALLOC_MMAP_THRESHOLD'),
  };
}
