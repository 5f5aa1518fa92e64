import type { FailureKind } from './failureKind.ts';

/**
 * The trace model: plain, JSON-serialisable data that every detector and
 * report reads. Values from user code are stored as their description
 * (see describe.ts) so that `undefined`, `NaN` and objects survive JSON.
 */
export const TRACE_SCHEMA = 'interleave-trace';
export const TRACE_SCHEMA_VERSION = 1;

export interface Trace {
  readonly schema: typeof TRACE_SCHEMA;
  readonly version: typeof TRACE_SCHEMA_VERSION;
  readonly scenario: string;
  readonly strategy: string;
  readonly seed: number;
  /** The replay token of this execution. */
  readonly replay: string;
  /** Thread names, in declaration order; a thread's index is its id. */
  readonly threads: readonly string[];
  /** Where virtual time started, in epoch milliseconds (snapshot times count from it). */
  readonly startTime?: number;
  /** The buffer's capacity, for buffer workloads; reports draw occupancy against it. Absent elsewhere. */
  readonly capacity?: number;
  readonly steps: readonly TraceStep[];
  readonly outcome: TraceOutcome;
}

export interface TraceStep {
  /** 1-based step number; the number a finding's `step` refers to. */
  readonly index: number;
  /** Thread name, or `timer#N` for a timer callback. */
  readonly actor: string;
  readonly actorKind: 'thread' | 'timer';
  /** What the actor resumed from: `start`, `lock(m)`, `wait(notEmpty)`, `put`, `setTimeout(1000)`... */
  readonly resumed: string;
  /** True when this step's actor differs from the previous step's: a context switch. */
  readonly switched: boolean;
  /** What happened during the step, in order. */
  readonly events: readonly TraceEvent[];
  /** Where each thread stands once the step has settled. */
  readonly threadsAfter: Readonly<Record<string, string>>;
  readonly snapshot: Snapshot;
  /**
   * Other continuations started in the same macrotask as the actor's, in
   * order (as `Promise.all([q.take(), q.take()])` starts two takes). Absent
   * when the step started only its actor.
   */
  readonly joined?: readonly JoinedStart[];
  /** Why the actor may look surprising: a continuation left running after its thread's body returned, or reached during another thread's step. */
  readonly note?: string;
}

/** A continuation started in the same macrotask as the step's actor. */
export interface JoinedStart {
  /** The thread it belongs to (by async context). */
  readonly actor: string;
  /** What it resumed from: `take`, `start`, `yield`... */
  readonly resumed: string;
  /** Microtask turns after the start before it: 0 is the same synchronous block. */
  readonly offset: number;
  /** False when, its turn come, it could no longer proceed (another took the lock meanwhile) and stayed where it was. */
  readonly started: boolean;
}

/**
 * One event inside a step. `invoke` and `response` pairs form the operation
 * history (for linearizability checks); `effect` is a harness action that
 * takes effect at once (unlock, notify, release); `block` is a thread
 * reaching a scheduling point.
 */
export interface TraceEvent {
  /** Global order of events within the execution. */
  readonly seq: number;
  readonly thread: string;
  readonly type: 'invoke' | 'response' | 'effect' | 'block' | 'done' | 'error';
  /** Operation name: put, take, lock, unlock, notify, wait, acquire, release, sleep, yield... */
  readonly op: string;
  /** The object the operation touched, by name. */
  readonly object?: string;
  /** Argument (invoke) or result (response) or detail (effect), described. */
  readonly value?: string;
}

export interface Snapshot {
  /** Virtual time in ms since the execution began. */
  readonly time: number;
  readonly locks: Readonly<Record<string, string | null>>;
  readonly conditions: Readonly<Record<string, readonly string[]>>;
  readonly semaphores: Readonly<Record<string, { readonly permits: number; readonly waiters: readonly string[] }>>;
  /** Present for buffer workloads: the size the implementation reports and the items the model says are inside. */
  readonly buffer?: { readonly size?: number; readonly contents: readonly string[] };
}

export interface BlockedThread {
  readonly thread: string;
  /** What it waits for, in words: `lock(m)`, `wait(notEmpty)`, `acquire(full)`, `take (promise)`. */
  readonly waitsFor: string;
  /** Threads holding what it waits for. */
  readonly heldBy: readonly string[];
}

export interface TraceOutcome {
  readonly ok: boolean;
  readonly kind?: FailureKind;
  readonly message?: string;
  readonly step?: number;
  readonly blocked?: readonly BlockedThread[];
  /** The wait-for cycle, as thread names, first repeated at the end. */
  readonly cycle?: readonly string[];
  /** For step-limit: one turn of the repeating cycle, oldest first, as `actor: operation` labels. */
  readonly repeating?: readonly string[];
}
