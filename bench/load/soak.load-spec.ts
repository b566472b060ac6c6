import { runPaced, type PacedRunResult } from '../src/open-loop';
import { checkHistory, consistentHistory } from './support/history';
import { LoadMix } from './support/load-mix';
import { startStack, stopStack, type LoadStack } from './support/load-stack';
import { describeRun, loadSeconds, withApiLog } from './support/report';

const SUITE = 'soak';
/** 500 requests/s by default; LOAD_RATE changes it, e.g. to find the rate a smaller machine sustains. */
const RATE = Number(process.env.LOAD_RATE ?? 500);
const CONNECTIONS = 200;
const SECONDS = loadSeconds();
const INTENDED = RATE * SECONDS;

describe(`a ${SECONDS} s soak at ${RATE} requests/s over ${CONNECTIONS} connections`, () => {
  let stack: LoadStack | undefined;
  let mix: LoadMix;
  let result: PacedRunResult;

  const started = () => {
    if (!stack) throw new Error('the stack did not start');
    return stack;
  };

  beforeAll(async () => {
    stack = await startStack(SUITE);
    mix = new LoadMix(stack.world, { completionShare: 0.4, teamReadShare: 0.2, label: SUITE });
    const apiCpuBefore = await stack.api.cpuSeconds();
    const ownCpuBefore = process.cpuUsage();
    result = await runPaced({
      origin: stack.api.origin,
      rate: RATE,
      durationSeconds: SECONDS,
      connections: CONNECTIONS,
      request: mix.request,
      onOutcome: mix.record,
    });
    console.log(describeRun(`${SUITE} (${SECONDS} s)`, result, mix.requests));
    const apiCpu = ((await stack.api.cpuSeconds()) ?? NaN) - (apiCpuBefore ?? NaN);
    const ownCpu = process.cpuUsage(ownCpuBefore);
    const perRequest = (seconds: number) => `${((seconds * 1000) / result.sent).toFixed(2)} ms`;
    console.log(
      `${SUITE}: CPU per request: API ${perRequest(apiCpu)}, ` +
        `load generator and proxy ${perRequest((ownCpu.user + ownCpu.system) / 1e6)}`,
    );
  });

  afterAll(() => stopStack(SUITE, stack));

  // The offered load is fixed; what the API answers per second is reported above, not asserted: one API process
  // on this 2-core machine answers 430–480 req/s of this mix, so the soak runs at its limit and its queue, not a
  // rate, is what it exercises. Every request must still be answered, and correctly.
  it('sends at least 90 % of the intended requests on schedule, and gets an answer to every one', async () => {
    await withApiLog(started().api, () => {
      expect(result.sent).toBeGreaterThanOrEqual(0.9 * INTENDED);
      expect(mix.inFlight).toHaveLength(0);
      expect(result.ok + result.errors).toBe(result.sent);
    });
  });

  it('answers every request with 200: no 5xx, no refusal, no socket error, no timeout', async () => {
    await withApiLog(started().api, () => {
      expect(result.byStatus).toEqual({ '200': result.sent });
    });
  });

  it('mixes due lists of reps and managers with completions across every tenant', () => {
    const kinds = new Set(mix.requests.map((entry) => entry.kind));
    expect([...kinds].sort()).toEqual(['completion', 'due-mine', 'due-team']);
    const completingTenants = new Set(mix.completions.map((entry) => entry.user.tenantId));
    expect(completingTenants.size).toBe(started().world.tenants.length);
    expect(mix.completions.length).toBeGreaterThan(0.2 * result.sent);
  });

  it('keeps every acknowledged completion in the history exactly once, and nothing else', async () => {
    const { database, world, api } = started();
    const acknowledged = mix.completions.filter((entry) => entry.answer?.status === 200);
    const check = await checkHistory(database.pool, world.tenants, acknowledged);
    await withApiLog(api, () => expect(check).toEqual(consistentHistory(acknowledged.length)));
  });
});
