import { computed, signal } from '@angular/core';

/**
 * Which due cards are picked for a bulk change. Setting one with `range` (shift-click, shift+space) sets every
 * card between the last one set and this one the same way, in the order the page shows them.
 */
export class BulkSelection {
  private readonly ids = signal<ReadonlySet<string>>(new Set());
  private anchor: string | null = null;

  readonly selected = this.ids.asReadonly();
  readonly count = computed(() => this.ids().size);

  has(id: string): boolean {
    return this.ids().has(id);
  }

  set(id: string, checked: boolean, order: readonly string[], { range = false } = {}): void {
    const from = range && this.anchor !== null ? order.indexOf(this.anchor) : -1;
    const to = order.indexOf(id);
    const affected = from >= 0 && to >= 0 ? order.slice(Math.min(from, to), Math.max(from, to) + 1) : [id];
    this.ids.update((ids) => {
      const next = new Set(ids);
      for (const each of affected) {
        if (checked) next.add(each);
        else next.delete(each);
      }
      return next;
    });
    this.anchor = id;
  }

  selectAll(ids: readonly string[]): void {
    this.ids.set(new Set(ids));
  }

  /** Exactly these: e.g. the items that failed, so the rep can retry them. */
  replace(ids: readonly string[]): void {
    this.ids.set(new Set(ids));
    this.anchor = null;
  }

  clear(): void {
    this.replace([]);
  }

  /** Forgets what is no longer shown (completed elsewhere, closed, paged out by a reload). */
  retain(visible: readonly string[]): void {
    const shown = new Set(visible);
    const ids = this.ids();
    if ([...ids].every((id) => shown.has(id))) return;
    this.ids.set(new Set([...ids].filter((id) => shown.has(id))));
    if (this.anchor !== null && !shown.has(this.anchor)) this.anchor = null;
  }
}
