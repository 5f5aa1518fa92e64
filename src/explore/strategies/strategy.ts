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

export type StrategyName = 'random' | 'pct' | 'dfs' | 'portfolio';
