import { ChangeDetectionStrategy, Component } from '@angular/core';
import { Shell } from './shell/shell';

@Component({
  selector: 'nat-root',
  imports: [Shell],
  template: '<nat-shell />',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class App {}
