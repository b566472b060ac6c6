import { Injectable, signal } from '@angular/core';

/** Bumped after any change to opportunities, so every open view reloads what it shows. */
@Injectable({ providedIn: 'root' })
export class PipelineChanges {
  readonly version = signal(0);

  notify(): void {
    this.version.update((version) => version + 1);
  }
}
