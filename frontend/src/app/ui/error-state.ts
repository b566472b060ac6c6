import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';

/** What a view shows when its data could not be loaded: why, and a way to try again. */
@Component({
  selector: 'nat-error-state',
  imports: [MatButtonModule, MatIconModule],
  host: { role: 'alert', 'data-testid': 'error-state' },
  template: `
    <mat-icon class="icon" aria-hidden="true">error</mat-icon>
    @if (title(); as heading) {
      <h2 class="title">{{ heading }}</h2>
    }
    <p>{{ message() }}</p>
    <button mat-flat-button (click)="retry.emit()">Retry</button>
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      align-items: center;
      gap: 8px;
      padding: 48px 16px;
      text-align: center;
      color: var(--mat-sys-error);
    }
    .icon {
      width: 40px;
      height: 40px;
      font-size: 40px;
    }
    .title {
      margin: 0;
      font: var(--mat-sys-title-large);
    }
    p {
      margin: 0;
      max-width: 520px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ErrorState {
  readonly message = input.required<string | null>();
  readonly title = input<string>();
  readonly retry = output();
}
