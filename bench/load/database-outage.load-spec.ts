import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { runPaced, type PacedRunResult } from '../src/open-loop';
import { checkHistory, consistentHistory, type HistoryCheck } from './support/history';
import { LoadMix, type SentRequest } from './support/load-mix';
import { startStack, stopStack, type LoadStack } from './support/load-stack';
import { pollEvery, probe, type ProbeResult } from './support/probes';
import { countsByOutcome, describeRun, outcomeOf, withApiLog } from './support/report';
import { retryFailedCompletions, retryOutcomeOf, type RetryOutcome } from './support/retry';

const SUITE = 'database-outage';
const RATE = 150;
const CONNECTIONS = 50;
/** Steady load, then the database is away for OUTAGE_MS, then back while the load goes on. */
const CUT_AFTER_MS = 5_000;
const OUTAGE_MS = 4_000;
const SECONDS = 16;
/** Time for the API to notice a change of the database's state, at either end of the outage. */
const SETTLE_MS = 500;
/** How soon after the database is back the API must answer 200s again, without a restart. */
const RECOVERY_MS = 5_000;
/** How long a client may wait for the 503 while the database is away. */
const FAST_FAILURE_MS = 3_000;
const UNAVAILABLE = '503 DATABASE_UNAVAILABLE';

