import type { Blocker, PointRequest, ThreadId } from '../runtime/virtual/host.ts';
import type { ContextStore } from './context.ts';
import type { ContinuationView, ThreadStatus, ThreadView } from './monitor.ts';

/**
 * A pending harness operation: the pause before a put, a `yield`, a `lock`, a
 * thread's start... It is what the scheduler chooses among. It belongs to the
 * thread whose async context created it — the name reports use — but is
 * scheduled on its own: a thread's body may finish while a continuation
 * created in its context (by a chain it left running, or by library code
 * running another thread's task from its release) is still pending.
 */
export class Continuation implements ContinuationView {
  gate: (() => void) | null = null;
  pending = true;

  constructor(
    /** Its candidate id: 2·(k·threads + thread) for its thread's k-th continuation (timers have the odd ids). */
    readonly id: number,
    readonly thread: ThreadId,
    readonly request: PointRequest,
    /** The step during which it was created (0: setup, before any step). */
    readonly createdStep: number,
    /** The actor of that step, when another than its own thread: its code ran inside that step. */
    readonly createdDuring: string | undefined,
  ) {}

  get op(): string {
    return this.request.op;
  }

  get object(): string | undefined {
    return this.request.object;
  }

  get enabled(): boolean {
    return this.request.enabled();
  }

  blocker(): Blocker | undefined {
    return this.request.enabled() ? undefined : this.request.blocker();
  }

  /** `lock(m)`, `yield`, `start`: how traces show the operation it resumes. */
  get label(): string {
    const object = this.request.object;
    return object === undefined ? this.request.op : `${this.request.op}(${object})`;
  }
}

/** A virtual thread: a named async body the harness starts, and the continuations of its async context. */
export class VirtualThread implements ThreadView {
  body: 'unstarted' | 'running' | 'done' | 'failed' = 'unstarted';
  error: unknown = undefined;
  /** The step in which its body returned or threw. */
  settledStep = -1;
  /** Continuations its async context has created so far. */
  created = 0;
  /** Its pending continuations, oldest first. */
  readonly continuations: Continuation[] = [];
  readonly store: ContextStore;

  constructor(
    readonly id: ThreadId,
    readonly name: string,
    store: Omit<ContextStore, 'thread'>,
  ) {
    this.store = { clock: store.clock, owner: store.owner, thread: id };
  }

  get status(): ThreadStatus {
    switch (this.body) {
      case 'unstarted':
        return 'start';
      case 'running':
        return this.continuations.length > 0 ? 'point' : 'parked';
      default:
        return this.body;
    }
  }

  get finished(): boolean {
    return this.body === 'done' || this.body === 'failed';
  }
}
