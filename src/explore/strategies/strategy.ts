import type { Chooser } from '../../engine/chooser.ts';

/**
 * One way of exploring interleavings, as Shuttle's schedulers are: it hands
 * the engine a chooser for each execution and learns nothing else. Adding PCT
 * or exhaustive search is a new file here, not a change to the engine.
 */
export interface Strategy {
  readonly name: StrategyName;
  /** The chooser for the next execution, or undefined when the strategy has nothing left to try (exhaustive search). */
  nextExecution(): Chooser | undefined;
  /** Told how many steps the execution it handed out took (PCT sizes its change points by it). */
  executionEnded?(steps: number): void;
}

/** What bounds a strategy: the step budget (a search cannot see past it), dfs's preemption bound, PCT's depth. */
export interface StrategyLimits {
  readonly maxSteps?: number;
  readonly preemptions?: number;
  readonly depth?: number;
  /** Proof mode: what its plan knows of the run's code (src/proof/plan.ts). */
  readonly proof?: { allOpaque: string | undefined };
}

/**
 * Every strategy, with the code a replay token stores for it. The codes are
 * pinned here, one by one: reordering or extending the list must never change
 * what an old token means.
 */
export const STRATEGY_CODES = {
  random: 0,
  pct: 1,
  dfs: 2,
  portfolio: 3,
  proof: 4,
} as const;

export type StrategyName = keyof typeof STRATEGY_CODES;

/** The strategy names, in the order help texts list them. */
export const STRATEGY_NAMES: readonly StrategyName[] = ['random', 'pct', 'dfs', 'portfolio', 'proof'];

export function isStrategyName(value: unknown): value is StrategyName {
  return typeof value === 'string' && Object.hasOwn(STRATEGY_CODES, value);
}
