import { ChangeDetectionStrategy, Component } from '@angular/core';

/** A route target for tests that only look at where the router went. */
@Component({ template: '', changeDetection: ChangeDetectionStrategy.OnPush })
export class BlankPage {}
