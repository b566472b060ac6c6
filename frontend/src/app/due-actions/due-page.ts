import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { RouterLink } from '@angular/router';
import type { OpportunityDto } from '../api/models';
import { dueDate } from '../core/opportunity';
import { PipelineChanges } from '../core/pipeline-changes';
import { TenantStore } from '../core/tenant.store';
import { formatLocalDateTime, formatMoney, relativeDue } from '../core/time';
import { ScopeToggle } from '../team/scope-toggle';
import { TeamDirectory } from '../team/team-directory';
import { TeamScope } from '../team/team-scope';
import { OpportunityActionsLauncher } from '../opportunity/opportunity-actions-launcher';
import { ActionCard } from './action-card';
import type { BulkOutcome } from './bulk-actions';
import { BulkCompleteDialog, type BulkDialogData } from './bulk-complete-dialog';
import { BulkRescheduleDialog } from './bulk-reschedule-dialog';
import { BulkResult } from './bulk-result';
import { BulkSelection } from './bulk-selection';
import { CardSkeleton } from './card-skeleton';
import { DueStore } from './due.store';
import { LoadMore } from '../ui/load-more';
import { ErrorState } from '../ui/error-state';

const DIALOG_SIZE = { width: '560px', maxWidth: '96vw', autoFocus: 'first-tabbable' } as const;

@Component({
  selector: 'nat-due-page',
  imports: [
    ErrorState,
    LoadMore,
    ActionCard,
    BulkResult,
    CardSkeleton,
    MatButtonModule,
    MatCheckboxModule,
    MatIconModule,
    MatProgressSpinnerModule,
    RouterLink,
    ScopeToggle,
  ],
  templateUrl: './due-page.html',
  styleUrl: './due-page.scss',
  providers: [DueStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DuePage {
  protected readonly store = inject(DueStore);
  protected readonly tenants = inject(TenantStore);
  protected readonly scope = inject(TeamScope);
  protected readonly directory = inject(TeamDirectory);
  private readonly changes = inject(PipelineChanges);
  private readonly dialog = inject(MatDialog);
  protected readonly launcher = inject(OpportunityActionsLauncher);

  protected readonly currency = computed(() => this.tenants.current()?.currency);
  protected readonly valueAtStake = computed(() =>
    formatMoney(this.store.summary()?.due_value_total ?? 0, this.currency()),
  );
  protected readonly pipelineValue = computed(() =>
    formatMoney(this.store.summary()?.pipeline_value_open ?? 0, this.currency()),
  );
  protected readonly nextUpcoming = computed(() => {
    const next = this.store.nextUpcoming();
    if (!next) return null;
    const at = dueDate(next);
    return { opportunity: next, relative: relativeDue(at, this.store.now()), exact: formatLocalDateTime(at) };
  });

  /** Overdue first, then the rest of today; the counts come from the summary, which sees beyond this page. */
  protected readonly sections = computed(() => {
    const summary = this.store.summary();
    const overdue = this.store.overdue();
    const today = this.store.dueToday();
    return [
      { key: 'overdue', title: 'Overdue', count: summary?.overdue_count ?? overdue.length, items: overdue },
      { key: 'today', title: 'Due today', count: summary?.due_today_count ?? today.length, items: today },
    ].filter((section) => section.items.length > 0);
  });
  /** The cards in the order the page shows them: shift ranges run along it. */
  private readonly shownOrder = computed(() =>
    this.sections().flatMap((section) => section.items.map((item) => item.id)),
  );

  protected readonly bulkMode = signal(false);
  protected readonly selection = new BulkSelection();
  protected readonly bulkOutcome = signal<BulkOutcome | null>(null);
  protected readonly retryableFailures = computed(
    () => this.bulkOutcome()?.failed.filter((failure) => this.selection.has(failure.id)).length ?? 0,
  );
  protected readonly allSelected = computed(
    () => this.shownOrder().length > 0 && this.selection.count() === this.shownOrder().length,
  );
  /** Whether the checkbox about to change was reached with Shift held (shift-click, shift+space). */
  private extendRange = false;

  constructor() {
    // A new tenant or scope shows a fresh list; a change made elsewhere refreshes this one quietly.
    effect(() => {
      this.tenants.selectedId();
      const team = this.scope.team();
      untracked(() => {
        this.leaveBulkMode();
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
    // A card that left the list (completed, closed, reloaded away) is no longer selected.
    effect(() => {
      const shown = this.shownOrder();
      untracked(() => this.selection.retain(shown));
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

  protected toggleBulkMode(): void {
    if (this.bulkMode()) this.leaveBulkMode();
    else this.bulkMode.set(true);
  }

  protected noteShift(event: KeyboardEvent | PointerEvent): void {
    this.extendRange = event.shiftKey;
  }

  protected pick(id: string, checked: boolean): void {
    this.selection.set(id, checked, this.shownOrder(), { range: this.extendRange });
    this.extendRange = false;
  }

  protected toggleAll(): void {
    if (this.allSelected()) this.selection.clear();
    else this.selection.selectAll(this.shownOrder());
  }

  protected completeSelected(): void {
    this.openBulkDialog(BulkCompleteDialog);
  }

  protected rescheduleSelected(): void {
    this.openBulkDialog(BulkRescheduleDialog);
  }

  private openBulkDialog(dialog: typeof BulkCompleteDialog | typeof BulkRescheduleDialog): void {
    const picked = this.selection.selected();
    const opportunities = this.store.items().filter((item) => picked.has(item.id));
    if (opportunities.length === 0) return;
    this.dialog
      .open<unknown, BulkDialogData, BulkOutcome>(dialog, { ...DIALOG_SIZE, data: { opportunities } })
      .afterClosed()
      .subscribe((outcome) => {
        if (outcome) this.showOutcome(outcome);
      });
  }

  /** Done cards leave at once, failed ones stay picked for another try; the quiet reload brings the rest. */
  private showOutcome(outcome: BulkOutcome): void {
    this.store.removeLocally(...outcome.succeeded.map((item) => item.id));
    this.selection.replace(outcome.failed.map((failure) => failure.id));
    this.bulkOutcome.set(outcome);
  }

  private leaveBulkMode(): void {
    this.bulkMode.set(false);
    this.selection.clear();
    this.bulkOutcome.set(null);
  }
}
