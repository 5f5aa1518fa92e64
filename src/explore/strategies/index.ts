import { RandomStrategy } from './random.ts';
import type { Strategy, StrategyName } from './strategy.ts';

/** The strategy for a name. The portfolio is the best available: random, until PCT and DFS join it. */
export function makeStrategy(name: StrategyName, seed: number): Strategy {
  switch (name) {
    case 'random':
    case 'portfolio':
      return new RandomStrategy(seed);
    case 'pct':
    case 'dfs':
      throw new TypeError(`explore() option 'strategy': '${name}' is not available in this version of Interleave; use 'random' or 'portfolio'.`);
  }
}

export type { Strategy, StrategyName } from './strategy.ts';
