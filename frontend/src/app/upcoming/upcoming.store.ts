import { computed, inject, Injectable, signal } from '@angular/core';
import { Api } from '../api/api';
import { opportunitiesGetDue } from '../api/functions';
import type { OpportunityDto, Scope } from '../api/models';
import { describeApiError } from '../core/api-error';
import { nextCursor } from '../core/link-header';
import { TenantStore } from '../core/tenant.store';
import { browserTimeZone, dayLabel, endOfTodayIn, localDayKey } from '../core/time';
import { dueDate } from '../core/opportunity';
import { TeamScope } from '../team/team-scope';

export const UPCOMING_PAGE_SIZE = 50;
export const UPCOMING_DAYS = 7;
/** The API's largest page: a quiet reload refetches what is shown, up to this many rows. */
const MAX_PAGE_SIZE = 500;
const DAY_MS = 24 * 3600 * 1000;

type Status = 'loading' | 'ready' | 'error';

export interface UpcomingWindow {
  from: Date;
  until: Date;
}

/** Actions planned on one local calendar day. */
export interface DayGroup {
  key: string;
  label: string;
  items: OpportunityDto[];
}

/**
 * The tenant's next `UPCOMING_DAYS` calendar days after today: from the end of its today to the end of its
 * seventh day. The end is found from the middle of that day, so a DST change in between cannot shift it an hour.
 */
export function upcomingWindow(timeZone: string, now: Date): UpcomingWindow {
  const from = endOfTodayIn(timeZone, now);
  const until = endOfTodayIn(timeZone, new Date(from.getTime() + (UPCOMING_DAYS - 0.5) * DAY_MS));
  return { from, until };
}

/** Items (already sorted by due time) grouped by the browser-local day they are due, in order. */
export function groupByLocalDay(items: readonly OpportunityDto[], now: Date): DayGroup[] {
  const groups: DayGroup[] = [];
  for (const item of items) {
    const at = dueDate(item);
    const key = localDayKey(at);
    const last = groups.at(-1);
    if (last?.key === key) last.items.push(item);
    else groups.push({ key, label: dayLabel(at, now), items: [item] });
  }
  return groups;
}

/** The selected tenant's actions of the next seven days (mine or the team's), paged by cursor and grouped by local day. */
@Injectable()
export class UpcomingStore {
  private readonly api = inject(Api);
  private readonly tenants = inject(TenantStore);
  private readonly scope = inject(TeamScope);

  readonly status = signal<Status>('loading');
  readonly error = signal<string | null>(null);
  readonly items = signal<OpportunityDto[]>([]);
  readonly window = signal<UpcomingWindow | null>(null);
  readonly cursor = signal<string | null>(null);
  readonly loadingMore = signal(false);
  readonly loadMoreError = signal<string | null>(null);
  readonly now = signal(new Date());

  readonly groups = computed(() => groupByLocalDay(this.items(), this.now()));
  readonly hasMore = computed(() => this.cursor() !== null);

  private generation = 0;
  /** The scope the items shown were loaded for: further pages must follow the same list. */
  private scopeOfItems: { scope?: Scope } = {};

  /**
   * Reloads the window as of now; a reload started later wins over one still in flight. A quiet reload keeps
   * the rows already paged in, so a change elsewhere does not throw away the user's "Load more".
   */
  async load({ quiet = false } = {}): Promise<void> {
    const generation = ++this.generation;
    if (!quiet) this.status.set('loading');
    this.error.set(null);
    this.loadMoreError.set(null);
    const now = new Date();
    const window = upcomingWindow(this.tenants.current()?.timezone ?? browserTimeZone(), now);
    const limit = quiet
      ? Math.min(MAX_PAGE_SIZE, Math.max(UPCOMING_PAGE_SIZE, this.items().length))
      : UPCOMING_PAGE_SIZE;
    const scope = this.scope.params();
    this.scopeOfItems = scope;
    try {
      const page = await this.api.invoke$Response(opportunitiesGetDue, {
        ...scope,
        ...toParams(window),
        limit,
      });
      if (generation !== this.generation) return;
      this.now.set(now);
      this.window.set(window);
      this.items.set(page.body);
      this.cursor.set(nextCursor(page.headers.get('Link')));
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
    const window = this.window();
    if (!cursor || !window || this.loadingMore()) return;
    const generation = this.generation;
    this.loadingMore.set(true);
    this.loadMoreError.set(null);
    try {
      const page = await this.api.invoke$Response(opportunitiesGetDue, {
        ...this.scopeOfItems,
        ...toParams(window),
        limit: UPCOMING_PAGE_SIZE,
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

  /** The completed card leaves at once; the quiet reload that follows puts its next action where it belongs. */
  removeLocally(id: string): void {
    this.items.update((items) => items.filter((item) => item.id !== id));
  }
}

function toParams(window: UpcomingWindow): { from: string; until: string } {
  return { from: window.from.toISOString(), until: window.until.toISOString() };
}
