import { ChangeDetectionStrategy, Component, computed, effect, inject, untracked } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatSnackBar } from '@angular/material/snack-bar';
import { RouterLink } from '@angular/router';
import type { CompleteActionResponseDto, OpportunityDto } from '../api/models';
import { PipelineChanges } from '../core/pipeline-changes';
import { TenantStore } from '../core/tenant.store';
import { formatLocalDateTime, formatMoney, formatShortDateTime, relativeDue } from '../core/time';
import { CompleteActionDialog, type CompleteActionDialogData } from '../opportunity/complete-action-dialog';
import { ActionCard } from './action-card';
import { CardSkeleton } from './card-skeleton';
import { DueStore } from './due.store';

@Component({
  selector: 'nat-due-page',
  imports: [ActionCard, CardSkeleton, MatButtonModule, MatIconModule, MatProgressSpinnerModule, RouterLink],
  templateUrl: './due-page.html',
  styleUrl: './due-page.scss',
  providers: [DueStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DuePage {
  protected readonly store = inject(DueStore);
  protected readonly tenants = inject(TenantStore);
  private readonly changes = inject(PipelineChanges);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly currency = computed(() => this.tenants.current()?.currency);
  protected readonly valueAtStake = computed(() =>
    formatMoney(this.store.summary()?.due_value_total ?? 0, this.currency()),
  );
  protected readonly nextUpcoming = computed(() => {
    const next = this.store.nextUpcoming();
    if (!next) return null;
    const at = new Date(next.next_action_at);
    return { opportunity: next, relative: relativeDue(at, this.store.now()), exact: formatLocalDateTime(at) };
  });

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
