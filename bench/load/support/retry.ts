import { call, errorCodeOf, socketErrorOf } from './http';
import type { LoadMix, SentRequest } from './load-mix';
import { forEachLimited } from './probes';

/** How a client's retry of a completion ended. */
export interface RetryOutcome {
  entry: SentRequest;
  status: number;
  errorCode?: string;
  socketError?: string;
  /** The answer is the first attempt's, replayed (`Idempotent-Replayed: true`). */
  replayed: boolean;
  body: string;
}

/** Sends `entry` again exactly as the first time: same user, deal, body and Idempotency-Key. */
export async function retry(origin: string, mix: LoadMix, entry: SentRequest): Promise<RetryOutcome> {
  const request = mix.toPaced(entry);
  try {
    const answer = await call(origin, {
      method: request.method,
      path: request.path,
      headers: request.headers,
      json: entry.body,
    });
    return {
      entry,
      status: answer.status,
      errorCode: errorCodeOf(answer.body),
      replayed: answer.headers['idempotent-replayed'] === 'true',
      body: answer.body,
    };
  } catch (error) {
    return { entry, status: 0, socketError: socketErrorOf(error), replayed: false, body: '' };
  }
}

/** `200`, `200 replayed`, `503 DATABASE_UNAVAILABLE` or the socket error, for counting. */
export function retryOutcomeOf(outcome: RetryOutcome): string {
  if (outcome.socketError) return outcome.socketError;
  if (outcome.errorCode) return `${outcome.status} ${outcome.errorCode}`;
  return outcome.replayed ? `${outcome.status} replayed` : String(outcome.status);
}

/** Every completion a client got a 200 for, first time or on retry, and how each retry ended. */
export interface RetriedCompletions {
  retries: RetryOutcome[];
  acknowledged: SentRequest[];
}

/**
 * What a client does once the database is back: sends every completion that did not get a 200 again, once, with
 * its Idempotency-Key and body, 8 at a time. The retries come back in the order the completions were sent.
 */
export async function retryFailedCompletions(origin: string, mix: LoadMix): Promise<RetriedCompletions> {
  const failed = mix.completions.filter((entry) => entry.answer?.status !== 200);
  const retries: RetryOutcome[] = [];
  await forEachLimited(failed, 8, async (entry) => {
    retries.push(await retry(origin, mix, entry));
  });
  retries.sort((a, b) => a.entry.index - b.entry.index);
  const acknowledged = [
    ...mix.completions.filter((entry) => entry.answer?.status === 200),
    ...retries.filter((outcome) => outcome.status === 200).map((outcome) => outcome.entry),
  ];
  return { retries, acknowledged };
}
