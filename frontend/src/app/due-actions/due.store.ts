import { computed, inject, Injectable, signal } from '@angular/core';
import { Api } from '../api/api';
import { opportunitiesGetDue, opportunitiesGetDueSummary } from '../api/functions';
import type { DueSummaryDto, OpportunityDto, Scope } from '../api/models';
import { describeApiError } from '../core/api-error';
import { nextCursor } from '../core/link-header';
import { dueDate } from '../core/opportunity';
import { TeamScope } from '../team/team-scope';

export const DUE_PAGE_SIZE = 50;
/** The API's largest page: a quiet reload refetches what is shown, up to this many rows. */
const MAX_PAGE_SIZE = 500;
/** How far ahead the empty state looks for the next planned action. */
const NEXT_ACTION_HORIZON_DAYS = 3650;

type Status = 'loading' | 'ready' | 'error';

/**
 * The due list of the selected tenant, the user's own deals or the whole team's (TeamScope): first page, further
 * pages by cursor, the summary, the next upcoming action.
 */
@Injectable()
export class DueStore {
  private readonly api = inject(Api);
  private readonly scope = inject(TeamScope);

  readonly status = signal<Status>('loading');
  readonly error = signal<string | null>(null);
  readonly items = signal<OpportunityDto[]>([]);
  readonly summary = signal<DueSummaryDto | null>(null);
  readonly nextUpcoming = signal<OpportunityDto | null>(null);
  readonly cursor = signal<string | null>(null);
  readonly loadingMore = signal(false);
  readonly loadMoreError = signal<string | null>(null);
  readonly now = signal(new Date());

  readonly overdue = computed(() => this.items().filter((item) => dueDate(item) < this.now()));
  readonly dueToday = computed(() => this.items().filter((item) => dueDate(item) >= this.now()));
  readonly hasMore = computed(() => this.cursor() !== null);

  private generation = 0;
  /** The scope the items shown were loaded for: further pages must follow the same list. */
  private scopeOfItems: { scope?: Scope } = {};

  /**
   * Reloads everything; a reload started later wins over one still in flight (e.g. a fast tenant switch).
   * A quiet reload (after a change) refetches as many rows as are shown, so cards paged in with "Load more"
   * (and picked in bulk mode) stay, and keeps what is shown if it fails.
   */
  async load({ quiet = false } = {}): Promise<void> {
    const generation = ++this.generation;
    if (!quiet) this.status.set('loading');
    this.error.set(null);
    this.loadMoreError.set(null);
    const limit = quiet
      ? Math.min(MAX_PAGE_SIZE, Math.max(DUE_PAGE_SIZE, this.items().length))
      : DUE_PAGE_SIZE;
    const scope = this.scope.params();
    this.scopeOfItems = scope;
    try {
      const [page, summary] = await Promise.all([
        this.api.invoke$Response(opportunitiesGetDue, { ...scope, limit }),
        this.api.invoke(opportunitiesGetDueSummary, scope),
      ]);
      const nextUpcoming = page.body.length === 0 ? await this.fetchNextUpcoming(scope) : null;
      if (generation !== this.generation) return;
      this.now.set(new Date());
      this.items.set(page.body);
      this.cursor.set(nextCursor(page.headers.get('Link')));
      this.summary.set(summary);
      this.nextUpcoming.set(nextUpcoming);
      this.status.set('ready');
    } catch (error) {
      if (generation !== this.generation) return;
      if (quiet && this.status() === 'ready') return; // keep showing what we have; the next change retries
      this.error.set(describeApiError(error));
      this.status.set('error');
    }
  }

  async loadMore(): Promise<void> {
    const cursor = this.cursor();
    if (!cursor || this.loadingMore()) return;
    const generation = this.generation;
    this.loadingMore.set(true);
    this.loadMoreError.set(null);
    try {
      const page = await this.api.invoke$Response(opportunitiesGetDue, {
        ...this.scopeOfItems,
        limit: DUE_PAGE_SIZE,
        cursor,
      });
      if (generation !== this.generation) return;
      const known = new Set(this.items().map((item) => item.id));
      this.items.update((items) => [...items, ...page.body.filter((item) => !known.has(item.id))]);
      this.cursor.set(nextCursor(page.headers.get('Link')));
    } catch (error) {
      if (generation === this.generation) this.loadMoreError.set(describeApiError(error));
    } finally {
      this.loadingMore.set(false);
    }
  }

  /** The cards leave at once; the counts and the rest follow from a quiet reload. */
  removeLocally(...ids: string[]): void {
    const gone = new Set(ids);
    this.items.update((items) => items.filter((item) => !gone.has(item.id)));
  }

  private async fetchNextUpcoming(scope: { scope?: Scope }): Promise<OpportunityDto | null> {
    const from = new Date();
    const until = new Date(from.getTime() + NEXT_ACTION_HORIZON_DAYS * 24 * 3600 * 1000);
    const [next] = await this.api.invoke(opportunitiesGetDue, {
      ...scope,
      from: from.toISOString(),
      until: until.toISOString(),
      limit: 1,
    });
    return next ?? null;
  }
}
