import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import type { OpportunityActionDto } from '../api/models';

/** History can reach back years, so its dates carry the year: "Nov 24, 2026, 10:00 AM". */
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The completed actions of a deal, newest first, as a vertical timeline. */
@Component({
  selector: 'nat-history-timeline',
  imports: [MatButtonModule, MatIconModule, MatProgressSpinnerModule],
  templateUrl: './history-timeline.html',
  styleUrl: './history-timeline.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class HistoryTimeline {
  readonly entries = input.required<readonly OpportunityActionDto[]>();
  readonly hasMore = input(false);
  readonly loadingMore = input(false);
  readonly loadMoreError = input<string | null>(null);
  readonly loadMore = output();

  protected readonly rows = computed(() =>
    this.entries().map((entry) => {
      const due = new Date(entry.due_at);
      const completed = new Date(entry.completed_at);
      return {
        id: entry.id,
        details: entry.details,
        notes: entry.notes?.trim() || null,
        dueIso: due.toISOString(),
        due: dateTime.format(due),
        completedIso: completed.toISOString(),
        completed: dateTime.format(completed),
        late: completed > due,
      };
    }),
  );
}
