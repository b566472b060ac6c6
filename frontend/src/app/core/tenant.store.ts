import { computed, inject, Injectable, signal } from '@angular/core';
import { Api } from '../api/api';
import { tenantsList } from '../api/functions';
import type { TenantDto } from '../api/models';
import { describeApiError } from './api-error';

const STORAGE_KEY = 'nat.tenant';

/** The tenants the user can switch between, and the selected one (kept across reloads). */
@Injectable({ providedIn: 'root' })
export class TenantStore {
  private readonly api = inject(Api);

  readonly tenants = signal<TenantDto[]>([]);
  readonly selectedId = signal<string | null>(localStorage.getItem(STORAGE_KEY));
  readonly loading = signal(false);
  readonly error = signal<string | null>(null);
  readonly current = computed(() => this.tenants().find((tenant) => tenant.id === this.selectedId()) ?? null);

  async load(): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      const tenants = await this.api.invoke(tenantsList);
      this.tenants.set(tenants);
      if (!tenants.some((tenant) => tenant.id === this.selectedId())) this.select(tenants[0]?.id ?? null);
    } catch (error) {
      this.error.set(describeApiError(error));
    } finally {
      this.loading.set(false);
    }
  }

  select(id: string | null): void {
    this.selectedId.set(id);
    if (id) localStorage.setItem(STORAGE_KEY, id);
    else localStorage.removeItem(STORAGE_KEY);
  }
}
