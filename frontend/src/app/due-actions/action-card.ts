import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import type { OpportunityDto } from '../api/models';
import { formatLocalDateTime, formatMoney, relativeDue } from '../core/time';

/** One due action: the deal, what to do, and when it was due. */
@Component({
  selector: 'nat-action-card',
  imports: [MatButtonModule, MatCardModule, MatIconModule, MatTooltipModule, RouterLink],
  templateUrl: './action-card.html',
  styleUrl: './action-card.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[class.overdue]': 'overdue()' },
})
export class ActionCard {
  readonly opportunity = input.required<OpportunityDto>();
  readonly currency = input<string>();
  readonly now = input.required<Date>();
  readonly complete = output<OpportunityDto>();

  protected readonly dueAt = computed(() => new Date(this.opportunity().next_action_at));
  protected readonly overdue = computed(() => this.dueAt() < this.now());
  protected readonly relative = computed(() => relativeDue(this.dueAt(), this.now()));
  protected readonly exact = computed(() => formatLocalDateTime(this.dueAt()));
  protected readonly value = computed(() => formatMoney(this.opportunity().value, this.currency()));
}
