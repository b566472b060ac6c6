import type { BenchConfig } from './config';
import type { PlanCheck } from './explain';
import type { RunRow } from './phases';
import { DUE_PAGES, ENDPOINT_LABELS, type EndpointKey } from './scenarios';

export interface TargetCheck {
  name: string;
  pass: boolean;
  detail: string;
}

/** Issue 6's targets. */
export const LIMITS = {
  saturationShareOfBaseline: 0.5,
  dueP99Ms: 20,
  dueP99TimesBaseline: 3,
  completeP99Ms: 30,
  apiRssMb: 300,
};

function baselineOf(rows: RunRow[], row: RunRow): RunRow | undefined {
  return rows.find(
    (other) =>
      other.target === 'baseline' &&
      other.mode === row.mode &&
      other.endpoint === row.endpoint &&
      other.connections === row.connections &&
      other.rate === row.rate,
  );
}

/** NAT / baseline on every NAT row that has a baseline twin: throughput when saturated, p99 when paced. */
export function attachRatios(rows: RunRow[]): void {
  for (const row of rows.filter((r) => r.target === 'NAT')) {
    const baseline = baselineOf(rows, row);
    if (!baseline) continue;
    row.ratio =
      row.mode === 'saturation'
        ? row.throughput / Math.max(baseline.throughput, 1e-9)
        : row.p99 / Math.max(baseline.p99, 1e-9);
  }
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);

export function checkTargets(
  config: BenchConfig,
  rows: RunRow[],
  apiRssPeakMb: number,
  plans: PlanCheck[],
  sameAnswers: { pass: boolean; detail: string },
): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const nat = (mode: RunRow['mode'], endpoint: EndpointKey) =>
    rows.filter((row) => row.target === 'NAT' && row.mode === mode && row.endpoint === endpoint);

  checks.push({ name: 'baseline answers the same due pages as the API', ...sameAnswers });

  for (const endpoint of DUE_PAGES) {
    for (const row of nat('saturation', endpoint)) {
      const baseline = baselineOf(rows, row);
      if (!baseline) continue;
      checks.push({
        name: `${ENDPOINT_LABELS[endpoint]}, ${row.connections} conns: throughput >= ${LIMITS.saturationShareOfBaseline} x baseline`,
        pass: row.throughput >= LIMITS.saturationShareOfBaseline * baseline.throughput,
        detail: `${fixed(row.throughput, 0)} vs ${fixed(baseline.throughput, 0)} req/s (${fixed(row.ratio ?? 0, 2)} x, medians of ${config.repeat})`,
      });
    }
  }

  for (const endpoint of DUE_PAGES) {
    for (const row of nat('paced', endpoint)) {
      const baseline = baselineOf(rows, row);
      const rate = `${row.rate} req/s paced`;
      checks.push({
        name: `${ENDPOINT_LABELS[endpoint]}, ${rate}: p99 <= ${LIMITS.dueP99Ms} ms`,
        pass: row.p99 <= LIMITS.dueP99Ms,
        detail: `p99 ${fixed(row.p99)} ms (median of ${config.repeat})`,
      });
      if (baseline) {
        checks.push({
          name: `${ENDPOINT_LABELS[endpoint]}, ${rate}: p99 <= ${LIMITS.dueP99TimesBaseline} x baseline p99`,
          pass: row.p99 <= LIMITS.dueP99TimesBaseline * baseline.p99,
          detail: `${fixed(row.p99)} vs ${fixed(baseline.p99)} ms (${fixed(row.ratio ?? 0, 2)} x)`,
        });
      }
    }
  }

  for (const row of nat('paced', 'complete')) {
    checks.push({
      name: `${ENDPOINT_LABELS.complete}, ${row.rate} req/s paced: p99 <= ${LIMITS.completeP99Ms} ms`,
      pass: row.p99 <= LIMITS.completeP99Ms,
      detail: `p99 ${fixed(row.p99)} ms (median of ${config.repeat})`,
    });
  }

  const failing = rows.filter((row) => row.errors > 0);
  checks.push({
    name: 'zero errors (non-2xx or socket errors) in every run',
    pass: failing.length === 0,
    detail:
      failing.length === 0
        ? `${rows.length} runs`
        : failing
            .map(
              (row) =>
                `${ENDPOINT_LABELS[row.endpoint]} [${row.target}] ${row.mode} ${row.rate ?? row.connections}: ` +
                JSON.stringify(row.byStatus),
            )
            .join('; '),
  });

  checks.push({
    name: `API RSS <= ${LIMITS.apiRssMb} MB`,
    pass: apiRssPeakMb > 0 && apiRssPeakMb <= LIMITS.apiRssMb,
    detail: `peak ${fixed(apiRssPeakMb)} MB (VmRSS sampled every 250 ms)`,
  });

  for (const plan of plans) {
    checks.push({
      name: `EXPLAIN due query, ${plan.page}: index scan of the page only, no Seq Scan, no Sort`,
      pass: plan.pass,
      detail:
        `${plan.scannedRows} rows from opportunities_due_idx, ${plan.sharedBuffers} buffers, ` +
        `${fixed(plan.executionMs, 2)} ms` +
        (plan.reasons.length > 0 ? `; ${plan.reasons.join(', ')}` : ''),
    });
  }
  return checks;
}
