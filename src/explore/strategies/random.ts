import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { JOIN_STOP, type Chooser, type Decision } from '../../engine/chooser.ts';
import { randomOffset, wantsJoin } from './joins.ts';
import type { Strategy } from './strategy.ts';

/** Uniform choice among the candidates at every decision, from one seeded stream; joins now and then (see joins.ts). */
export class RandomStrategy implements Strategy, Chooser {
  readonly name = 'random' as const;
  private readonly rng: RandomGenerator;

  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed);
  }

  nextExecution(): Chooser {
    return this;
  }

  choose(decision: Decision): number {
    const { candidates } = decision;
    switch (decision.kind) {
      case 'join':
        return candidates.length > 0 && wantsJoin(this.rng) ? candidates[uniformInt(this.rng, 0, candidates.length - 1)]! : JOIN_STOP;
      case 'offset':
        return randomOffset(this.rng);
      default:
        // A forced decision draws nothing: the stream goes to the decisions that matter.
        return candidates.length === 1 ? candidates[0]! : candidates[uniformInt(this.rng, 0, candidates.length - 1)]!;
    }
  }
}
