import { computed, inject, Injectable, signal } from '@angular/core';
import type { Scope } from '../api/models';
import { TenantStore } from '../core/tenant.store';

const STORAGE_KEY = 'nat.scope';

function remembered(): Scope {
  return sessionStorage.getItem(STORAGE_KEY) === 'team' ? 'team' : 'mine';
}

/**
 * Whose deals the lists show: "mine" (the user's own) or "team" (everyone's, for managers and admins). One
 * choice for the due, upcoming and All opportunities pages, kept while the tab lives so it survives navigation
 * and reloads; a rep always sees "mine".
 */
@Injectable({ providedIn: 'root' })
export class TeamScope {
  private readonly tenants = inject(TenantStore);
  private readonly chosen = signal<Scope>(remembered());

  /** Whether the user may switch to the team view in the selected team. */
  readonly available = this.tenants.seesTeam;
  readonly scope = computed<Scope>(() => (this.available() ? this.chosen() : 'mine'));
  readonly team = computed(() => this.scope() === 'team');

  select(scope: Scope): void {
    this.chosen.set(scope);
    sessionStorage.setItem(STORAGE_KEY, scope);
  }

  /** The `scope` query parameter of a list request: left out for "mine", the API's default. */
  params(): { scope?: Scope } {
    return this.team() ? { scope: 'team' } : {};
  }

  reset(): void {
    this.chosen.set('mine');
    sessionStorage.removeItem(STORAGE_KEY);
  }
}
