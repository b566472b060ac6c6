import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import type { Scope } from '../api/models';
import { TeamScope } from './team-scope';

/** "Mine / Team" above the lists, for managers and admins; reps see nothing (they have only their own deals). */
@Component({
  selector: 'nat-scope-toggle',
  imports: [MatButtonToggleModule],
  template: `
    @if (scope.available()) {
      <mat-button-toggle-group
        [value]="scope.scope()"
        (change)="select($event.value)"
        hideSingleSelectionIndicator
        aria-label="Whose deals to show"
        data-testid="scope-toggle"
      >
        <mat-button-toggle value="mine" data-testid="scope-mine">Mine</mat-button-toggle>
        <mat-button-toggle value="team" data-testid="scope-team">Team</mat-button-toggle>
      </mat-button-toggle-group>
    }
  `,
  styles: `
    :host {
      display: contents;
    }
    mat-button-toggle-group {
      --mat-button-toggle-height: 36px;
      flex: none;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ScopeToggle {
  protected readonly scope = inject(TeamScope);

  protected select(scope: Scope): void {
    this.scope.select(scope);
  }
}
