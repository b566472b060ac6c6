import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { runPaced, type PacedRunResult } from '../src/open-loop';
import type { ApiProcess, LogEntry, ProcessExit } from './support/api-process';
import { checkHistory, consistentHistory, type HistoryCheck } from './support/history';
import { LoadMix, type SentRequest } from './support/load-mix';
import { startStack, stopStack, type LoadStack } from './support/load-stack';
import { probe, type ProbeResult } from './support/probes';
import { countsByOutcome, describeRun, outcomeOf, withApiLog } from './support/report';

const SUITE = 'graceful-shutdown';
const RATE = 100;
/** More sockets than requests ever in flight: a request is written the moment the pacer sends it. */
const CONNECTIONS = 1000;
/** Each way, on every database round trip: a completion then takes ~100 ms, as across a network. */
const DATABASE_LATENCY_MS = 3;
/** SIGTERM comes after this much steady load, once requests are in flight (or at the latest below). */
const SIGTERM_AFTER_MS = 4_000;
const SIGTERM_AT_THE_LATEST_MS = 8_000;
/** How long the load goes on after the process has exited, to see new connections refused. */
const LOAD_AFTER_EXIT_MS = 1_000;
const EXIT_WITHIN_MS = 15_000;
const SIGTERM_LOGGED = /"msg":"SIGTERM: /;
/** What a client may see for a request it sends once draining has begun. */
const AFTER_SIGTERM = ['200', '503 SERVICE_UNAVAILABLE', 'ECONNREFUSED'];
/** A request written on a kept-alive connection as the server closes it: the server never read it. */
const SOCKET_RESETS = ['ECONNRESET', 'socket hang up', 'EPIPE'];

