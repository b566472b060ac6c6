import { computed, inject, Injectable, signal } from '@angular/core';
import { Api } from '../api/api';
import { opportunitiesList } from '../api/functions';
import type { OpportunityDto, Scope } from '../api/models';
import { describeApiError } from '../core/api-error';
import { nextCursor } from '../core/link-header';
import { TeamScope } from '../team/team-scope';
import { DEFAULT_QUERY, type PipelineQuery, queryToApiParams } from './pipeline-query';

export const PIPELINE_PAGE_SIZE = 50;
/** The API's largest page: a quiet reload refetches what is shown, up to this many rows. */
const MAX_PAGE_SIZE = 500;

type Status = 'loading' | 'ready' | 'error';

/**
 * The All opportunities list of the selected tenant for one query (filters and sort) and scope (the user's own
 * deals or the team's), keyset-paged.
 */
@Injectable()
export class PipelineStore {
  private readonly api = inject(Api);
  private readonly scope = inject(TeamScope);

  readonly query = signal<PipelineQuery>(DEFAULT_QUERY);
  readonly status = signal<Status>('loading');
  readonly error = signal<string | null>(null);
  readonly items = signal<OpportunityDto[]>([]);
  readonly cursor = signal<string | null>(null);
  readonly loadingMore = signal(false);
  readonly loadMoreError = signal<string | null>(null);
  /** A new query is loading while the previous rows stay on screen. */
  readonly refreshing = signal(false);
  /** When the rows were fetched: "overdue" and "due in" are relative to it. */
  readonly now = signal(new Date());

  readonly hasMore = computed(() => this.cursor() !== null);

  private generation = 0;
  /** The scope the items shown were loaded for: further pages, and a quiet reload, follow the same list. */
  private scopeOfItems: { scope?: Scope } = {};

  /**
   * Shows `query`; a load started later wins over one still in flight (typing fast, switching tenants).
   * The first load shows skeletons; later ones keep the rows until the answer arrives. A quiet reload (after a
   * change elsewhere) refetches as many rows as are shown and keeps them if it fails.
   */
  async load(query: PipelineQuery, { quiet = false } = {}): Promise<void> {
    const generation = ++this.generation;
    const scope = this.scope.params();
    const sameQuery = query === this.query() && scope.scope === this.scopeOfItems.scope;
    this.scopeOfItems = scope;
    this.query.set(query);
    if (this.status() !== 'ready') this.status.set('loading');
    else if (!quiet) this.refreshing.set(true);
    this.error.set(null);
    this.loadMoreError.set(null);
    const limit =
      quiet && sameQuery
        ? Math.min(MAX_PAGE_SIZE, Math.max(PIPELINE_PAGE_SIZE, this.items().length))
        : PIPELINE_PAGE_SIZE;
    try {
      const page = await this.api.invoke$Response(opportunitiesList, {
        ...scope,
        ...queryToApiParams(query),
        limit,
      });
      if (generation !== this.generation) return;
      this.now.set(new Date());
      this.items.set(page.body);
      this.cursor.set(nextCursor(page.headers.get('Link')));
      this.status.set('ready');
    } catch (error) {
      if (generation !== this.generation) return;
      if (quiet && this.status() === 'ready') return; // keep showing what we have; the next change retries
      this.error.set(describeApiError(error));
      this.status.set('error');
    } finally {
      if (generation === this.generation) this.refreshing.set(false);
    }
  }

  /** Reloads the current query, e.g. Retry after an error. */
  reload({ quiet = false } = {}): Promise<void> {
    return this.load(this.query(), { quiet });
  }

  async loadMore(): Promise<void> {
    const cursor = this.cursor();
    if (!cursor || this.loadingMore() || this.status() !== 'ready') return;
    const generation = this.generation;
    this.loadingMore.set(true);
    this.loadMoreError.set(null);
    try {
      const page = await this.api.invoke$Response(opportunitiesList, {
        ...this.scopeOfItems,
        ...queryToApiParams(this.query()),
        limit: PIPELINE_PAGE_SIZE,
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
}
