import type { Continuation } from './continuation.ts';

/**
 * The continuations that may run now, kept as they come and go, so that a
 * step costs the same whether ten threads wait or ten thousand: a
 * continuation is added or removed when it is created, resumed, or when a
 * harness object it waits on changes (see Execution.changed), never found by
 * scanning every pending one. The order is the order of those events (a
 * removal moves the last one into the gap), so it is the same in every run
 * of one schedule; the parallel arrays are handed to choosers as they are
 * (read-only), without a copy.
 */
export class ReadySet {
  readonly ids: number[] = [];
  readonly tasks: number[] = [];
  readonly continuations: Continuation[] = [];
  private readonly index = new Map<number, number>();
  /** Ready continuations that real Node resumes in the microtasks of another step (a lock, a permit, a notified wait). */
  private microtaskKinds = 0;

  get size(): number {
    return this.ids.length;
  }

  /** True when every ready continuation is one real Node starts in a macrotask of its own. */
  get betweenMacrotasks(): boolean {
    return this.microtaskKinds === 0;
  }

  /** Is `id` among the ready continuations? */
  includes(id: number): boolean {
    return this.index.has(id);
  }

  /** The position of `id` in the arrays, or -1. */
  indexOf(id: number): number {
    return this.index.get(id) ?? -1;
  }

  add(c: Continuation): void {
    if (this.index.has(c.id)) return;
    this.index.set(c.id, this.ids.length);
    this.ids.push(c.id);
    this.tasks.push(c.thread);
    this.continuations.push(c);
    if (c.request.macrotask !== true) this.microtaskKinds++;
  }

  remove(c: Continuation): void {
    const at = this.index.get(c.id);
    if (at === undefined) return;
    this.index.delete(c.id);
    const last = this.ids.length - 1;
    if (at !== last) {
      this.ids[at] = this.ids[last]!;
      this.tasks[at] = this.tasks[last]!;
      this.continuations[at] = this.continuations[last]!;
      this.index.set(this.ids[at]!, at);
    }
    this.ids.pop();
    this.tasks.pop();
    this.continuations.pop();
    if (c.request.macrotask !== true) this.microtaskKinds--;
  }
}
