import { ChangeDetectionStrategy, Component, computed, effect, inject, untracked } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import type { CompleteActionResponseDto, OpportunityDto } from '../api/models';
import { PipelineChanges } from '../core/pipeline-changes';
import { TenantStore } from '../core/tenant.store';
import { formatLocalDateTime, formatShortDateTime } from '../core/time';
import { ActionCard } from '../due-actions/action-card';
import { CardSkeleton } from '../due-actions/card-skeleton';
import { CompleteActionDialog, type CompleteActionDialogData } from '../opportunity/complete-action-dialog';
import { UPCOMING_DAYS, UpcomingStore, type UpcomingWindow } from './upcoming.store';

const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });

@Component({
  selector: 'nat-upcoming-page',
  imports: [
    ActionCard,
    CardSkeleton,
    MatButtonModule,
    MatIconModule,
    MatProgressSpinnerModule,
    MatTooltipModule,
    RouterLink,
  ],
  templateUrl: './upcoming-page.html',
  styleUrl: './upcoming-page.scss',
  providers: [UpcomingStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UpcomingPage {
  protected readonly store = inject(UpcomingStore);
  protected readonly tenants = inject(TenantStore);
  private readonly changes = inject(PipelineChanges);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);

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
        const at = new Date(opportunity.next_action_at);
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
    // A new tenant shows a fresh list; a change made elsewhere refreshes this one quietly.
    effect(() => {
      this.tenants.selectedId();
      untracked(() => void this.store.load());
    });
    let seen = this.changes.version();
    effect(() => {
      const version = this.changes.version();
      if (version === seen) return;
      seen = version;
      untracked(() => void this.store.load({ quiet: true }));
    });
  }

  protected completeAction(opportunity: OpportunityDto): void {
    this.dialog
      .open<CompleteActionDialog, CompleteActionDialogData, CompleteActionResponseDto>(CompleteActionDialog, {
        data: { opportunity },
        width: '560px',
        maxWidth: '96vw',
        autoFocus: 'first-tabbable',
      })
      .afterClosed()
      .subscribe((result) => {
        if (!result) return;
        this.store.removeLocally(result.opportunity_id);
        const due = formatShortDateTime(new Date(result.opportunity.next_action_at));
        this.snackBar.open(`Done. Next action for “${result.opportunity.name}” is due ${due}.`, 'OK');
      });
  }
}

/** "Nov 27 – Dec 3": the window's first and last day, as the tenant's calendar counts them. */
function formatRange(window: UpcomingWindow, timeZone: string | undefined): string {
  const format = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone });
  return format.formatRange(window.from, new Date(window.until.getTime() - 1));
}
