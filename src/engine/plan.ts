import type { ThreadId, VirtualHost } from '../runtime/virtual/host.ts';
import type { Runtime } from '../runtime/types.ts';
import type { TraceStep } from '../trace/index.ts';
import type { Chooser, DecisionKind } from './chooser.ts';
import type { VirtualClock } from './clock.ts';
import type { LoopObserver } from './eventLoop.ts';
import type { ExecutionView, Monitor, Verdict } from './monitor.ts';
import type { ExecutionObserver } from './observer.ts';

/** What one execution runs: the scenario, lowered to what the engine needs. */
export interface ExecutionPlan<S = unknown> {
  readonly threadNames: readonly string[];
  /** Builds the shared state, inside the execution (its timers are virtual). */
  setup(rt: Runtime, host: VirtualHost): S;
  readonly bodies: readonly ((state: S, rt: Runtime, host: VirtualHost) => unknown)[];
  monitors(state: S, host: VirtualHost): readonly Monitor[];
  /** For buffer workloads: the size the implementation reports and the model's contents, for snapshots. */
  buffer?(state: S): { size?: number; contents: readonly string[] };
  /** What of the state shows progress, for livelock evidence (default: the whole state). */
  progressState?(state: S): unknown;
  /** The scenario's own functions (setup, threads, create...), for the code's fingerprint (codeFingerprint.ts). */
  readonly code?: readonly unknown[];
}

/** Shared by the executions of one exploration: whether it still listens for what they leave behind. */
export interface Session {
  open: boolean;
}

export interface ExecutionOptions {
  readonly clock: VirtualClock;
  readonly chooser: Chooser;
  /** Steps before the fair round-robin continuation starts. */
  readonly maxSteps: number;
  /** Steps the fair continuation may take before the run is called a livelock; default max(maxSteps, 1000). */
  readonly fairSteps?: number;
  /** Keep every choice the chooser made when replaying a tape (no round-robin swap). */
  readonly replaying: boolean;
  /** Record a trace step by step, and take the code's fingerprint (codeFingerprint.ts) after setup. */
  readonly record: boolean;
  /** Replaying: the kind of each recorded choice, checked decision by decision (a replay out of step is caught where it slips). */
  readonly recordedKinds?: readonly DecisionKind[] | undefined;
  /** Offer same-macrotask starts (join decisions); default true. */
  readonly joins?: boolean;
  /** Told of every step and decision: a watchdog's heartbeat (heartbeat.ts). */
  readonly observer?: ExecutionObserver | undefined;
  /** Tests only: after every step, check the ready set against a scan of every pending continuation. */
  readonly checkReady?: boolean;
  /** Asked every few hundred steps: true once the exploration's time is up, and the execution ends, unfinished. */
  readonly outOfTime?: (() => boolean) | undefined;
  readonly session?: Session;
  /** Told how the event loop runs (the law checker of the test suites). */
  readonly loopObserver?: LoopObserver | undefined;
}

/** How an execution ended. */
export type ExecutionEnd =
  | { readonly type: 'completed' }
  /** No continuation can run, no timer is due, and some thread has not finished. */
  | { readonly type: 'stuck' }
  /** A detector's finding; `atEnd` when it judged the execution once it had ended (conservation, `final`). */
  | { readonly type: 'verdict'; readonly verdict: Verdict; readonly atEnd: boolean }
  | { readonly type: 'thread-error'; readonly thread: ThreadId; readonly error: unknown }
  /** A callback the event loop would call outside any thread threw: a timer's, a nextTick's, a microtask's. */
  | { readonly type: 'callback-error'; readonly callback: string; readonly error: unknown }
  /** Under the fair continuation, the state the harness can see came back: a cycle that makes no progress, one turn of it. */
  | { readonly type: 'step-limit'; readonly repeating: readonly string[]; readonly cycleStart: number }
  /** Past its step budget and the fair continuation, still going without repeating itself: not a finding, but not a full pass either. */
  | { readonly type: 'unfinished' }
  /** Stopped where it was because the exploration's time ran out: not judged at all. */
  | { readonly type: 'out-of-time' }
  | { readonly type: 'diverged'; readonly message: string }
  | { readonly type: 'setup-error'; readonly error: unknown };

export interface ExecutionResult {
  readonly end: ExecutionEnd;
  /** The step at which it ended. */
  readonly step: number;
  /** Every choice made, in order: the replay tape. */
  readonly tape: readonly number[];
  /** The kind of each choice on the tape. */
  readonly kinds: readonly DecisionKind[];
  /**
   * For each choice, the engine's step count when it was made: a step or
   * time decision comes before the steps it decides (the count is of the
   * steps done); a join, offset or notify within the step it shapes (the
   * count includes it).
   */
  readonly decisionSteps: readonly number[];
  /** Recorded steps, when asked for. */
  readonly steps: readonly TraceStep[];
  /** The execution as it stood at its end, for classifying a stuck run. */
  readonly view: ExecutionView;
  readonly state: unknown;
  /** Real async resources its code created, by type (timers escaping virtual time, I/O). */
  readonly resources: ReadonlyMap<string, number>;
  /** Rejections nobody handled, as Node reports them: after the execution, on an event-loop turn. */
  readonly rejections: readonly unknown[];
  /** The code's fingerprint, taken after setup when recording (codeFingerprint.ts). */
  readonly code: number | undefined;
  /**
   * Runs out, unjudged, the timeouts and immediates the execution left
   * pending (to a virtual hour), as a passing execution's drain does, so
   * that module-level state its code resets with its own timers is back
   * where a fresh process has it before the next execution begins. Called
   * once the execution has been judged.
   */
  runOut(): Promise<void>;
}
