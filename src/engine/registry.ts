import type { PointRequest } from '../runtime/virtual/host.ts';
import { Continuation, type VirtualThread } from './continuation.ts';
import { continuationId } from './ids.ts';
import { ReadySet } from './readySet.ts';

const NO_RESOURCES: readonly object[] = [];

/**
 * Every pending continuation of an execution, by id and by the request it
 * waits at, which of them may run now (the ready set), and who waits on
 * which harness object — kept by events (a continuation created or resumed,
 * a harness object changed), never by scanning.
 */
export class ContinuationRegistry {
  readonly ready = new ReadySet();
  private readonly byId = new Map<number, Continuation>();
  private readonly byRequest = new Map<PointRequest, Continuation>();
  private readonly watchers = new Map<object, Set<Continuation>>();

  constructor(private readonly threadCount: number) {}

  get(id: number): Continuation | undefined {
    return this.byId.get(id);
  }

  /** The continuation waiting at `request` (only requests on harness objects are looked up: a notify's waiters). */
  ofRequest(request: PointRequest): Continuation | undefined {
    return this.byRequest.get(request);
  }

  /** A new pending continuation of `thread`, created in `step` (by `during`'s code when another actor's step ran it). */
  add(thread: VirtualThread, request: PointRequest, step: number, during: string | undefined): Continuation {
    const continuation = new Continuation(continuationId(thread.created++, this.threadCount, thread.id), thread.id, request, step, during);
    thread.continuations.push(continuation);
    this.byId.set(continuation.id, continuation);
    const resources = request.resources;
    if (resources !== undefined) {
      this.byRequest.set(request, continuation);
      for (const resource of resources) {
        let watching = this.watchers.get(resource);
        if (watching === undefined) this.watchers.set(resource, (watching = new Set()));
        watching.add(continuation);
      }
    }
    if (request.enabled()) this.ready.add(continuation);
    return continuation;
  }

  /** The continuation runs now (or its execution dropped it): no longer pending. */
  remove(continuation: Continuation, thread: VirtualThread): void {
    continuation.pending = false;
    this.ready.remove(continuation);
    const resources = continuation.request.resources;
    if (resources !== undefined) {
      for (const resource of resources) this.watchers.get(resource)?.delete(continuation);
      this.byRequest.delete(continuation.request);
    }
    const list = thread.continuations;
    const i = list.indexOf(continuation);
    if (i >= 0) list.splice(i, 1);
    this.byId.delete(continuation.id);
  }

  /** A harness object changed: whoever waits on it may have become ready, or stopped being. */
  changed(resource: object): void {
    const watching = this.watchers.get(resource);
    if (watching === undefined) return;
    for (const c of watching) {
      if (c.request.enabled()) this.ready.add(c);
      else this.ready.remove(c);
    }
  }

  /** Every pending continuation (for dropping their gates at the end, and for checks). */
  *pending(): IterableIterator<Continuation> {
    yield* this.byId.values();
  }

  /** Tests only: the ready set, kept by events, must be exactly what a scan of every pending continuation finds. */
  check(afterStep: number): void {
    const scanned = [...this.byId.values()].filter((c) => c.request.enabled()).map((c) => c.id).sort((a, b) => a - b);
    const kept = [...this.ready.ids].sort((a, b) => a - b);
    if (scanned.join() !== kept.join()) throw new Error(`internal: ready set [${kept.join()}] but scan finds [${scanned.join()}] after step ${afterStep}`);
  }
}
