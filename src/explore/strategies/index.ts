import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { DfsStrategy } from './dfs.ts';
import { PctStrategy } from './pct.ts';
import { PortfolioStrategy } from './portfolio.ts';
import { ProofStrategy } from './proof.ts';
import { RandomStrategy } from './random.ts';
import type { Strategy, StrategyLimits, StrategyName } from './strategy.ts';

/** PCT's default depth: bugs that need up to two well-placed starvations. */
export const DEFAULT_PCT_DEPTH = 3;

/** The strategy for a name, seeded and bounded. */
export function makeStrategy(name: StrategyName, seed: number, limits: StrategyLimits = {}): Strategy {
  switch (name) {
    case 'random':
      return new RandomStrategy(seed);
    case 'pct':
      return new PctStrategy(xoroshiro128plus(seed), limits.depth ?? DEFAULT_PCT_DEPTH);
    case 'dfs':
      return new DfsStrategy(limits.maxSteps, limits.preemptions);
    case 'portfolio':
      return new PortfolioStrategy(seed, limits);
    case 'proof':
      return new ProofStrategy(limits.maxSteps, limits.proof);
  }
}

export { isStrategyName, STRATEGY_CODES, STRATEGY_NAMES, type Strategy, type StrategyLimits, type StrategyName } from './strategy.ts';
