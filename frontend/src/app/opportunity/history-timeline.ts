import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import type { OpportunityEventDto } from '../api/models';
import { toTimelineRow } from './timeline';
import { LoadMore } from '../ui/load-more';

/** What happened to a deal, newest first, as a vertical timeline with an icon per kind of event. */
@Component({
  selector: 'nat-history-timeline',
  imports: [LoadMore, MatButtonModule, MatIconModule, MatProgressSpinnerModule],
  templateUrl: './history-timeline.html',
  styleUrl: './history-timeline.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class HistoryTimeline {
  readonly entries = input.required<readonly OpportunityEventDto[]>();
  readonly hasMore = input(false);
  readonly loadingMore = input(false);
  readonly loadMoreError = input<string | null>(null);
  readonly loadMore = output();

  protected readonly rows = computed(() => {
    const now = new Date();
    return this.entries().map((entry) => toTimelineRow(entry, now));
  });
}