describe(`the API under ${RATE} requests/s while the database goes away for ${OUTAGE_MS / 1000} s`, () => {
  let stack: LoadStack | undefined;
  let mix: LoadMix;
  let result: PacedRunResult;
  let cutAt = 0;
  let restoredAt = 0;
  let readiness: ProbeResult[] = [];
  let livenessWhileCut: ProbeResult | undefined;
  let retries: RetryOutcome[] = [];
  let history: HistoryCheck;
  let acknowledgedCount = 0;

  const started = () => {
    if (!stack) throw new Error('the stack did not start');
    return stack;
  };
  const sentBetween = (from: number, to: number): SentRequest[] =>
    mix.requests.filter((entry) => entry.sentAt >= from && entry.sentAt < to);

  beforeAll(async () => {
    stack = await startStack(SUITE);
    const { api, proxy, database, world } = stack;
    mix = new LoadMix(world, { completionShare: 0.4, idempotencyKeys: true, label: SUITE });
    const poller = pollEvery(api.origin, '/health/ready', 200);
    const outage = (async () => {
      await sleep(CUT_AFTER_MS);
      cutAt = performance.now();
      await proxy.cut();
      await sleep(OUTAGE_MS / 2);
      livenessWhileCut = await probe(api.origin, '/health/live');
      await sleep(OUTAGE_MS / 2);
      restoredAt = performance.now();
      await proxy.restore();
    })();
    result = await runPaced({
      origin: api.origin,
      rate: RATE,
      durationSeconds: SECONDS,
      connections: CONNECTIONS,
      request: mix.request,
      onOutcome: mix.record,
    });
    await outage;
    readiness = await poller.stop();
    console.log(describeRun(`${SUITE} (${SECONDS} s, cut for ${OUTAGE_MS} ms)`, result, mix.requests));

    // A client retries what failed, with the same Idempotency-Key and body, once the database is back.
    let acknowledged: SentRequest[];
    ({ retries, acknowledged } = await retryFailedCompletions(api.origin, mix));
    const retryCounts: Record<string, number> = {};
    for (const outcome of retries) {
      retryCounts[retryOutcomeOf(outcome)] = (retryCounts[retryOutcomeOf(outcome)] ?? 0) + 1;
    }
    console.log(`${SUITE}: retried ${retries.length} failed completions: ${JSON.stringify(retryCounts)}`);

    acknowledgedCount = acknowledged.length;
    history = await checkHistory(database.pool, world.tenants, acknowledged);
  });

  afterAll(() => stopStack(SUITE, stack));

  it('answers every request with 200 or 503 DATABASE_UNAVAILABLE: no 500, no socket error, no hang', async () => {
    await withApiLog(started().api, () => {
      const unexpected = countsByOutcome(
        mix.requests.filter((entry) => !['200', UNAVAILABLE].includes(outcomeOf(entry))),
      );
      expect(unexpected).toEqual({});
      expect(mix.inFlight).toHaveLength(0);
      expect(result.sent).toBe(RATE * SECONDS);
    });
  });

  it(`answers 503 DATABASE_UNAVAILABLE within ${FAST_FAILURE_MS / 1000} s to every request while the database is away`, async () => {
    await withApiLog(started().api, () => {
      const answeredWhileCut = mix.requests.filter(
        (entry) => (entry.answer?.at ?? 0) >= cutAt + SETTLE_MS && (entry.answer?.at ?? 0) < restoredAt,
      );
      expect(answeredWhileCut.length).toBeGreaterThan(0.9 * RATE * ((OUTAGE_MS - 2 * SETTLE_MS) / 1000));
      expect(countsByOutcome(answeredWhileCut.filter((entry) => outcomeOf(entry) !== UNAVAILABLE))).toEqual(
        {},
      );
      // Sent while the database was away: a fast 503, or a 200 if it was only served once the database was back.
      const sentWhileCut = sentBetween(cutAt + SETTLE_MS, restoredAt);
      const slow = sentWhileCut.filter((entry) => (entry.answer?.latencyMs ?? Infinity) > FAST_FAILURE_MS);
      expect(
        slow.map((entry) => `${entry.requestId}: ${outcomeOf(entry)} after ${entry.answer?.latencyMs} ms`),
      ).toEqual([]);
      const servedBeforeRestore = sentWhileCut.filter((entry) => (entry.answer?.at ?? 0) < restoredAt);
      expect(
        countsByOutcome(servedBeforeRestore.filter((entry) => outcomeOf(entry) !== UNAVAILABLE)),
      ).toEqual({});
    });
  });

  it('stays alive while the database is away: /health/live 200, /health/ready 503, then 200 again', async () => {
    await withApiLog(started().api, () => {
      expect(started().api.hasExited).toBe(false);
      expect(livenessWhileCut?.status).toBe(200);
      const readyStatus = (from: number, to: number) =>
        readiness.filter((poll) => poll.at >= from && poll.answeredAt < to).map((poll) => poll.status);
      expect(readyStatus(0, cutAt)).toContain(200);
      const whileCut = readyStatus(cutAt + SETTLE_MS, restoredAt);
      expect(whileCut.length).toBeGreaterThan(0);
      expect(whileCut.filter((status) => status !== 503)).toEqual([]);
      expect(readiness.at(-1)?.status).toBe(200);
    });
  });

  it(`recovers by itself: 200s again within ${RECOVERY_MS / 1000} s of the database coming back`, async () => {
    await withApiLog(started().api, () => {
      const firstOk = mix.requests.find(
        (entry) => entry.sentAt >= restoredAt && entry.answer?.status === 200,
      );
      expect(firstOk).toBeDefined();
      expect((firstOk?.sentAt ?? Infinity) - restoredAt).toBeLessThanOrEqual(RECOVERY_MS);
      const afterRecovery = sentBetween(restoredAt + RECOVERY_MS, Infinity);
      expect(afterRecovery.length).toBeGreaterThan(0);
      expect(countsByOutcome(afterRecovery.filter((entry) => entry.answer?.status !== 200))).toEqual({});
    });
  });

  it('completes every failed completion on retry with the same Idempotency-Key and body', async () => {
    await withApiLog(started().api, () => {
      expect(retries.length).toBeGreaterThan(0);
      const notCompleted = retries
        .filter((outcome) => outcome.status !== 200)
        .map((outcome) => `${outcome.entry.body?.notes}: ${retryOutcomeOf(outcome)} ${outcome.body}`);
      expect(notCompleted).toEqual([]);
    });
  });

  it('keeps every completion acknowledged with 200, before, during or after the outage, in the history exactly once', async () => {
    await withApiLog(started().api, () => expect(history).toEqual(consistentHistory(acknowledgedCount)));
  });
});
