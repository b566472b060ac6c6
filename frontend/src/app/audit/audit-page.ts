import { ChangeDetectionStrategy, Component, computed, effect, inject, untracked } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import { TenantStore } from '../core/tenant.store';
import { formatLocalDateTime, formatShortDateTime } from '../core/time';
import { ErrorState } from '../ui/error-state';
import { LoadMore } from '../ui/load-more';
import { TeamDirectory } from '../team/team-directory';
import { describeAuditEvent } from './audit-sentence';
import { AuditStore } from './audit.store';

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
  private readonly directory = inject(TeamDirectory);

  protected readonly entries = computed(() =>
    this.store.events().map((event) => {
      const at = new Date(event.at);
      return {
        id: event.id,
        iso: at.toISOString(),
        when: formatShortDateTime(at),
        exact: formatLocalDateTime(at),
        actor: event.actor_name ?? 'Someone who has left',
        ...describeAuditEvent(event, (userId) => this.directory.nameOf(userId)),
      };
    }),
  );

  constructor() {
    effect(() => {
      this.tenants.selectedId();
      const admin = this.tenants.isAdmin();
      untracked(() => {
        if (!admin) return;
        void this.store.load();
        void this.directory.ensureLoaded();
      });
    });
  }
}
