import { join } from 'node:path';
import type { Client } from 'pg';
import { signIn, tenantHeaders } from './api-client';
import { PROFILE_DIR, startApi, startBaseline } from './api-process';
import { BIG_TENANT, managerEmail, SMALL_TENANT_COUNT } from './bench-data';
import { loadBenchConfig, type BenchConfig } from './config';
import { CpuMeter } from './cpu-cost';
import { newestProfile, summarizeProfile, type ProfileSummary } from './cpu-profile';
import { settleDatabase, withClient, type SettleReport } from './database';
import { explainDueQuery } from './explain';
import { loadAverage, machineFacts } from './machine';
import { compareAnswers, laterPageOf } from './page-check';
import { pacedPhase, saturationPhase, warmUp, type PhaseContext } from './phases';
import { formatTable, formatTargets, writeExplain, writeResults } from './report';
import { DUE_FIRST_PATH, OpportunityIds } from './scenarios';
import { prepareBenchDatabase } from './seed';
import { RssSampler, stopAllServers, type ServerProcess } from './server-process';
import { captureStatement } from './sql-capture';
import { attachRatios, checkTargets } from './targets';

/**
 * `make bench`: seeds (or reuses) the benchmark database, starts the API's production build and the baseline
 * server as their own processes, drives both over loopback, and reports against issue 6's targets.
 */

/** Enough distinct deals for every completion of the run, at a generous 1,500 per second when saturated. */
function completionsNeeded(config: BenchConfig): number {
  const saturated = (config.saturationConnections.length + 1) * 1500 * config.durationSeconds;
  const paced = config.pacedCompleteRate * config.durationSeconds * config.repeat;
  return Math.ceil(saturated + paced);
}

async function tenantTimezone(db: Client, tenantId: string): Promise<string> {
  const { rows } = await db.query<{ timezone: string }>('SELECT timezone FROM tenants WHERE id = $1', [
    tenantId,
  ]);
  return rows[0].timezone;
}

function oneLine(sql: string): string {
  const text = sql.replace(/\s+/g, ' ').trim();
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
}

function describeSettle(report: SettleReport): string {
  const checkpoint =
    report.checkpointSeconds === undefined
      ? 'no CHECKPOINT (the role may not)'
      : `CHECKPOINT ${report.checkpointSeconds} s`;
  return `VACUUM (ANALYZE) ${report.vacuumSeconds} s, ${checkpoint} (autovacuum is ${report.autovacuum ? 'on' : 'off'} on this server)`;
}

function printProfile(summary: ProfileSummary): void {
  console.log(`\nCPU profile of the API (${summary.file}): busy ${(summary.busyMs / 1000).toFixed(1)} s`);
  console.log('  by package:');
  for (const line of summary.packages.slice(0, 12))
    console.log(`    ${line.selfPercent.toFixed(1)}%  ${line.name}`);
  console.log('  by function (self time):');
  for (const line of summary.functions.slice(0, 20))
    console.log(`    ${line.selfPercent.toFixed(1)}%  ${line.name}`);
}

