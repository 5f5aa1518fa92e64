import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { DfsStrategy } from './dfs.ts';
import { PctStrategy } from './pct.ts';
import { PortfolioStrategy } from './portfolio.ts';
import { RandomStrategy } from './random.ts';
import type { Strategy, StrategyName } from './strategy.ts';

/** The strategy for a name, seeded; `maxSteps` is the execution budget, past which a search cannot see. */
export function makeStrategy(name: StrategyName, seed: number, maxSteps = Infinity): Strategy {
  switch (name) {
    case 'random':
      return new RandomStrategy(seed);
    case 'pct':
      return new PctStrategy(xoroshiro128plus(seed), 3);
    case 'dfs':
      return new DfsStrategy(maxSteps);
    case 'portfolio':
      return new PortfolioStrategy(seed, maxSteps);
  }
}

export type { Strategy, StrategyName } from './strategy.ts';