describe(`SIGTERM while the API serves ${RATE} requests/s`, () => {
  let stack: LoadStack | undefined;
  let mix: LoadMix;
  let result: PacedRunResult;
  let sigtermAt = 0;
  let exit: ProcessExit | undefined;
  let exitAt = 0;
  let newConnection: ProbeResult | undefined;
  let history: HistoryCheck;
  let acknowledgedCount = 0;

  const started = () => {
    if (!stack) throw new Error('the stack did not start');
    return stack;
  };
  const sentAfterSigterm = (): SentRequest[] => mix.requests.filter((entry) => entry.sentAt > sigtermAt);
  const inFlightAtSigterm = (): SentRequest[] =>
    mix.requests.filter((entry) => entry.sentAt <= sigtermAt && (entry.answer?.at ?? Infinity) > sigtermAt);

  /** SIGTERM once several requests are being worked on (they must then finish), or at the latest. */
  async function terminateUnderLoad(api: ApiProcess): Promise<void> {
    const begin = performance.now();
    await sleep(SIGTERM_AFTER_MS);
    while (performance.now() - begin < SIGTERM_AT_THE_LATEST_MS) {
      const now = performance.now();
      if (mix.inFlight.filter((entry) => now - entry.sentAt >= 30).length >= 3) break;
      await sleep(1);
    }
    sigtermAt = performance.now();
    api.signal('SIGTERM');
    // A connection opened once the API has taken the signal in, not one the kernel queued before.
    await api.waitForLog(SIGTERM_LOGGED, EXIT_WITHIN_MS);
    newConnection = await probe(api.origin, '/health/live', 2000);
    exit = await api.exitWithin(EXIT_WITHIN_MS);
    exitAt = performance.now();
  }

  beforeAll(async () => {
    stack = await startStack(SUITE);
    const { api, proxy, database, world } = stack;
    proxy.latencyMs = DATABASE_LATENCY_MS;
    mix = new LoadMix(world, { completionShare: 0.5, idempotencyKeys: true, label: SUITE });
    const loadStartedAt = performance.now();
    const termination = terminateUnderLoad(api);
    result = await runPaced({
      origin: api.origin,
      rate: RATE,
      durationSeconds: (SIGTERM_AT_THE_LATEST_MS + EXIT_WITHIN_MS + LOAD_AFTER_EXIT_MS) / 1000,
      connections: CONNECTIONS,
      request: mix.request,
      onOutcome: mix.record,
      timeoutMs: EXIT_WITHIN_MS + 5_000,
      shouldStop: () => exitAt > 0 && performance.now() > exitAt + LOAD_AFTER_EXIT_MS,
    });
    await termination;
    const sigtermAfter = ((sigtermAt - loadStartedAt) / 1000).toFixed(1);
    console.log(describeRun(`${SUITE} (SIGTERM after ${sigtermAfter} s)`, result, mix.requests));
    console.log(
      `${SUITE}: exit ${JSON.stringify(exit)} ${(exitAt - sigtermAt).toFixed(0)} ms after SIGTERM; ` +
        `in flight at SIGTERM (client): ${JSON.stringify(countsByOutcome(inFlightAtSigterm()))}; ` +
        `answered by the server after SIGTERM (its log): ${answeredAfterSigterm(api).length}; ` +
        `sent after SIGTERM: ${JSON.stringify(countsByOutcome(sentAfterSigterm()))}; ` +
        `peak in flight ${peakInFlight(mix.requests)}; new connection once SIGTERM was logged: ` +
        `${newConnection?.socketError ?? newConnection?.status}`,
    );
    const acknowledged = mix.completions.filter((entry) => entry.answer?.status === 200);
    acknowledgedCount = acknowledged.length;
    history = await checkHistory(database.pool, world.tenants, acknowledged);
  });

  afterAll(() => stopStack(SUITE, stack));

  it(`exits with code 0 within ${EXIT_WITHIN_MS / 1000} s of SIGTERM`, async () => {
    await withApiLog(started().api, () => {
      expect(exit).toEqual({ code: 0, signal: null });
      expect(exitAt - sigtermAt).toBeLessThanOrEqual(EXIT_WITHIN_MS);
    });
  });

  it('finishes every request that was in flight at SIGTERM, and the client gets each answer', async () => {
    const { api } = started();
    await withApiLog(api, () => {
      // The server's account: it answered requests after SIGTERM and dropped none it had started.
      expect(answeredAfterSigterm(api).length).toBeGreaterThan(0);
      expect(api.logLines(/"msg":"request (aborted|errored)"/)).toEqual([]);
      // Every answer the server logged reached the client, with that status: no reset after the work was done.
      const byRequestId = new Map(mix.requests.map((entry) => [entry.requestId, entry]));
      const lostAnswers = api
        .logEntries()
        .filter((entry) => entry.msg === 'request completed' && byRequestId.has(entry.req?.id ?? ''))
        .map((entry) => ({ logged: entry, sent: byRequestId.get(entry.req?.id ?? '') }))
        .filter(({ logged, sent }) => sent?.answer?.status !== logged.res?.status_code)
        .map(
          ({ logged, sent }) =>
            `${logged.req?.id}: server ${logged.res?.status_code}, client ${sent && outcomeOf(sent)}`,
        );
      expect(lostAnswers).toEqual([]);
      // The client's account: what it had sent got its answer, or 503 if the server read it only once draining,
      // or a reset of a kept-alive connection the server closed before reading it (it logged no answer, above).
      const sentBefore = mix.requests.filter((entry) => entry.sentAt <= sigtermAt);
      const unexpected = sentBefore.filter(
        (entry) => !['200', '503 SERVICE_UNAVAILABLE', ...SOCKET_RESETS].includes(outcomeOf(entry)),
      );
      expect(countsByOutcome(unexpected)).toEqual({});
    });
  });

  it('refuses new connections once it has taken SIGTERM in, and answers later requests only with 503 SERVICE_UNAVAILABLE', async () => {
    await withApiLog(started().api, () => {
      expect(newConnection?.socketError).toBe('ECONNREFUSED');
      const unexpected = sentAfterSigterm().filter(
        (entry) => !AFTER_SIGTERM.includes(outcomeOf(entry)) && !SOCKET_RESETS.includes(outcomeOf(entry)),
      );
      expect(countsByOutcome(unexpected)).toEqual({});
      const afterExit = mix.requests.filter((entry) => entry.sentAt > exitAt);
      expect(afterExit.length).toBeGreaterThan(0);
      expect(countsByOutcome(afterExit.filter((entry) => outcomeOf(entry) !== 'ECONNREFUSED'))).toEqual({});
    });
  });

  it('never resets a completion it had started: none without an answer is in the history', async () => {
    await withApiLog(started().api, () => {
      const reset = mix.completions.filter((entry) => SOCKET_RESETS.includes(outcomeOf(entry)));
      const resetNotes = new Set(reset.map((entry) => entry.body?.notes));
      expect(history.unacknowledged.filter((note) => resetNotes.has(note))).toEqual([]);
    });
  });

  it('keeps every completion acknowledged with 200 in the history exactly once, and nothing else', async () => {
    await withApiLog(started().api, () => expect(history).toEqual(consistentHistory(acknowledgedCount)));
  });
});

/** The requests the API logged as completed after it logged SIGTERM. */
function answeredAfterSigterm(api: ApiProcess): LogEntry[] {
  const entries = api.logEntries();
  const sigterm = entries.findIndex((entry) => entry.msg.startsWith('SIGTERM: '));
  if (sigterm < 0) return [];
  return entries.slice(sigterm + 1).filter((entry) => entry.msg === 'request completed');
}

/** The most requests that were ever sent and not yet answered at the same time. */
function peakInFlight(entries: SentRequest[]): number {
  const changes = entries.flatMap((entry) => [
    { at: entry.sentAt, step: 1 },
    { at: entry.answer?.at ?? Infinity, step: -1 },
  ]);
  changes.sort((a, b) => a.at - b.at || a.step - b.step);
  let current = 0;
  let peak = 0;
  for (const { step } of changes) {
    current += step;
    peak = Math.max(peak, current);
  }
  return peak;
}
