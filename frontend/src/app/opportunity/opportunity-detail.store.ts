import { computed, inject, Injectable, signal } from '@angular/core';
import { Api } from '../api/api';
import { opportunitiesGet, opportunitiesGetActions } from '../api/functions';
import type { OpportunityEventDto, OpportunityDto } from '../api/models';
import { describeApiError, errorCodeOf } from '../core/api-error';
import { nextCursor } from '../core/link-header';
import { nextActionDate } from '../core/opportunity';

export const HISTORY_PAGE_SIZE = 20;
/** The API's largest page: a quiet reload refetches the history shown, up to this many entries. */
const MAX_PAGE_SIZE = 500;

export type OpportunityDetailStatus = 'loading' | 'ready' | 'not-found' | 'error';

/** One opportunity of the selected tenant and its timeline of events, newest first. */
@Injectable()
export class OpportunityDetailStore {
  private readonly api = inject(Api);

  readonly status = signal<OpportunityDetailStatus>('loading');
  readonly error = signal<string | null>(null);
  readonly opportunity = signal<OpportunityDto | null>(null);
  readonly history = signal<OpportunityEventDto[]>([]);
  readonly historyCursor = signal<string | null>(null);
  readonly loadingMore = signal(false);
  readonly loadMoreError = signal<string | null>(null);
  readonly now = signal(new Date());

  readonly hasMoreHistory = computed(() => this.historyCursor() !== null);
  readonly overdue = computed(() => {
    const opportunity = this.opportunity();
    return (
      opportunity !== null && (nextActionDate(opportunity)?.getTime() ?? Infinity) < this.now().getTime()
    );
  });

  /** The event that closed the deal, while it is closed: its outcome, reason and the stage it was in. */
  readonly closing = computed(() => {
    const opportunity = this.opportunity();
    if (!opportunity || opportunity.status === 'open') return null;
    // Newest first: any reopening and closing after this one would come before it.
    return this.history().find((event) => event.type === 'closed') ?? null;
  });

  private id: string | null = null;
  private generation = 0;

  /**
   * Loads the deal and the first page of its history together; a later load wins over one still in flight.
   * A quiet reload of the same deal keeps what is shown (and the history already paged in) until the answer.
   */
  async load(id: string, { quiet = false } = {}): Promise<void> {
    const generation = ++this.generation;
    const sameDeal = id === this.id;
    this.id = id;
    if (!quiet || !sameDeal) {
      this.clear();
      this.status.set('loading');
    }
    const limit =
      quiet && sameDeal
        ? Math.min(MAX_PAGE_SIZE, Math.max(HISTORY_PAGE_SIZE, this.history().length))
        : HISTORY_PAGE_SIZE;
    try {
      const [opportunity, history] = await Promise.all([
        this.api.invoke(opportunitiesGet, { id }),
        this.api.invoke$Response(opportunitiesGetActions, { id, limit }),
      ]);
      if (generation !== this.generation) return;
      this.now.set(new Date());
      this.opportunity.set(opportunity);
      this.history.set(history.body);
      this.historyCursor.set(nextCursor(history.headers.get('Link')));
      this.error.set(null);
      this.status.set('ready');
    } catch (error) {
      if (generation !== this.generation) return;
      const notFound = errorCodeOf(error) === 'OPPORTUNITY_NOT_FOUND';
      if (!notFound && quiet && this.status() === 'ready') return; // keep showing the deal; the next change retries
      this.clear();
      this.error.set(notFound ? null : describeApiError(error));
      this.status.set(notFound ? 'not-found' : 'error');
    }
  }

  /** Loads the deal again as if for the first time, e.g. after a failure. */
  retry(): Promise<void> {
    return this.id ? this.load(this.id) : Promise.resolve();
  }

  async loadMoreHistory(): Promise<void> {
    const cursor = this.historyCursor();
    const id = this.id;
    if (!cursor || !id || this.loadingMore()) return;
    const generation = this.generation;
    this.loadingMore.set(true);
    this.loadMoreError.set(null);
    try {
      const page = await this.api.invoke$Response(opportunitiesGetActions, {
        id,
        limit: HISTORY_PAGE_SIZE,
        cursor,
      });
      if (generation !== this.generation) return;
      const known = new Set(this.history().map((entry) => entry.id));
      this.history.update((history) => [...history, ...page.body.filter((entry) => !known.has(entry.id))]);
      this.historyCursor.set(nextCursor(page.headers.get('Link')));
    } catch (error) {
      if (generation === this.generation) this.loadMoreError.set(describeApiError(error));
    } finally {
      this.loadingMore.set(false);
    }
  }

  /** Shows the deal as a change answered at once; the history follows with the reload after it. */
  showChanged(opportunity: OpportunityDto): void {
    if (opportunity.id !== this.id) return;
    this.now.set(new Date());
    this.opportunity.set(opportunity);
  }

  private clear(): void {
    this.opportunity.set(null);
    this.history.set([]);
    this.historyCursor.set(null);
    this.error.set(null);
    this.loadMoreError.set(null);
  }
}
