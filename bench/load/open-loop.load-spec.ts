import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runPaced, type PacedOutcome } from '../src/open-loop';

/** The pacer itself, against a local node:http server in this process: what it keeps, and what it says of its own stalls. */
describe('runPaced, the open-loop generator', () => {
  const BODY = JSON.stringify({ items: Array.from({ length: 50 }, (_, index) => ({ index })) });
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    server = createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(BODY);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const request = () => ({ method: 'GET', path: '/' });

  it('hands every answer, body and all, to a caller that reads outcomes', async () => {
    const outcomes: PacedOutcome[] = [];
    const result = await runPaced({
      origin,
      rate: 100,
      durationSeconds: 0.5,
      connections: 5,
      request,
      onOutcome: (outcome) => outcomes.push(outcome),
    });
    expect(result).toMatchObject({ sent: 50, ok: 50, errors: 0 });
    expect(outcomes).toHaveLength(50);
    for (const outcome of outcomes) expect([outcome.status, outcome.body]).toEqual([200, BODY]);
  });

  it('reports its own event-loop stall, in milliseconds beyond the sampling interval', async () => {
    // Hold the generator's thread for 60 ms in the middle of a 1-s run, as a long collection would.
    const stall = setTimeout(() => {
      const until = Date.now() + 60;
      while (Date.now() < until);
    }, 400);
    const result = await runPaced({ origin, rate: 50, durationSeconds: 1, connections: 5, request });
    clearTimeout(stall);
    expect(result).toMatchObject({ sent: 50, ok: 50, errors: 0 });
    const { loopDelayP99, loopDelayMax, gcTotal, gcMax } = result.generator;
    expect(loopDelayMax).toBeGreaterThanOrEqual(40);
    expect(loopDelayMax).toBeLessThan(500);
    expect(loopDelayP99).toBeLessThanOrEqual(loopDelayMax);
    expect(gcMax).toBeGreaterThanOrEqual(0);
    expect(gcTotal).toBeGreaterThanOrEqual(gcMax);
    // The stall lands in the latency of the requests due meanwhile: that is why it is reported.
    expect(result.max).toBeGreaterThanOrEqual(40);
  });
});
