import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { OpportunityDto } from '../api/models';

const SHOWN = 4;

/** "3 deals: A, B, C": what a bulk dialog is about to change, short even for a long selection. */
@Component({
  selector: 'nat-bulk-targets',
  template: `
    <section class="targets" aria-label="Selected deals">
      <p>{{ heading() }}</p>
      <ul>
        @for (name of shown(); track $index) {
          <li>{{ name }}</li>
        }
        @if (rest() > 0) {
          <li>and {{ rest() }} more</li>
        }
      </ul>
    </section>
  `,
  styles: `
    .targets {
      margin: 0 0 12px;
      padding: 12px;
      border-radius: 12px;
      background: var(--mat-sys-surface-container);

      p {
        margin: 0 0 4px;
        font: var(--mat-sys-title-small);
      }

      ul {
        margin: 0;
        padding-inline-start: 20px;
        color: var(--mat-sys-on-surface-variant);
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BulkTargets {
  readonly opportunities = input.required<readonly OpportunityDto[]>();

  protected readonly heading = computed(() => {
    const count = this.opportunities().length;
    return `${count} ${count === 1 ? 'deal' : 'deals'}`;
  });
  protected readonly shown = computed(() =>
    this.opportunities()
      .slice(0, this.opportunities().length > SHOWN + 1 ? SHOWN : SHOWN + 1)
      .map((item) => item.name),
  );
  protected readonly rest = computed(() => this.opportunities().length - this.shown().length);
}
