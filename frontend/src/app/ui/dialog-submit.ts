import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule } from '@angular/material/dialog';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';

/**
 * The footer of every form dialog: Cancel, and the submit button (its label projected) with a spinner while
 * saving. Placed on the dialog's own <mat-dialog-actions>, so Material's layout stays as it is.
 */
@Component({
  // An attribute on Material's own <mat-dialog-actions>: a wrapper element would break the dialog's flex layout.
  // eslint-disable-next-line @angular-eslint/component-selector
  selector: 'mat-dialog-actions[natDialogSubmit]',
  imports: [MatButtonModule, MatDialogModule, MatProgressSpinnerModule],
  template: `
    <button mat-button type="button" mat-dialog-close>Cancel</button>
    <button mat-flat-button type="submit" [disabled]="saving() || blocked()" [attr.data-testid]="testId()">
      @if (saving()) {
        <mat-spinner diameter="18" aria-label="Saving" />
      } @else {
        <ng-content />
      }
    </button>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DialogSubmit {
  readonly saving = input(false);
  /** Submitting makes no sense right now (e.g. the deal was closed elsewhere). */
  readonly blocked = input(false);
  readonly testId = input.required<string>();
}
