import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDividerModule } from '@angular/material/divider';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import type { OpportunityDto, Outcome } from '../api/models';
import { nextActionDate } from '../core/opportunity';
import { pushedCount } from '../core/pushed';
import { formatLocalDateTime, formatMoney, relativeDue } from '../core/time';
import type { CloseRequest } from '../opportunity/opportunity-actions-launcher';

type MenuChoice = 'reschedule' | 'edit' | 'reassign' | Outcome;

/**
 * One next action: the deal, what to do, and when it is due. It only asks for changes through its outputs;
 * the page opens the dialogs, through OpportunityActionsLauncher.
 */
@Component({
  selector: 'nat-action-card',
  imports: [
    MatButtonModule,
    MatCardModule,
    MatDividerModule,
    MatIconModule,
    MatMenuModule,
    MatTooltipModule,
    RouterLink,
  ],
  templateUrl: './action-card.html',
  styleUrl: './action-card.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[class.overdue]': 'overdue()' },
})
export class ActionCard {
  readonly opportunity = input.required<OpportunityDto>();
  readonly currency = input<string>();
  readonly now = input.required<Date>();
  /** The owner's name, shown in the team view; null hides it (the user's own deals). */
  readonly owner = input<string | null>(null);
  /** Managers and admins may give the deal to someone else. */
  readonly canReassign = input(false);
  readonly complete = output<OpportunityDto>();
  readonly reschedule = output<OpportunityDto>();
  readonly edit = output<OpportunityDto>();
  readonly closeDeal = output<CloseRequest>();
  readonly reassign = output<OpportunityDto>();

  /** Null only for a deal closed while the list still shows it (until the list reloads). */
  protected readonly dueAt = computed(() => nextActionDate(this.opportunity()));
  protected readonly overdue = computed(() => (this.dueAt()?.getTime() ?? Infinity) < this.now().getTime());
  protected readonly relative = computed(() => {
    const at = this.dueAt();
    return at ? relativeDue(at, this.now()) : `Closed ${this.opportunity().status}`;
  });
  protected readonly exact = computed(() => {
    const at = this.dueAt();
    return at ? formatLocalDateTime(at) : '';
  });
  protected readonly value = computed(() => formatMoney(this.opportunity().value, this.currency()));
  protected readonly pushed = computed(() => pushedCount(this.opportunity()));

  private chosen: MenuChoice | null = null;

  protected choose(choice: MenuChoice): void {
    this.chosen = choice;
  }

  /**
   * Asks for the chosen action only once the menu has closed and given the focus back to its button, so the
   * dialog that opens returns the focus there too (not to a menu item that no longer exists).
   */
  protected menuClosed(): void {
    const choice = this.chosen;
    this.chosen = null;
    const opportunity = this.opportunity();
    if (choice === 'reschedule') this.reschedule.emit(opportunity);
    else if (choice === 'edit') this.edit.emit(opportunity);
    else if (choice === 'reassign') this.reassign.emit(opportunity);
    else if (choice) this.closeDeal.emit({ opportunity, outcome: choice });
  }
}
