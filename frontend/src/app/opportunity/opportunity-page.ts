import { ChangeDetectionStrategy, Component, input } from '@angular/core';

@Component({
  selector: 'nat-opportunity-page',
  template: `<h1>Opportunity {{ id() }}</h1>`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OpportunityPage {
  readonly id = input.required<string>();
}
