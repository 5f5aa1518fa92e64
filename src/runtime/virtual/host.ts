/**
 * The port through which the virtual primitives talk to the engine. The
 * runtime defines it and the engine implements it, so the runtime never
 * depends on the engine.
 */
export type ThreadId = number;

/** A thread at a scheduling point: what it will do next, and when it may. */
export interface PointRequest {
  /** Operation name: start, lock, acquire, wait, yield, sleep, pause. */
  readonly op: string;
  /** The object's name, when the operation is on an object. */
  readonly object?: string;
  /** May the scheduler pick this thread now? Read after every step. */
  enabled(): boolean;
  /** Runs at the start of the step that resumes the thread (takes the lock, the permit...). */
  proceed(): void;
  /** When not enabled: what the thread waits for and who holds it. */
  blocker(): Blocker;
  /**
   * Real Node starts what follows in a macrotask of its own — a thread's
   * start, a workload's pause before an operation, `rt.yield()` — so real
   * time may pass before it: while only such points are ready, the
   * scheduler may let the clock move. Not so for a lock, a permit or a
   * notified wait, which real code resumes in the microtasks of the step
   * that freed it.
   */
  readonly macrotask?: boolean;
  /**
   * The harness objects whose changes may change `enabled()`: the engine
   * looks again at this point whenever one of them reports a change
   * (`VirtualHost.changed`), and only then. Absent: `enabled()` never
   * changes while the point is pending.
   */
  readonly resources?: readonly object[];
}

export interface Blocker {
  /** `lock(m)`, `wait(notEmpty)`, `acquire(full)`, `sleep(100)` */
  readonly waitsFor: string;
  /** What kind of wait: `lock`, `acquire` and `wait` (re-acquire included) are the blocking ones. */
  readonly kind: 'lock' | 'acquire' | 'wait' | 'sleep' | 'other';
  /** Threads that hold what is waited for (lock holder, permit holders). */
  readonly heldBy: readonly ThreadId[];
}

/** A primitive's state, for trace snapshots. */
export type PrimitiveState =
  | { readonly type: 'mutex'; readonly name: string; readonly holder: ThreadId | null }
  | { readonly type: 'condition'; readonly name: string; readonly waiters: readonly ThreadId[] }
  | { readonly type: 'semaphore'; readonly name: string; readonly permits: number; readonly waiters: readonly ThreadId[] };

export interface Primitive {
  readonly name: string;
  state(): PrimitiveState;
  /** A condition variable's waits and notifies, for the detectors (check/stuck.ts); other primitives have none. */
  readonly conditionHistory?: ConditionHistory;
}

/** When something happened in an execution: its step (for messages) and the host's sequence number (for order within a step). */
export interface Stamp {
  readonly step: number;
  readonly at: number;
}

/** A thread waiting in a condition's `wait()`, not yet notified. */
export interface ConditionWait {
  readonly thread: ThreadId;
  /** When it called `wait()`. */
  readonly since: Stamp;
  /** When it last returned from `wait()` on this condition (step 0, at -1: never). */
  readonly lastWoke: Stamp;
  /** Between its previous hold of the mutex and the hold in which it waits: when it released it, and when it took it back. */
  readonly gap: { readonly releasedAt: Stamp; readonly reacquiredAt: Stamp };
}

/** A `notify()` or `notifyAll()`: when, by whom, and whom it woke (none: the signal was lost). */
export interface ConditionNotify {
  readonly when: Stamp;
  readonly by: ThreadId | undefined;
  readonly woke: readonly ThreadId[];
}

/**
 * What a condition variable keeps of its waits and notifies: what the
 * lost-wakeup detector reads, through `Primitive.conditionHistory`, rather
 * than knowing the virtual condition's class.
 */
export interface ConditionHistory {
  readonly name: string;
  readonly mutex: { readonly name: string };
  /** Waiters not yet notified, in arrival order. */
  readonly waiters: readonly ConditionWait[];
  /** Notifies that found no waiter. */
  readonly missed: readonly ConditionNotify[];
  /** The latest notify that woke someone. */
  readonly lastWake: ConditionNotify | undefined;
}

export interface VirtualHost {
  /** The thread whose code is calling, by async context; undefined outside threads (setup, timer callbacks). */
  currentThread(): ThreadId | undefined;
  threadName(id: ThreadId | undefined): string;
  /** Every thread's id, in order. */
  threadIds(): readonly ThreadId[];
  /** Has the thread returned or thrown? */
  isFinished(id: ThreadId): boolean;
  /**
   * Parks the calling code at a scheduling point until the scheduler resumes
   * it: a continuation, owned by the thread of the calling async context.
   */
  point(request: PointRequest): Promise<void>;
  /** Parks the calling code until a virtual timer of `ms` fires; the firing step resumes it. */
  sleep(ms: number): Promise<void>;
  /** Parks the calling code until the next check phase runs an immediate queued for it now (`rt.yield()` is `setImmediate` in realRuntime). */
  yield(): Promise<void>;
  /** Lets the scheduler pick which of the waiting points (each one a thread's `wait()`) a notify wakes; returns the index picked. */
  chooseWaiter(waiting: readonly PointRequest[]): number;
  /**
   * Records an event of the current step (kept only when a trace is being
   * recorded), for `thread` when given (a resume's effects run in the
   * scheduler, outside the thread's context), else for the calling thread.
   */
  record(op: string, type: 'effect' | 'invoke' | 'response', object?: string, value?: string, thread?: ThreadId): void;
  /** Whether events are being recorded (lets callers skip building descriptions). */
  readonly recording: boolean;
  /** The number of the step now running (1-based; 0 during setup). */
  stepIndex(): number;
  /**
   * A number that grows with every call: orders harness events finer than
   * steps, since one step may run several threads (same-macrotask starts).
   */
  sequence(): number;
  now(): number;
  /** A harness object changed (a lock taken or freed, a permit, a notify): points waiting on it may now run, or no longer. */
  changed(resource: object): void;
  /** A fresh default name, deterministic within the execution: `mutex#1`. */
  defaultName(kind: string): string;
  register(primitive: Primitive): void;
}

export class HarnessUsageError extends Error {
  override name = 'HarnessUsageError';
}
