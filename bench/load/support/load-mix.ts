import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { PacedOutcome, PacedRequest } from '../../src/open-loop';
import { headersOf, type LoadUser, type LoadWorld } from './fixtures';
import { errorCodeOf } from './http';

export const OPPORTUNITIES = '/api/v1/opportunities';

/** What a client sends to complete an action; `notes` carries a token unique to the request. */
export interface CompletionBody {
  new_next_action_at: string;
  new_next_action_details: string;
  notes: string;
}

export type RequestKind = 'due-mine' | 'due-team' | 'completion';

/** One request of a run as it was sent and, once it ended, as it was answered. */
export interface SentRequest {
  index: number;
  kind: RequestKind;
  /** Sent as X-Request-ID, which the API logs with each request: the client's and the server's accounts meet. */
  requestId: string;
  user: LoadUser;
  /** performance.now() when the pacer sent it. */
  sentAt: number;
  /** Completions only. */
  opportunityId?: string;
  body?: CompletionBody;
  idempotencyKey?: string;
  answer?: {
    status: number;
    errorCode?: string;
    /** The network error's code when there was no answer. */
    socketError?: string;
    latencyMs: number;
    /** Kept for completions and errors only. */
    body: string;
    at: number;
  };
}

export interface LoadMixOptions {
  /** Share of requests that complete an action; the rest read due lists. */
  completionShare: number;
  /** Share of reads that are a manager's team view. */
  teamReadShare?: number;
  /** Send an Idempotency-Key with every completion. */
  idempotencyKeys?: boolean;
  /** Prefix of the notes tokens, so a run's completions are told apart from any other's. */
  label: string;
}

/**
 * A deterministic pick in [0, 1) for request `index`, independent for each `salt` (a 32-bit integer hash), so
 * runs mix the same way every time.
 */
function spread(index: number, salt: number): number {
  let x = Math.imul(index + 1, 0x9e3779b1) ^ Math.imul(salt, 0x85ebca77);
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return ((x ^ (x >>> 16)) >>> 0) / 2 ** 32;
}

/**
 * The traffic of a sales team: reps read their due lists and complete their own deals' actions, managers read
 * the team's list. A deal is never completed twice at the same time: a rep whose deals are all in flight reads
 * instead. Remembers every request and its answer, for the checks afterwards.
 */
export class LoadMix {
  readonly sent = new Map<number, SentRequest>();
  private readonly inFlightDeals = new Set<string>();
  private readonly nextDeal = new Map<LoadUser, number>();
  private readonly run = randomBytes(4).toString('hex');

  constructor(
    private readonly world: LoadWorld,
    private readonly options: LoadMixOptions,
  ) {}

  /** For the pacer: the i-th request. */
  readonly request = (index: number): PacedRequest => {
    const entry = this.plan(index);
    this.sent.set(index, entry);
    return this.toPaced(entry);
  };

  /** For the pacer: remembers how request i ended and frees its deal. */
  readonly record = (outcome: PacedOutcome): void => {
    const entry = this.sent.get(outcome.index);
    if (!entry) throw new Error(`an outcome for request ${outcome.index}, which was never sent`);
    if (entry.opportunityId) this.inFlightDeals.delete(entry.opportunityId);
    // A due page is tens of kilobytes: over a soak, keeping every one would take gigabytes.
    const keepBody = entry.kind === 'completion' || outcome.status !== 200;
    entry.answer = {
      status: outcome.status,
      errorCode: outcome.status >= 400 ? errorCodeOf(outcome.body) : undefined,
      socketError: outcome.status === 0 ? (outcome.error ?? 'ERROR') : undefined,
      latencyMs: outcome.latencyMs,
      body: keepBody ? outcome.body : '',
      at: performance.now(),
    };
  };

  get requests(): SentRequest[] {
    return [...this.sent.values()];
  }

  get completions(): SentRequest[] {
    return this.requests.filter((entry) => entry.kind === 'completion');
  }

  /** Requests still without an answer. */
  get inFlight(): SentRequest[] {
    return this.requests.filter((entry) => entry.answer === undefined);
  }

  /** The same completion again, e.g. to retry it: same user, deal, body and Idempotency-Key. */
  toPaced(entry: SentRequest): PacedRequest {
    const headers: Record<string, string> = { ...headersOf(entry.user), 'x-request-id': entry.requestId };
    if (entry.kind !== 'completion') {
      const scope = entry.kind === 'due-team' ? '?scope=team' : '';
      return { method: 'GET', path: `${OPPORTUNITIES}/due${scope}`, headers };
    }
    if (entry.idempotencyKey) headers['idempotency-key'] = entry.idempotencyKey;
    return {
      method: 'POST',
      path: `${OPPORTUNITIES}/${entry.opportunityId}/complete_action`,
      headers,
      body: JSON.stringify(entry.body),
    };
  }

  private plan(index: number): SentRequest {
    const sentAt = performance.now();
    const requestId = `${this.options.label}-${this.run}-${index}`;
    const { reps, managers } = this.world;
    const rep = reps[index % reps.length];
    if (spread(index, 1) < this.options.completionShare) {
      const opportunityId = this.freeDealOf(rep);
      if (opportunityId) {
        this.inFlightDeals.add(opportunityId);
        return {
          index,
          kind: 'completion',
          requestId,
          user: rep,
          sentAt,
          opportunityId,
          body: this.completionBody(index),
          idempotencyKey: this.options.idempotencyKeys ? requestId : undefined,
        };
      }
    }
    if (spread(index, 2) < (this.options.teamReadShare ?? 0.2)) {
      return { index, kind: 'due-team', requestId, user: managers[index % managers.length], sentAt };
    }
    return { index, kind: 'due-mine', requestId, user: rep, sentAt };
  }

  private freeDealOf(rep: LoadUser): string | undefined {
    const start = this.nextDeal.get(rep) ?? 0;
    for (let step = 0; step < rep.deals.length; step++) {
      const position = (start + step) % rep.deals.length;
      const deal = rep.deals[position];
      if (!this.inFlightDeals.has(deal)) {
        this.nextDeal.set(rep, position + 1);
        return deal;
      }
    }
    return undefined;
  }

  private completionBody(index: number): CompletionBody {
    // A day ahead, spread over the following hours: always in the future, off today's due list.
    const at = new Date(Date.now() + 86_400_000 + (index % 600) * 60_000);
    return {
      new_next_action_at: at.toISOString(),
      new_next_action_details: `Send the follow-up (${index})`,
      notes: `${this.options.label} ${this.run} #${index}`,
    };
  }
}
