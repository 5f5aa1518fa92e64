import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { Chooser } from '../../engine/chooser.ts';
import { PctStrategy } from './pct.ts';
import { RandomStrategy } from './random.ts';
import type { Strategy } from './strategy.ts';

/**
 * Several strategies taking turns, one execution each, as Coyote's portfolio
 * does: uniform random finds shallow bugs fast, PCT at depths 2 and 3 finds
 * the ones that need a thread to be starved at the right moment.
 */
export class PortfolioStrategy implements Strategy {
  readonly name = 'portfolio' as const;
  private readonly members: Strategy[];
  private turn = 0;
  private last: Strategy | undefined;

  constructor(seed: number) {
    this.members = [
      new RandomStrategy(seed),
      new PctStrategy(xoroshiro128plus(seed ^ 0x5bd1e995), 2),
      new RandomStrategy(seed ^ 0x27d4eb2f),
      new PctStrategy(xoroshiro128plus(seed ^ 0x165667b1), 3),
    ];
  }

  nextExecution(): Chooser | undefined {
    this.last = this.members[this.turn++ % this.members.length]!;
    return this.last.nextExecution();
  }

  executionEnded(steps: number): void {
    this.last?.executionEnded?.(steps);
  }
}
