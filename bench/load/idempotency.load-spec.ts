import { randomUUID } from 'node:crypto';
import { headersOf, type LoadUser } from './support/fixtures';
import { call, errorCodeOf, type HttpAnswer } from './support/http';
import { OPPORTUNITIES, type CompletionBody } from './support/load-mix';
import { startStack, stopStack, type LoadStack } from './support/load-stack';
import { withApiLog } from './support/report';

const SUITE = 'idempotency';
/** The same request, sent this many times at once on as many connections. */
const COPIES = 10;

/** One rep's completion of one of their deals, under one key: the same body every time it is sent. */
interface KeyedCompletion {
  user: LoadUser;
  opportunityId: string;
  key: string;
  body: CompletionBody;
}

const replayed = (answer: HttpAnswer) => answer.headers['idempotent-replayed'] === 'true';

function completionBody(note: string, details = 'Send the signed order form'): CompletionBody {
  return {
    new_next_action_at: new Date(Date.now() + 2 * 86_400_000).toISOString(),
    new_next_action_details: details,
    notes: note,
  };
}

describe('Idempotency-Key on complete_action, over HTTP against the production build', () => {
  let stack: LoadStack | undefined;

  const started = () => {
    if (!stack) throw new Error('the stack did not start');
    return stack;
  };

  function send(completion: KeyedCompletion, body: object = completion.body): Promise<HttpAnswer> {
    return call(started().api.origin, {
      method: 'POST',
      path: `${OPPORTUNITIES}/${completion.opportunityId}/complete_action`,
      headers: { ...headersOf(completion.user), 'idempotency-key': completion.key },
      json: body,
    });
  }

  /** How many times the history holds a completion with `note`. */
  async function completionsNoted(note: string): Promise<number> {
    const { rows } = await started().database.pool.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM opportunity_actions WHERE type = 'completed' AND notes = $1`,
      [note],
    );
    return rows[0].count;
  }

  /** The `deal`-th deal of every rep, each under a new key. */
  function oneCompletionPerRep(deal: number): KeyedCompletion[] {
    return started().world.reps.map((user) => {
      const key = randomUUID();
      return { user, opportunityId: user.deals[deal], key, body: completionBody(`${SUITE} ${key}`) };
    });
  }

  beforeAll(async () => {
    stack = await startStack(SUITE, { tenants: 2, repsPerTenant: 4, dealsPerRep: 5 });
  });

  afterAll(() => stopStack(SUITE, stack));

  describe(`the same key and body sent ${COPIES} times at once, by every rep at the same time`, () => {
    let completions: KeyedCompletion[];
    let answers: HttpAnswer[][];

    beforeAll(async () => {
      completions = oneCompletionPerRep(0);
      answers = await Promise.all(
        completions.map((completion) => Promise.all(Array.from({ length: COPIES }, () => send(completion)))),
      );
      const seen = answers.flat().map((answer) => `${answer.status}${replayed(answer) ? ' replayed' : ''}`);
      console.log(`${SUITE}: ${seen.length} answers: ${JSON.stringify(countOf(seen))}`);
    });

    it('completes each action exactly once', async () => {
      for (const completion of completions) expect(await completionsNoted(completion.body.notes)).toBe(1);
    });

    it('answers 200 once per key, and every other copy the same 200 replayed or 409 IDEMPOTENCY_KEY_IN_PROGRESS', async () => {
      await withApiLog(started().api, () => {
        for (const copies of answers) {
          const originals = copies.filter((answer) => answer.status === 200 && !replayed(answer));
          expect(originals).toHaveLength(1);
          const others = copies.filter((answer) => answer !== originals[0]);
          for (const answer of others) {
            if (answer.status === 200) {
              expect(replayed(answer)).toBe(true);
              expect(answer.body).toBe(originals[0].body);
            } else {
              expect([answer.status, errorCodeOf(answer.body)]).toEqual([409, 'IDEMPOTENCY_KEY_IN_PROGRESS']);
            }
          }
        }
      });
    });

    it("answers a later retry with the first answer's status and body, replayed", async () => {
      for (const [n, completion] of completions.entries()) {
        const original = answers[n].find((answer) => answer.status === 200 && !replayed(answer));
        const retry = await send(completion);
        expect({ status: retry.status, replayed: replayed(retry), body: retry.body }).toEqual({
          status: 200,
          replayed: true,
          body: original?.body,
        });
      }
      for (const completion of completions) expect(await completionsNoted(completion.body.notes)).toBe(1);
    });

    it('answers 422 IDEMPOTENCY_KEY_REUSED to the same key with another body, and changes nothing', async () => {
      for (const completion of completions) {
        const reused = await send(completion, {
          ...completion.body,
          new_next_action_details: 'Another plan',
        });
        expect([reused.status, errorCodeOf(reused.body)]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
        expect(await completionsNoted(completion.body.notes)).toBe(1);
      }
    });
  });

  it("runs another user's request under the same key as their own", async () => {
    const [first, second] = oneCompletionPerRep(1);
    const shared = { ...second, key: first.key };
    expect((await send(first)).status).toBe(200);
    const answer = await send(shared);
    expect({ status: answer.status, replayed: replayed(answer) }).toEqual({ status: 200, replayed: false });
    expect(await completionsNoted(second.body.notes)).toBe(1);
  });

  it('does not keep the key of a refused request: the corrected request under it runs', async () => {
    const [completion] = oneCompletionPerRep(2);
    const inThePast = { ...completion.body, new_next_action_at: '2020-01-01T09:00:00.000Z' };
    const refused = await send(completion, inThePast);
    expect([refused.status, errorCodeOf(refused.body)]).toEqual([400, 'VALIDATION_ERROR']);
    const corrected = await send(completion);
    expect({ status: corrected.status, replayed: replayed(corrected) }).toEqual({
      status: 200,
      replayed: false,
    });
    expect(await completionsNoted(completion.body.notes)).toBe(1);
  });

  it("keeps concurrent keys apart: one rep's requests under different keys at once all run", async () => {
    const rep = started().world.reps[0];
    const completions = rep.deals.map((opportunityId) => {
      const key = randomUUID();
      return { user: rep, opportunityId, key, body: completionBody(`${SUITE} ${key}`) };
    });
    const answers = await Promise.all(completions.map((completion) => send(completion)));
    expect(answers.map((answer) => answer.status)).toEqual(completions.map(() => 200));
    for (const completion of completions) expect(await completionsNoted(completion.body.notes)).toBe(1);
  });
});

function countOf(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
