import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';

/** The "Load more" button under a keyset-paged list, with its spinner and the last failure. */
@Component({
  selector: 'nat-load-more',
  imports: [MatButtonModule, MatProgressSpinnerModule],
  template: `
    @if (error(); as message) {
      <p role="alert" class="error">{{ message }}</p>
    }
    <button mat-stroked-button (click)="loadMore.emit()" [disabled]="loading()" [attr.data-testid]="testId()">
      @if (loading()) {
        <mat-spinner diameter="18" [attr.aria-label]="busyLabel()" />
      } @else {
        {{ label() }}
      }
    </button>
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      align-items: center;
      gap: 8px;
      margin: 8px 0 24px;
    }
    .error {
      margin: 0;
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoadMore {
  readonly loading = input(false);
  readonly error = input<string | null>(null);
  readonly label = input('Load more');
  readonly busyLabel = input('Loading more');
  readonly testId = input('load-more');
  readonly loadMore = output();
}
