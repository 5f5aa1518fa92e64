import type { Blocker, Primitive, ThreadId } from '../runtime/virtual/host.ts';
import type { BlockedThread, FailureKind } from '../trace/index.ts';

/**
 * Where a thread's body stands once a step has settled: not started; running
 * with at least one pending continuation (`point`); running with none, so
 * awaiting a promise only other code can resolve (`parked`); done; failed.
 */
export type ThreadStatus = 'start' | 'point' | 'parked' | 'done' | 'failed';

/** A pending harness operation, as detectors see it. */
export interface ContinuationView {
  readonly id: number;
  /** The thread whose async context created it. */
  readonly thread: ThreadId;
  /** The operation it will do once resumed: start, lock, wait, acquire, yield, sleep, put, take... */
  readonly op: string;
  readonly object: string | undefined;
  /** May the scheduler pick it now? */
  readonly enabled: boolean;
  /** When not enabled: what it waits for. */
  blocker(): Blocker | undefined;
}

export interface ThreadView {
  readonly id: ThreadId;
  readonly name: string;
  readonly status: ThreadStatus;
  /** Its pending continuations, oldest first; they may outlive its body. */
  readonly continuations: readonly ContinuationView[];
}

/** What detectors may read of an execution. */
export interface ExecutionView {
  /** The step that has just settled (0 after setup). */
  readonly step: number;
  /** Virtual milliseconds since the execution began. */
  readonly time: number;
  readonly threads: readonly ThreadView[];
  readonly primitives: readonly Primitive[];
  threadName(id: ThreadId | undefined): string;
}

/** A detector's finding, before it is given a step and a replay token. */
export interface Verdict {
  readonly kind: FailureKind;
  readonly message: string;
  readonly blocked?: readonly BlockedThread[];
  readonly cycle?: readonly string[];
  readonly repeating?: readonly string[];
}

/** A detector that watches every execution. */
export interface Monitor {
  /** After every settled step. */
  afterStep?(view: ExecutionView): Verdict | undefined;
  /** When every thread has finished and the remaining timers have fired. */
  atEnd?(view: ExecutionView): Verdict | undefined;
}
