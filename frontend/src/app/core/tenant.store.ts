import { computed, inject, Injectable, signal } from '@angular/core';
import { Api } from '../api/api';
import { tenantsList } from '../api/functions';
import type { Role, TenantDto } from '../api/models';
import { describeApiError } from './api-error';

const STORAGE_KEY = 'nat.tenant';

/** What each role may do in a team, as the dashboard shows it (the API enforces the same rules). */
export function seesTeam(role: Role | undefined): boolean {
  return role === 'manager' || role === 'admin';
}

/**
 * The teams the signed-in user belongs to (GET /tenants answers only those, with the user's role in each), and
 * the selected one, remembered across reloads while the user is still a member.
 */
@Injectable({ providedIn: 'root' })
export class TenantStore {
  private readonly api = inject(Api);

  readonly tenants = signal<TenantDto[]>([]);
  readonly selectedId = signal<string | null>(localStorage.getItem(STORAGE_KEY));
  readonly loading = signal(false);
  readonly error = signal<string | null>(null);
  readonly loaded = signal(false);
  readonly current = computed(() => this.tenants().find((tenant) => tenant.id === this.selectedId()) ?? null);
  readonly role = computed(() => this.current()?.role);
  /** Managers and admins see the whole team's deals and can reassign them. */
  readonly seesTeam = computed(() => seesTeam(this.role()));
  readonly isAdmin = computed(() => this.role() === 'admin');

  private loadingNow: Promise<void> | null = null;

  /** Loads the user's teams unless they are loaded already (or loading). */
  ensureLoaded(): Promise<void> {
    if (this.loaded()) return Promise.resolve();
    return this.load();
  }

  load(): Promise<void> {
    this.loadingNow ??= this.fetch().finally(() => (this.loadingNow = null));
    return this.loadingNow;
  }

  select(id: string | null): void {
    this.selectedId.set(id);
    if (id) localStorage.setItem(STORAGE_KEY, id);
    else localStorage.removeItem(STORAGE_KEY);
  }

  /** After sign-out: nothing of the previous user stays in memory (the remembered choice is checked on load). */
  reset(): void {
    this.tenants.set([]);
    this.loaded.set(false);
    this.error.set(null);
  }

  private async fetch(): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      const tenants = await this.api.invoke(tenantsList);
      this.tenants.set(tenants);
      this.loaded.set(true);
      if (!tenants.some((tenant) => tenant.id === this.selectedId())) this.select(tenants[0]?.id ?? null);
    } catch (error) {
      this.error.set(describeApiError(error));
    } finally {
      this.loading.set(false);
    }
  }
}
