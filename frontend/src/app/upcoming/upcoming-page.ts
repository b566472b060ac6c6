import { ChangeDetectionStrategy, Component } from '@angular/core';

@Component({
  selector: 'nat-upcoming-page',
  template: `<h1>Upcoming</h1>`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UpcomingPage {}
