import {
  afterRenderEffect,
  ChangeDetectionStrategy,
  Component,
  computed,
  ElementRef,
  inject,
  input,
  output,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { RouterLink } from '@angular/router';
import type { BulkOutcome } from './bulk-actions';

const DONE_WORDS = { complete: 'completed', reschedule: 'rescheduled' } as const;

/**
 * What a bulk change did: how many items succeeded, and each one that failed with the reason. It takes the
 * focus when it appears, so keyboard and screen reader users hear the outcome where they are.
 */
@Component({
  selector: 'nat-bulk-result',
  imports: [MatButtonModule, MatIconModule, RouterLink],
  template: `
    <section
      class="result"
      [class.partial]="outcome().failed.length > 0"
      tabindex="-1"
      aria-labelledby="bulk-result-heading"
      data-testid="bulk-result"
    >
      <div class="head">
        <mat-icon aria-hidden="true">{{ outcome().failed.length > 0 ? 'warning' : 'task_alt' }}</mat-icon>
        <h2 id="bulk-result-heading" data-testid="bulk-result-summary">{{ summary() }}</h2>
        <button mat-icon-button type="button" aria-label="Dismiss the result" (click)="dismiss.emit()">
          <mat-icon>close</mat-icon>
        </button>
      </div>
      @if (outcome().failed.length > 0) {
        <ul class="failures">
          @for (failure of outcome().failed; track failure.id) {
            <li data-testid="bulk-failure">
              <a [routerLink]="['/opportunities', failure.id]">{{ failure.name }}</a>: {{ failure.message }}
            </li>
          }
        </ul>
        @if (retryable() > 0) {
          <p class="hint">
            {{ retryable() === outcome().failed.length ? 'They stay' : 'Those still due stay' }} selected:
            check them, then try again.
          </p>
        }
      }
    </section>
  `,
  styles: `
    .result {
      max-height: 40vh;
      overflow: auto;
      padding: 4px 8px 8px 12px;
      border-radius: 12px;
      background: var(--mat-sys-primary-container);
      color: var(--mat-sys-on-primary-container);
      outline: none;

      &.partial {
        background: var(--mat-sys-error-container);
        color: var(--mat-sys-on-error-container);
      }

      &:focus-visible {
        outline: 2px solid var(--mat-sys-primary);
      }
    }
    .head {
      display: flex;
      align-items: center;
      gap: 8px;
    }
    h2 {
      flex: 1;
      margin: 0;
      font: var(--mat-sys-title-small);
    }
    .failures {
      margin: 0;
      padding-inline-start: 20px;
      overflow-wrap: anywhere;
    }
    a {
      color: inherit;
      font-weight: 500;
    }
    .hint {
      margin: 4px 0 0;
      font: var(--mat-sys-body-small);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BulkResult {
  readonly outcome = input.required<BulkOutcome>();
  /** How many failed items are still on the list, selected for another try. */
  readonly retryable = input(0);
  readonly dismiss = output<void>();

  protected readonly summary = computed(() => {
    const { kind, succeeded, failed } = this.outcome();
    const done = succeeded.length;
    const total = done + failed.length;
    const word = DONE_WORDS[kind];
    if (failed.length === 0) return `${done} ${done === 1 ? 'action' : 'actions'} ${word}.`;
    const failedPart = `${failed.length} could not be ${word}:`;
    return done === 0 ? `None ${word}. ${failedPart}` : `${done} of ${total} ${word}. ${failedPart}`;
  });

  constructor() {
    const host = inject<ElementRef<HTMLElement>>(ElementRef);
    afterRenderEffect(() => {
      this.outcome();
      host.nativeElement.querySelector<HTMLElement>('.result')?.focus();
    });
  }
}
