import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  untracked,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Title } from '@angular/platform-browser';
import { RouterLink } from '@angular/router';
import type { CompleteActionResponseDto, OpportunityDto } from '../api/models';
import { PipelineChanges } from '../core/pipeline-changes';
import { TenantStore } from '../core/tenant.store';
import { formatLocalDateTime, formatMoney, formatShortDateTime, relativeDue } from '../core/time';
import { CardSkeleton } from '../due-actions/card-skeleton';
import { CompleteActionDialog, type CompleteActionDialogData } from './complete-action-dialog';
import { HistoryTimeline } from './history-timeline';
import { OpportunityDetailStore } from './opportunity-detail.store';

/** "Nov 25, 2026, 10:42 PM EST": shorter than the full format, still with the year and the zone. */
const stamp = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
});

/** One deal: its fields, its next action (to complete right here) and the history of what was done. */
@Component({
  selector: 'nat-opportunity-page',
  imports: [CardSkeleton, HistoryTimeline, MatButtonModule, MatIconModule, MatTooltipModule, RouterLink],
  templateUrl: './opportunity-page.html',
  styleUrl: './opportunity-page.scss',
  providers: [OpportunityDetailStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OpportunityPage {
  readonly id = input.required<string>();

  protected readonly store = inject(OpportunityDetailStore);
  protected readonly tenants = inject(TenantStore);
  private readonly changes = inject(PipelineChanges);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly title = inject(Title);

  protected readonly view = computed(() => {
    const opportunity = this.store.opportunity();
    if (!opportunity) return null;
    const dueAt = new Date(opportunity.next_action_at);
    const createdAt = new Date(opportunity.created_at);
    const updatedAt = new Date(opportunity.updated_at);
    return {
      opportunity,
      value: formatMoney(opportunity.value, this.tenants.current()?.currency),
      dueIso: dueAt.toISOString(),
      dueRelative: relativeDue(dueAt, this.store.now()),
      dueExact: formatLocalDateTime(dueAt),
      createdIso: createdAt.toISOString(),
      created: stamp.format(createdAt),
      updatedIso: updatedAt.toISOString(),
      updated: stamp.format(updatedAt),
    };
  });

  constructor() {
    // Another deal or another tenant shows a fresh page; a change made anywhere (this page's completion
    // included, through OpportunityCommands) refreshes this one quietly.
    effect(() => {
      const id = this.id();
      this.tenants.selectedId();
      untracked(() => void this.store.load(id));
    });
    let seen = this.changes.version();
    effect(() => {
      const version = this.changes.version();
      if (version === seen) return;
      seen = version;
      untracked(() => void this.store.load(this.id(), { quiet: true }));
    });
    effect(() => {
      const name = this.store.opportunity()?.name;
      if (name) this.title.setTitle(`${name} · NAT`);
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
        this.store.showCompleted(result.opportunity);
        const due = formatShortDateTime(new Date(result.opportunity.next_action_at));
        this.snackBar.open(`Done. Next action for “${result.opportunity.name}” is due ${due}.`, 'OK');
      });
  }
}
