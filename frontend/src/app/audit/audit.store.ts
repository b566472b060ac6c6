import { computed, inject, Injectable, signal } from '@angular/core';
import { Api } from '../api/api';
import { auditList } from '../api/functions';
import type { AuditEventDto } from '../api/models';
import { describeApiError } from '../core/api-error';
import { nextCursor } from '../core/link-header';

export const AUDIT_PAGE_SIZE = 50;

type Status = 'loading' | 'ready' | 'error';

/** The selected team's audit log, newest first, keyset-paged (admins only). */
@Injectable()
export class AuditStore {
  private readonly api = inject(Api);

  readonly status = signal<Status>('loading');
  readonly error = signal<string | null>(null);
  readonly events = signal<AuditEventDto[]>([]);
  readonly cursor = signal<string | null>(null);
  readonly loadingMore = signal(false);
  readonly loadMoreError = signal<string | null>(null);
  readonly hasMore = computed(() => this.cursor() !== null);

  private generation = 0;

  async load(): Promise<void> {
    const generation = ++this.generation;
    this.status.set('loading');
    this.error.set(null);
    this.loadMoreError.set(null);
    try {
      const page = await this.api.invoke$Response(auditList, { limit: AUDIT_PAGE_SIZE });
      if (generation !== this.generation) return;
      this.events.set(page.body);
      this.cursor.set(nextCursor(page.headers.get('Link')));
      this.status.set('ready');
    } catch (error) {
      if (generation !== this.generation) return;
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
      const page = await this.api.invoke$Response(auditList, { limit: AUDIT_PAGE_SIZE, cursor });
      if (generation !== this.generation) return;
      const known = new Set(this.events().map((event) => event.id));
      this.events.update((events) => [...events, ...page.body.filter((event) => !known.has(event.id))]);
      this.cursor.set(nextCursor(page.headers.get('Link')));
    } catch (error) {
      if (generation === this.generation) this.loadMoreError.set(describeApiError(error));
    } finally {
      this.loadingMore.set(false);
    }
  }
}
