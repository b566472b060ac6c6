import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { runPaced, type PacedRunResult } from '../src/open-loop';
import { checkHistory, consistentHistory, type HistoryCheck } from './support/history';
import { LoadMix, type SentRequest } from './support/load-mix';
import { startStack, stopStack, type LoadStack } from './support/load-stack';
import { pollEvery, type ProbeResult } from './support/probes';
import { countsByOutcome, describeRun, outcomeOf, withApiLog } from './support/report';
import { retryFailedCompletions, retryOutcomeOf, type RetryOutcome } from './support/retry';

const SUITE = 'database-stall';
const RATE = 50;
/**
 * More sockets than requests can be in flight (RATE × the 5 s a request may wait), so that no request queues
 * in the client for a free socket: the latencies below are the API's.
 */
const CONNECTIONS = 400;
/** Steady load, then the database goes silent (no answer, no refusal) for STALL_MS, then answers again. */
const STALL_AFTER_MS = 3_000;
const STALL_MS = 10_000;
const SECONDS = 20;
/**
 * How long a client may wait for an answer, 200 or 503, whatever the database does: the API's REQUEST_TIMEOUT_MS
 * (5 s by default: a request's whole wait for the database, a free connection included), and a little more. A
 * request must never wait for as long as the silence.
 */
const ANSWER_WITHIN_MS = 5_500;
const RECOVERY_MS = 5_000;
const UNAVAILABLE = '503 DATABASE_UNAVAILABLE';

/**
 * A database that neither answers nor refuses (a network path gone silent, a host frozen by its hypervisor)
 * is the harder outage: nothing tells the API it is gone, only time does.
 */
describe(`the API under ${RATE} requests/s while the database is silent for ${STALL_MS / 1000} s`, () => {
  let stack: LoadStack | undefined;
  let mix: LoadMix;
  let result: PacedRunResult;
  let stalledAt = 0;
  let readiness: ProbeResult[] = [];
  let retries: RetryOutcome[] = [];
  let history: HistoryCheck;
  let acknowledgedCount = 0;

  const started = () => {
    if (!stack) throw new Error('the stack did not start');
    return stack;
  };

  beforeAll(async () => {
    stack = await startStack(SUITE);
    const { api, proxy, database, world } = stack;
    mix = new LoadMix(world, { completionShare: 0.4, idempotencyKeys: true, label: SUITE });
    const poller = pollEvery(api.origin, '/health/ready', 250);
    const stall = (async () => {
      await sleep(STALL_AFTER_MS);
      stalledAt = performance.now();
      proxy.stall(STALL_MS);
    })();
    result = await runPaced({
      origin: api.origin,
      rate: RATE,
      durationSeconds: SECONDS,
      connections: CONNECTIONS,
      request: mix.request,
      onOutcome: mix.record,
      timeoutMs: 30_000,
    });
    await stall;
    readiness = await poller.stop();
    console.log(describeRun(`${SUITE} (${SECONDS} s, silent for ${STALL_MS} ms)`, result, mix.requests));
    const slow = mix.requests.filter((entry) => (entry.answer?.latencyMs ?? 0) > ANSWER_WITHIN_MS);
    const readyWhileSilent = readiness
      .filter((poll) => poll.at >= stalledAt && poll.at < stalledAt + STALL_MS)
      .map((poll) => `${poll.status} in ${poll.latencyMs.toFixed(0)} ms`);
    console.log(
      `${SUITE}: ${slow.length} answers slower than ${ANSWER_WITHIN_MS} ms: ${JSON.stringify(countsByOutcome(slow))}; ` +
        `/health/ready while silent: ${JSON.stringify(readyWhileSilent)}`,
    );

    let acknowledged: SentRequest[];
    ({ retries, acknowledged } = await retryFailedCompletions(api.origin, mix));
    acknowledgedCount = acknowledged.length;
    history = await checkHistory(database.pool, world.tenants, acknowledged);
  });

  afterAll(() => stopStack(SUITE, stack));

  it(`answers every request within ${ANSWER_WITHIN_MS / 1000} s, with 200 or 503 DATABASE_UNAVAILABLE`, async () => {
    await withApiLog(started().api, () => {
      expect(mix.inFlight).toHaveLength(0);
      const unexpected = mix.requests.filter((entry) => !['200', UNAVAILABLE].includes(outcomeOf(entry)));
      expect(countsByOutcome(unexpected)).toEqual({});
      const slow = mix.requests.filter((entry) => (entry.answer?.latencyMs ?? Infinity) > ANSWER_WITHIN_MS);
      expect(countsByOutcome(slow)).toEqual({});
    });
  });

  it(`answers /health/ready 503 within ${ANSWER_WITHIN_MS / 1000} s while the database is silent, and 200 after`, async () => {
    await withApiLog(started().api, () => {
      const askedWhileSilent = readiness.filter(
        (poll) => poll.at >= stalledAt && poll.at < stalledAt + STALL_MS - ANSWER_WITHIN_MS,
      );
      expect(askedWhileSilent.length).toBeGreaterThan(0);
      const wrong = askedWhileSilent.filter(
        (poll) => poll.status !== 503 || poll.latencyMs > ANSWER_WITHIN_MS,
      );
      expect(
        wrong.map((poll) => `${poll.socketError ?? poll.status} in ${poll.latencyMs.toFixed(0)} ms`),
      ).toEqual([]);
      expect(readiness.at(-1)?.status).toBe(200);
    });
  });

  it(`recovers by itself: 200s again within ${RECOVERY_MS / 1000} s of the database answering again`, async () => {
    await withApiLog(started().api, () => {
      const back = stalledAt + STALL_MS;
      const afterRecovery = mix.requests.filter((entry) => entry.sentAt >= back + RECOVERY_MS);
      expect(afterRecovery.length).toBeGreaterThan(0);
      expect(countsByOutcome(afterRecovery.filter((entry) => entry.answer?.status !== 200))).toEqual({});
    });
  });

  it('completes every failed completion on retry, and keeps each acknowledged one in the history exactly once', async () => {
    await withApiLog(started().api, () => {
      expect(retries.filter((outcome) => outcome.status !== 200).map(retryOutcomeOf)).toEqual([]);
      expect(history).toEqual(consistentHistory(acknowledgedCount));
    });
  });
});
