import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { Chooser } from '../../engine/chooser.ts';
import { DfsStrategy } from './dfs.ts';
import { PctStrategy } from './pct.ts';
import { RandomStrategy } from './random.ts';
import type { Strategy, StrategyLimits } from './strategy.ts';

/**
 * Several strategies taking turns, one execution each, as Coyote's portfolio
 * does: uniform random finds shallow bugs fast, PCT at depths 2 and 3 finds
 * the ones that need a thread to be starved at the right moment, and the
 * context-bounded search goes through the schedules with fewest preemptions
 * systematically. When that search has run every schedule there is, so has
 * the portfolio: it stops, exhausted.
 */
export class PortfolioStrategy implements Strategy {
  readonly name = 'portfolio' as const;
  private readonly members: Strategy[];
  private turn = 0;
  private last: Strategy | undefined;

  constructor(seed: number, limits: StrategyLimits = {}) {
    this.members = [
      new RandomStrategy(seed),
      new PctStrategy(xoroshiro128plus(seed ^ 0x5bd1e995), 2, true),
      new DfsStrategy(limits.maxSteps, limits.preemptions),
      new PctStrategy(xoroshiro128plus(seed ^ 0x165667b1), limits.depth ?? 3, true),
    ];
  }

  nextExecution(): Chooser | undefined {
    this.last = this.members[this.turn++ % this.members.length]!;
    // Only the exhaustive member ever runs out, and then every schedule has been run.
    return this.last.nextExecution();
  }

  executionEnded(steps: number): void {
    this.last?.executionEnded?.(steps);
  }
}
