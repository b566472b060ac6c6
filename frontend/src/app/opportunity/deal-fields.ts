import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { ReactiveFormsModule } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { OPEN_STAGE } from '../api/models/open-stage-array';
import { TenantStore } from '../core/tenant.store';
import { type DealForm, NAME_MAX } from './deal-form';

export type DealFieldHints = Partial<Record<'name' | 'value' | 'stage', string>>;

/** Name, value (in the team's currency) and open stage of a deal; shared by the new and edit dialogs. */
@Component({
  selector: 'nat-deal-fields',
  imports: [MatFormFieldModule, MatInputModule, MatSelectModule, ReactiveFormsModule],
  templateUrl: './deal-fields.html',
  styleUrl: './dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DealFields {
  readonly form = input.required<DealForm>();
  /** data-testid prefix of the fields: `new` gives new-name, new-value, new-stage. */
  readonly testIdPrefix = input('deal');
  /** A line under a field, e.g. what a colleague saved meanwhile. */
  readonly hints = input<DealFieldHints>({});

  protected readonly currency = inject(TenantStore).current()?.currency ?? '';
  protected readonly stages = OPEN_STAGE;
  protected readonly nameMax = NAME_MAX;
}
