import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';

/** Why a dialog could not save, announced as it appears; a conflict (the deal was reloaded) is no failure. */
@Component({
  selector: 'nat-dialog-banner',
  imports: [MatIconModule],
  template: `
    <p class="banner" [class.conflict]="conflict()" role="alert" data-testid="dialog-error">
      <mat-icon aria-hidden="true">{{ conflict() ? 'sync_problem' : 'error' }}</mat-icon>
      <span>{{ message() }}</span>
    </p>
  `,
  styles: `
    .banner {
      display: flex;
      gap: 8px;
      align-items: flex-start;
      margin: 0 0 12px;
      padding: 12px;
      border-radius: 12px;
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);

      &.conflict {
        background: var(--mat-sys-tertiary-container);
        color: var(--mat-sys-on-tertiary-container);
      }

      mat-icon {
        flex: none;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DialogBanner {
  readonly message = input.required<string>();
  readonly conflict = input(false);
}
