import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import type { Chooser } from '../../engine/chooser.ts';
import type { Strategy } from './strategy.ts';

/** Uniform choice among the candidates at every decision, from one seeded stream. */
export class RandomStrategy implements Strategy, Chooser {
  readonly name = 'random' as const;
  private readonly rng: RandomGenerator;

  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed);
  }

  nextExecution(): Chooser {
    return this;
  }

  choose(candidates: readonly number[]): number {
    return candidates[uniformInt(this.rng, 0, candidates.length - 1)]!;
  }
}