async function main(): Promise<number> {
  const config = loadBenchConfig();
  const startedAt = new Date().toISOString();
  const machine = await machineFacts(config);
  console.log(
    `NAT bench: scale ${config.scale}, ${config.durationSeconds} s per run, ${config.repeat} repeats of the paced runs, ` +
      `${machine.cpuCount} CPUs, Node ${machine.node}, ${machine.postgres.split(' on ')[0]}`,
  );
  console.log(`Database ${config.databaseUrl}`);
  if (machine.loadAverageAtStart >= 0.5 * machine.cpuCount) {
    console.log(
      `Warning: load average ${machine.loadAverageAtStart} on ${machine.cpuCount} CPUs before the run: ` +
        'other work on this machine will skew the figures',
    );
  }
  const seed = await prepareBenchDatabase(config);
  console.log(
    seed.reused
      ? `Seed: reused the data set of scale ${config.scale} (BENCH_RESEED=1 seeds again)`
      : `Seed: ${seed.counts.total.toLocaleString('en')} opportunities (${BIG_TENANT} ${seed.counts.bigTenant.toLocaleString('en')}, ` +
          `${SMALL_TENANT_COUNT} tenants x ${seed.counts.perSmallTenant.toLocaleString('en')}) in ${seed.seconds} s`,
  );

  return withClient(config.databaseUrl, async (db) => {
    const settled: { before: string; report: SettleReport }[] = [];
    const settle = async (before: string) => {
      const report = await settleDatabase(db);
      settled.push({ before, report });
      console.log(`Settled the database before the ${before}: ${describeSettle(report)}`);
    };
    await settle('runs');
    const timezone = await tenantTimezone(db, BIG_TENANT);
    const completeIds = await OpportunityIds.fetch(db, BIG_TENANT, completionsNeeded(config));
    const api = await startApi(config);
    console.log(
      `API pid ${api.pid} at ${api.origin} (node ${config.apiNodeOptions.join(' ')}, LOG_LEVEL=${config.logLevel}, log ${api.logFile})`,
    );
    const apiRss = new RssSampler(api.pid);
    apiRss.start();
    let profile: ProfileSummary | undefined;
    const drive = async () => {
      const email = managerEmail(BIG_TENANT);
      const session = await signIn(api.origin, email, BIG_TENANT);
      console.log(
        `Driving as ${email} (${session.role} of ${BIG_TENANT}) with scope=team: the due list walks the tenant's whole pipeline`,
      );
      const laterPage = await laterPageOf(api, session);
      console.log(`Later page: ${laterPage.path.slice(0, 90)}…`);
      const capture = (path: string) =>
        captureStatement(config.databaseUrl, 'opportunities', () =>
          fetch(api.origin + path, { headers: tenantHeaders(session) }),
        );
      const statements = { first: await capture(DUE_FIRST_PATH), later: await capture(laterPage.path) };
      console.log(`Captured the API's due statements from pg_stat_activity: ${oneLine(statements.first)}`);
      const baseline: ServerProcess = await startBaseline(config, statements);
      console.log(`Baseline pid ${baseline.pid} at ${baseline.origin}`);
      const servers = { NAT: api, baseline };
      const sameAnswers = await compareAnswers(servers, session, laterPage);

      const scope = { tenantId: BIG_TENANT, userId: session.userId, timezone };
      const first = await explainDueQuery(db, statements.first, scope, undefined);
      const later = await explainDueQuery(db, statements.later, scope, laterPage.cursor);
      const explainFile = writeExplain(config.root, config.scale, `${first.text}\n\n${later.text}`);
      console.log(`EXPLAIN (ANALYZE, BUFFERS) as nat_app with RLS written to ${explainFile}`);

      const phase: PhaseContext = {
        config,
        servers,
        apiRss,
        cpu: new CpuMeter(db),
        freshContext: async () => ({
          session: await signIn(servers.NAT.origin, email, BIG_TENANT),
          laterPagePath: laterPage.path,
          completeIds,
        }),
      };
      console.log('Warming up…');
      await warmUp(phase);
      console.log(`Saturation (autocannon, ${config.saturationConnections.join('/')} connections):`);
      const saturation = await saturationPhase(phase);
      // The saturated completions leave dead rows and dirty pages behind: the paced runs should not start in them.
      await settle('paced runs');
      console.log(`Paced (open loop, ${config.repeat} repeats, medians):`);
      const paced = await pacedPhase(phase);
      return {
        session,
        laterPage,
        statements,
        sameAnswers,
        plans: [first.check, later.check],
        rows: [...saturation, ...paced],
      };
    };
    const outcome = await drive().finally(async () => {
      apiRss.stop();
      await stopAllServers();
    });
    if (config.cpuProfile) {
      const file = newestProfile(join(config.root, PROFILE_DIR));
      if (file) {
        profile = summarizeProfile(file, config.root);
        printProfile(profile);
      }
    }

    machine.loadAverageAtEnd = loadAverage();
    const rows = outcome.rows;
    attachRatios(rows);
    const targets = checkTargets(config, rows, apiRss.overall, outcome.plans, outcome.sameAnswers);
    console.log(`\n${formatTable(rows)}\n`);
    console.log(formatTargets(targets));
    if (completeIds.wraps > 0) {
      console.log(
        `Note: complete_action reused opportunities (${completeIds.used} completions, ${completeIds.wraps} wraps)`,
      );
    }
    const files = writeResults(config.root, {
      startedAt,
      finishedAt: new Date().toISOString(),
      scale: config.scale,
      config: {
        durationSeconds: config.durationSeconds,
        repeat: config.repeat,
        logLevel: config.logLevel,
        apiNodeOptions: config.apiNodeOptions,
        poolSize: config.poolSize,
        cpuProfile: config.cpuProfile,
      },
      machine,
      seed,
      driver: { email: outcome.session.email, role: outcome.session.role, tenant: BIG_TENANT, scope: 'team' },
      laterPagePath: outcome.laterPage.path,
      dueStatements: outcome.statements,
      settled,
      completions: { fetched: completeIds.size, used: completeIds.used, wraps: completeIds.wraps },
      apiRssPeakMb: apiRss.overall,
      rows,
      plans: outcome.plans,
      targets,
      profile,
    });
    console.log(
      `\nLoad average: ${machine.loadAverageAtStart} before, ${machine.loadAverageAtEnd} after the run`,
    );
    console.log(`Results: ${files.join(', ')}`);
    const failed = targets.filter((target) => !target.pass).length;
    console.log(failed === 0 ? 'All targets PASS' : `${failed} target(s) FAIL`);
    return failed > 0 && config.strict ? 1 : 0;
  });
}

/** Ctrl-C or a kill still stops the API and the baseline (they may also get the signal from the terminal). */
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the API and the baseline`);
    void stopAllServers().finally(() => process.exit(130));
  });
}

main().then(
  (code) => process.exit(code),
  async (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    await stopAllServers();
    process.exit(1);
  },
);
