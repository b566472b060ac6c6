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
import { MatIconModule } from '@angular/material/icon';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Title } from '@angular/platform-browser';
import { RouterLink } from '@angular/router';
import type { OpportunityDto, Outcome } from '../api/models';
import { nextActionDate } from '../core/opportunity';
import { PipelineChanges } from '../core/pipeline-changes';
import { pushedCount } from '../core/pushed';
import { TenantStore } from '../core/tenant.store';
import { formatLocalDateTime, formatMoney, relativeDue } from '../core/time';
import { CardSkeleton } from '../due-actions/card-skeleton';
import { TeamDirectory } from '../team/team-directory';
import { isOpenStage } from './deal-form';
import { HistoryTimeline } from './history-timeline';
import { OpportunityActionsLauncher } from './opportunity-actions-launcher';
import { OpportunityDetailStore } from './opportunity-detail.store';
import { ErrorState } from '../ui/error-state';

/** "Nov 25, 2026, 10:42 PM EST": shorter than the full format, still with the year and the zone. */
const stamp = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
});

function timeFacts(iso: string): { iso: string; text: string } {
  const at = new Date(iso);
  return { iso: at.toISOString(), text: stamp.format(at) };
}

/**
 * One deal: its fields and, while it is open, its next action with everything a rep can do about it; once
 * closed, its outcome and the way back into the pipeline. Below, the timeline of what happened.
 */
@Component({
  selector: 'nat-opportunity-page',
  imports: [
    ErrorState,
    CardSkeleton,
    HistoryTimeline,
    MatButtonModule,
    MatIconModule,
    MatTooltipModule,
    RouterLink,
  ],
  templateUrl: './opportunity-page.html',
  styleUrl: './opportunity-page.scss',
  providers: [OpportunityDetailStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OpportunityPage {
  readonly id = input.required<string>();

  protected readonly store = inject(OpportunityDetailStore);
  protected readonly tenants = inject(TenantStore);
  protected readonly directory = inject(TeamDirectory);
  private readonly changes = inject(PipelineChanges);
  private readonly launcher = inject(OpportunityActionsLauncher);
  private readonly title = inject(Title);

  protected readonly view = computed(() => {
    const opportunity = this.store.opportunity();
    if (!opportunity) return null;
    return {
      opportunity,
      open: opportunity.status === 'open',
      value: formatMoney(opportunity.value, this.tenants.current()?.currency),
      created: timeFacts(opportunity.created_at),
      updated: timeFacts(opportunity.updated_at),
      closed: opportunity.closed_at ? timeFacts(opportunity.closed_at) : null,
      owner: this.directory.nameOf(opportunity.owner_id),
    };
  });

  /** The next action of an open deal; null once closed. */
  protected readonly next = computed(() => {
    const opportunity = this.store.opportunity();
    const at = opportunity && nextActionDate(opportunity);
    if (!opportunity || !at) return null;
    return {
      details: opportunity.next_action_details,
      iso: at.toISOString(),
      relative: relativeDue(at, this.store.now()),
      exact: formatLocalDateTime(at),
      pushed: pushedCount(opportunity),
    };
  });

  /** How a closed deal ended: won or lost, when, and why when the rep said. */
  protected readonly outcome = computed(() => {
    const opportunity = this.store.opportunity();
    if (!opportunity || opportunity.status === 'open') return null;
    const won = opportunity.status === 'won';
    return {
      won,
      label: won ? 'Won' : 'Lost',
      icon: won ? 'trophy' : 'block',
      reason: this.store.closing()?.reason?.trim() || null,
    };
  });

  constructor() {
    // Another deal or another tenant shows a fresh page; a change made anywhere (this page's dialogs
    // included, through OpportunityCommands) refreshes this one quietly.
    effect(() => {
      const id = this.id();
      this.tenants.selectedId();
      untracked(() => {
        void this.store.load(id);
        void this.directory.ensureLoaded();
      });
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

  protected async completeAction(opportunity: OpportunityDto): Promise<void> {
    const result = await this.launcher.complete(opportunity);
    if (result) this.store.showChanged(result.opportunity);
  }

  protected async reschedule(opportunity: OpportunityDto): Promise<void> {
    this.show(await this.launcher.reschedule(opportunity));
  }

  protected async edit(opportunity: OpportunityDto): Promise<void> {
    this.show(await this.launcher.edit(opportunity));
  }

  protected async close(opportunity: OpportunityDto, outcome: Outcome): Promise<void> {
    this.show(await this.launcher.close(opportunity, outcome));
  }

  protected async reassign(opportunity: OpportunityDto): Promise<void> {
    this.show(await this.launcher.reassign(opportunity));
  }

  protected async reopen(opportunity: OpportunityDto): Promise<void> {
    const from = this.store.closing()?.from_stage;
    this.show(await this.launcher.reopen(opportunity, from && isOpenStage(from) ? from : undefined));
  }

  private show(changed: OpportunityDto | undefined): void {
    if (changed) this.store.showChanged(changed);
  }
}
