import { ChangeDetectionStrategy, Component, computed, effect, inject, untracked } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import type { OpportunityDto } from '../api/models';
import { PipelineChanges } from '../core/pipeline-changes';
import { TenantStore } from '../core/tenant.store';
import { formatLocalDateTime } from '../core/time';
import { ActionCard } from '../due-actions/action-card';
import { CardSkeleton } from '../due-actions/card-skeleton';
import { OpportunityActionsLauncher } from '../opportunity/opportunity-actions-launcher';
import { UPCOMING_DAYS, UpcomingStore, type UpcomingWindow } from './upcoming.store';
import { dueDate } from '../core/opportunity';
import { ScopeToggle } from '../team/scope-toggle';
import { TeamDirectory } from '../team/team-directory';
import { TeamScope } from '../team/team-scope';
import { LoadMore } from '../ui/load-more';
import { ErrorState } from '../ui/error-state';

const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });

@Component({
  selector: 'nat-upcoming-page',
  imports: [
    ErrorState,
    LoadMore,
    ActionCard,
    CardSkeleton,
    MatButtonModule,
    MatIconModule,
    MatProgressSpinnerModule,
    MatTooltipModule,
    RouterLink,
    ScopeToggle,
  ],
  templateUrl: './upcoming-page.html',
  styleUrl: './upcoming-page.scss',
  providers: [UpcomingStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UpcomingPage {
  protected readonly store = inject(UpcomingStore);
  protected readonly tenants = inject(TenantStore);
  protected readonly scope = inject(TeamScope);
  protected readonly directory = inject(TeamDirectory);
  private readonly changes = inject(PipelineChanges);
  protected readonly launcher = inject(OpportunityActionsLauncher);

  protected readonly windowDays = UPCOMING_DAYS;
  protected readonly currency = computed(() => this.tenants.current()?.currency);
  protected readonly range = computed(() => {
    const window = this.store.window();
    return window ? formatRange(window, this.tenants.current()?.timezone) : null;
  });
  protected readonly dayGroups = computed(() =>
    this.store.groups().map((group) => ({
      ...group,
      headingId: `day-${group.key}`,
      rows: group.items.map((opportunity) => {
        const at = dueDate(opportunity);
        return {
          opportunity,
          iso: at.toISOString(),
          time: timeOfDay.format(at),
          exact: formatLocalDateTime(at),
        };
      }),
    })),
  );

  constructor() {
    // A new tenant or scope shows a fresh list; a change made elsewhere refreshes this one quietly.
    effect(() => {
      this.tenants.selectedId();
      const team = this.scope.team();
      untracked(() => {
        void this.store.load();
        if (team) void this.directory.ensureLoaded();
      });
    });
    let seen = this.changes.version();
    effect(() => {
      const version = this.changes.version();
      if (version === seen) return;
      seen = version;
      untracked(() => void this.store.load({ quiet: true }));
    });
  }

  /** The owner's name on each card in the team view; null in the user's own list. */
  protected ownerOf(opportunity: OpportunityDto): string | null {
    return this.scope.team() ? this.directory.nameOf(opportunity.owner_id) : null;
  }

  /** The card leaves at once; the reload that PipelineChanges triggers puts its next action where it belongs. */
  protected async completeAction(opportunity: OpportunityDto): Promise<void> {
    const result = await this.launcher.complete(opportunity);
    if (result) this.store.removeLocally(result.opportunity_id);
  }
}

/** "Nov 27 – Dec 3": the window's first and last day, as the tenant's calendar counts them. */
function formatRange(window: UpcomingWindow, timeZone: string | undefined): string {
  const format = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone });
  return format.formatRange(window.from, new Date(window.until.getTime() - 1));
}
