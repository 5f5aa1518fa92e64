import type { FailureKind, Trace } from '../trace/index.ts';
import type { OutcomeRow } from './histogram.ts';

/** A bug found: what, where, and how to see it again. */
export interface Failure {
  readonly kind: FailureKind;
  /** The cause in the domain's words, then the replay token and the command that replays it. */
  readonly message: string;
  /** The step at which it was detected (1-based; see `trace.steps`). */
  readonly step: number;
  /** The replay token: `replay(scenario, token)` or `interleave replay <file> <token>`. */
  readonly replay: string;
  readonly trace: Trace;
}

export interface ExploreResult {
  /** True exactly when no failure was found; `expected` does not change it. */
  readonly ok: boolean;
  readonly failure?: Failure;
  /** Whether the outcome is what the scenario's `expected` says ('ok' when it says nothing). */
  readonly expectationMet?: boolean;
  readonly executions: number;
  readonly steps: number;
  readonly elapsedMs: number;
  readonly seed: number;
  /** True when the strategy tried every schedule there is (exhaustive search only). */
  readonly exhausted: boolean;
  /** The strategy that ran. */
  readonly strategy?: string;
  /**
   * Executions that ran past `maxSteps` and the fair continuation after it
   * while still progressing (no state came back, so no livelock): not
   * findings, but not checked to their end either — raise `maxSteps`.
   */
  readonly unfinished?: number;
  /**
   * The distinct outcomes of the executions that ran to their end, most
   * frequent first, with their grade when the scenario declares outcome
   * classes (jcstress's histogram); absent when the scenario has no outcome.
   */
  readonly outcomes?: readonly OutcomeRow[];
  /** True when `signal` stopped the exploration before its budget ran out. */
  readonly interrupted?: boolean;
  /**
   * A replay only: the token's schedule no longer applies to the code (it
   * left its recorded schedule, and the code's fingerprint differs from the
   * one the token recorded — the bug was fixed, or the code changed), and the
   * failure did not recur on the part that still applied. Why, in words.
   * `ok` is true: this is not a finding.
   */
  readonly stale?: string;
  /**
   * Present when `minRuns` was given and the exploration found nothing in
   * fewer executions than that (without trying every schedule): the
   * expectation is then not met (`expectationMet: false`), though `ok` stays
   * true, since no failure was found.
   */
  readonly tooFewRuns?: { readonly executions: number; readonly minRuns: number };
  /**
   * Proof mode (`strategy: 'proof'`) only: true when every schedule was
   * explored (each partial order of the steps once) and none failed. The
   * claim rests on `assumption`.
   */
  readonly proved?: boolean;
  /** Proof mode: what the proof assumes, in words (what is instrumented, how many steps were opaque). */
  readonly assumption?: string;
  /** Proof mode: the partial orders explored (executions a sleep set did not cut short). */
  readonly partialOrders?: number;
  /** Proof mode: steps that ran code the transform does not reach, each treated as conflicting with every other. */
  readonly opaqueSteps?: number;
}
