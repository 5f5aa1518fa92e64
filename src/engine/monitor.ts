import type { Blocker, Primitive, ThreadId } from '../runtime/virtual/host.ts';
import type { BlockedThread, FailureKind } from '../trace/index.ts';

export type ThreadStatus = 'start' | 'point' | 'running' | 'parked' | 'done' | 'failed';

/** Where a thread stands once a step has settled. */
export interface ThreadView {
  readonly id: ThreadId;
  readonly name: string;
  /** start: not yet started; point: at a harness point; parked: awaiting a promise nothing in the harness controls. */
  readonly status: ThreadStatus;
  /** At a point: the operation it will do next. */
  readonly op: string | undefined;
  readonly object: string | undefined;
  /** At a point: may it be picked now? */
  readonly enabled: boolean;
  /** At a point and not enabled: what it waits for. */
  blocker(): Blocker | undefined;
}

/** What detectors may read of an execution. */
export interface ExecutionView {
  /** The step that has just settled (0 after setup). */
  readonly step: number;
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
