import { DestroyRef, Directive, ElementRef, inject, output } from '@angular/core';

/** Emits when the element scrolls into (or near) the viewport: the sentinel of an infinite list. */
@Directive({ selector: '[natInView]' })
export class InView {
  readonly natInView = output<void>();

  constructor() {
    // Without IntersectionObserver (old browsers, test DOMs) the list keeps its "Load more" button.
    if (typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) this.natInView.emit();
      },
      { rootMargin: '240px 0px' },
    );
    observer.observe(inject<ElementRef<HTMLElement>>(ElementRef).nativeElement);
    inject(DestroyRef).onDestroy(() => observer.disconnect());
  }
}
