import { computed, inject, Injectable, signal } from '@angular/core';
import { Api } from '../api/api';
import { membershipsList } from '../api/functions';
import type { MembershipDto } from '../api/models';
import { describeApiError } from '../core/api-error';
import { TenantStore } from '../core/tenant.store';

export const UNASSIGNED = 'Unassigned';
/** An owner who is no longer a member (the API unassigns their deals, but a list may be older than that). */
export const FORMER_MEMBER = 'Former member';

/**
 * The members of the selected team, loaded once per team (GET /memberships), to name the owners of deals and
 * offer them in the reassign dialog. The members page keeps it current after its changes.
 */
@Injectable({ providedIn: 'root' })
export class TeamDirectory {
  private readonly api = inject(Api);
  private readonly tenants = inject(TenantStore);

  readonly members = signal<MembershipDto[]>([]);
  readonly status = signal<'idle' | 'loading' | 'ready' | 'error'>('idle');
  readonly error = signal<string | null>(null);
  private readonly byId = computed(() => new Map(this.members().map((member) => [member.user_id, member])));

  private loadedFor: string | null = null;
  private loading: Promise<void> | null = null;
  private loadingFor: string | null = null;

  /** Loads the selected team's members unless they are loaded already (or loading). */
  ensureLoaded(): Promise<void> {
    const tenantId = this.tenants.selectedId();
    if (!tenantId) return Promise.resolve();
    if (this.loadedFor === tenantId && this.status() === 'ready') return Promise.resolve();
    if (this.loading && this.loadingFor === tenantId) return this.loading;
    return this.load();
  }

  /** Loads the selected team's members again, e.g. to retry or after a change elsewhere. */
  load(): Promise<void> {
    const tenantId = this.tenants.selectedId();
    this.loadingFor = tenantId;
    this.members.set(this.loadedFor === tenantId ? this.members() : []);
    this.status.set('loading');
    this.error.set(null);
    const loading = this.fetch(tenantId);
    this.loading = loading;
    return loading;
  }

  /** "Dana Rep" for an owner id; "Unassigned" for none. */
  nameOf(ownerId: string | null): string {
    if (ownerId === null) return UNASSIGNED;
    return this.byId().get(ownerId)?.name ?? (this.status() === 'ready' ? FORMER_MEMBER : '…');
  }

  find(userId: string | null): MembershipDto | undefined {
    return userId === null ? undefined : this.byId().get(userId);
  }

  /** Shows a member added or changed on the members page, in name order. */
  upsert(member: MembershipDto): void {
    this.members.update((members) =>
      [...members.filter((known) => known.user_id !== member.user_id), member].sort((a, b) =>
        a.name.localeCompare(b.name),
      ),
    );
  }

  drop(userId: string): void {
    this.members.update((members) => members.filter((member) => member.user_id !== userId));
  }

  reset(): void {
    this.members.set([]);
    this.status.set('idle');
    this.error.set(null);
    this.loadedFor = null;
    this.loading = null;
    this.loadingFor = null;
  }

  private async fetch(tenantId: string | null): Promise<void> {
    try {
      const members = await this.api.invoke(membershipsList);
      if (this.loadingFor !== tenantId) return; // the team was switched meanwhile
      this.members.set(members);
      this.loadedFor = tenantId;
      this.status.set('ready');
    } catch (error) {
      if (this.loadingFor !== tenantId) return;
      this.error.set(describeApiError(error));
      this.status.set('error');
    } finally {
      if (this.loadingFor === tenantId) this.loading = null;
    }
  }
}
