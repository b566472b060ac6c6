import { ChangeDetectionStrategy, Component, computed, effect, inject, untracked } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import type { AuditEventDto } from '../api/models';
import { TenantStore } from '../core/tenant.store';
import { formatLocalDateTime, formatShortDateTime } from '../core/time';
import { ErrorState } from '../ui/error-state';
import { LoadMore } from '../ui/load-more';
import { AuditStore } from './audit.store';

/** "membership.role_changed" → "Membership role changed". */
export function describeAction(action: string): string {
  const words = action.replace(/[._]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The details of an event as short "key: value" lines; nested values as compact JSON. */
export function describeDetails(details: AuditEventDto['details']): string[] {
  if (!details) return [];
  return Object.entries(details).map(
    ([key, value]) =>
      `${key.replace(/_/g, ' ')}: ${typeof value === 'string' ? value : JSON.stringify(value)}`,
  );
}

/** Who did what in the team, newest first (admins only). */
@Component({
  selector: 'nat-audit-page',
  imports: [
    ErrorState,
    LoadMore,
    MatButtonModule,
    MatIconModule,
    MatProgressSpinnerModule,
    MatTooltipModule,
    RouterLink,
  ],
  templateUrl: './audit-page.html',
  styleUrl: './audit-page.scss',
  providers: [AuditStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AuditPage {
  protected readonly store = inject(AuditStore);
  protected readonly tenants = inject(TenantStore);

  protected readonly entries = computed(() =>
    this.store.events().map((event) => {
      const at = new Date(event.at);
      return {
        id: event.id,
        iso: at.toISOString(),
        when: formatShortDateTime(at),
        exact: formatLocalDateTime(at),
        actor: event.actor_name ?? 'System',
        action: describeAction(event.action),
        target: event.target_id ? `${event.target_type} ${event.target_id}` : event.target_type,
        details: describeDetails(event.details),
      };
    }),
  );

  constructor() {
    effect(() => {
      this.tenants.selectedId();
      const admin = this.tenants.isAdmin();
      untracked(() => {
        if (admin) void this.store.load();
      });
    });
  }
}
