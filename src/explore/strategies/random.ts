import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import type { Chooser, Decision } from '../../engine/chooser.ts';
import { ALL_MODES, drawJoinMode, randomJoin, randomOffset, type JoinMode } from './joins.ts';
import { drawClockMode, randomTime, type ClockMode } from './lateness.ts';
import type { Strategy } from './strategy.ts';

/** Uniform choice among the candidates at every decision, from one seeded stream; same-macrotask starts as joins.ts says. */
export class RandomStrategy implements Strategy {
  readonly name = 'random' as const;
  private readonly rng: RandomGenerator;

  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed);
  }

  nextExecution(): Chooser {
    return new RandomExecution(this.rng, drawJoinMode(this.rng, ALL_MODES), drawClockMode(this.rng));
  }
}

class RandomExecution implements Chooser {
  constructor(
    private readonly rng: RandomGenerator,
    private readonly joins: JoinMode,
    private readonly clock: ClockMode,
  ) {}

  choose(decision: Decision): number {
    const { candidates } = decision;
    switch (decision.kind) {
      case 'join':
        return randomJoin(this.rng, decision, this.joins);
      case 'offset':
        return randomOffset(this.rng);
      case 'time':
        return randomTime(this.rng, decision, this.clock);
      default:
        // A forced decision draws nothing: the stream goes to the decisions that matter.
        return candidates.length === 1 ? candidates[0]! : candidates[uniformInt(this.rng, 0, candidates.length - 1)]!;
    }
  }
}
