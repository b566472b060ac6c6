import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunRow } from './phases';
import { ENDPOINT_LABELS } from './scenarios';
import type { TargetCheck } from './targets';

export const RESULTS_DIR = join('bench', 'results');

const COLUMNS = [
  'endpoint',
  'target',
  'load',
  'req/s',
  'p50 ms',
  'p99 ms',
  'errors',
  'CPU ms/req',
  'DB CPU ms/req',
  'API RSS MB',
  'NAT/base',
];

function cells(row: RunRow): string[] {
  const load =
    row.mode === 'saturation'
      ? `${row.connections} conns`
      : `${row.rate} req/s paced, ${row.connections} conns`;
  const ratio =
    row.ratio === undefined ? '' : `${row.ratio.toFixed(2)} ${row.mode === 'saturation' ? 'req/s' : 'p99'}`;
  return [
    ENDPOINT_LABELS[row.endpoint],
    row.target,
    load,
    row.throughput.toFixed(0),
    row.p50.toFixed(1),
    row.p99.toFixed(1),
    String(row.errors),
    row.cpuMsPerRequest === undefined ? '' : row.cpuMsPerRequest.toFixed(2),
    row.dbCpuMsPerRequest === undefined ? '' : row.dbCpuMsPerRequest.toFixed(2),
    row.apiRssMb === undefined ? '' : row.apiRssMb.toFixed(0),
    ratio,
  ];
}

/** A plain-text table: saturation runs first, then the paced ones (medians). */
export function formatTable(rows: RunRow[]): string {
  const body = rows.map(cells);
  const widths = COLUMNS.map((title, column) =>
    Math.max(title.length, ...body.map((line) => line[column].length)),
  );
  const numeric = new Set([3, 4, 5, 6, 7, 8, 9]);
  const line = (values: string[]) =>
    values
      .map((value, column) =>
        numeric.has(column) ? value.padStart(widths[column]) : value.padEnd(widths[column]),
      )
      .join('  ')
      .trimEnd();
  return [line(COLUMNS), line(widths.map((width) => '-'.repeat(width))), ...body.map(line)].join('\n');
}

export function formatTargets(checks: TargetCheck[]): string {
  return checks.map((check) => `${check.pass ? 'PASS' : 'FAIL'}  ${check.name}: ${check.detail}`).join('\n');
}

/**
 * What a run at `scale` adds to the names of latest.json and explain-due.txt: nothing at full scale, so that a
 * quick run (BENCH_SCALE=0.01) never overwrites the full-scale results kept in the repository.
 */
function scaleSuffix(scale: number): string {
  return scale === 1 ? '' : `-scale-${scale}`;
}

/**
 * bench/results/latest.json (latest-scale-<s>.json below full scale) and a dated copy, e.g.
 * bench/results/2026-11-26T10-12-00Z-scale-1.json.
 */
export function writeResults<T extends { startedAt: string; scale: number }>(
  root: string,
  result: T,
): string[] {
  const directory = join(root, RESULTS_DIR);
  mkdirSync(directory, { recursive: true });
  const stamp = result.startedAt.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  const text = `${JSON.stringify(result, null, 2)}\n`;
  const files = [
    join(directory, `latest${scaleSuffix(result.scale)}.json`),
    join(directory, `${stamp}-scale-${result.scale}.json`),
  ];
  for (const file of files) writeFileSync(file, text);
  return files;
}

export function writeExplain(root: string, scale: number, text: string): string {
  const file = join(root, RESULTS_DIR, `explain-due${scaleSuffix(scale)}.txt`);
  mkdirSync(join(root, RESULTS_DIR), { recursive: true });
  writeFileSync(file, `${text}\n`);
  return file;
}
