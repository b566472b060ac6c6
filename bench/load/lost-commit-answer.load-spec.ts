import { randomUUID } from 'node:crypto';
import { headersOf } from './support/fixtures';
import { call, errorCodeOf, type HttpAnswer } from './support/http';
import { OPPORTUNITIES } from './support/load-mix';
import { startStack, stopStack, type LoadStack } from './support/load-stack';
import { withApiLog } from './support/report';

const SUITE = 'lost-commit-answer';

/**
 * The nastiest moment for the connection to the database to break: after COMMIT reached it, before its answer
 * came back. The completion is saved, yet the API cannot know and answers an error; the client's retry with
 * the same Idempotency-Key must then find the first answer, not complete the action a second time.
 */
describe('a completion whose COMMIT succeeded but whose answer from the database was lost', () => {
  let stack: LoadStack | undefined;
  const key = randomUUID();
  const note = `${SUITE} ${key}`;
  let first: HttpAnswer;
  let eventsAfterFirst: number;
  let retry: HttpAnswer;
  let eventsAfterRetry: number;

  const started = () => {
    if (!stack) throw new Error('the stack did not start');
    return stack;
  };

  async function completionsNoted(): Promise<number> {
    const { rows } = await started().database.pool.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM opportunity_actions WHERE type = 'completed' AND notes = $1`,
      [note],
    );
    return rows[0].count;
  }

  beforeAll(async () => {
    stack = await startStack(SUITE, { tenants: 1, repsPerTenant: 1, dealsPerRep: 1 });
    const [rep] = stack.world.reps;
    const body = {
      new_next_action_at: new Date(Date.now() + 86_400_000).toISOString(),
      new_next_action_details: 'Send the contract',
      notes: note,
    };
    const complete = () =>
      call(started().api.origin, {
        method: 'POST',
        path: `${OPPORTUNITIES}/${rep.deals[0]}/complete_action`,
        headers: { ...headersOf(rep), 'idempotency-key': key },
        json: body,
      });
    const lost = stack.proxy.loseAnswerToNext('COMMIT');
    first = await complete();
    await lost;
    eventsAfterFirst = await completionsNoted();
    retry = await complete();
    eventsAfterRetry = await completionsNoted();
    console.log(
      `${SUITE}: first answer ${first.status} ${first.body}; retry ${retry.status} ` +
        `(replayed: ${String(retry.headers['idempotent-replayed'])}); completions ${eventsAfterFirst} then ${eventsAfterRetry}`,
    );
  });

  afterAll(() => stopStack(SUITE, stack));

  it('answers 503 DATABASE_UNAVAILABLE, although the completion was saved', async () => {
    await withApiLog(started().api, () => {
      expect([first.status, errorCodeOf(first.body)]).toEqual([503, 'DATABASE_UNAVAILABLE']);
      expect(eventsAfterFirst).toBe(1);
    });
  });

  it('answers the retry under the same key with the saved completion, replayed, and does not complete twice', async () => {
    await withApiLog(started().api, () => {
      expect({ status: retry.status, replayed: retry.headers['idempotent-replayed'] }).toEqual({
        status: 200,
        replayed: 'true',
      });
      expect(eventsAfterRetry).toBe(1);
    });
  });
});
