import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { candidateOf, type Chooser, type Decision } from '../../engine/chooser.ts';
import { ALL_MODES, drawJoinMode, randomJoin, randomOffset, type JoinMode } from './joins.ts';
import { drawClockMode, randomTime, stepCandidates, type ClockMode } from './lateness.ts';
import { LOOP_EARLY } from '../../engine/ids.ts';
import type { Strategy } from './strategy.ts';

/**
 * Random choice at every decision, from one seeded stream. How a step is
 * chosen is drawn per execution, as swarm testing draws a configuration per
 * test: half the executions choose uniformly among the candidates; the other
 * half keep running the task that ran last, while it can, 3 times in 4,
 * so that one thread gets several operations ahead of the others, as it
 * does when it is busy and they are not. Same-macrotask starts and the clock
 * follow joins.ts and lateness.ts.
 */
export class RandomStrategy implements Strategy {
  readonly name = 'random' as const;
  private readonly rng: RandomGenerator;

  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed);
  }

  nextExecution(): Chooser {
    const sticky = uniformInt(this.rng, 0, 1) === 1;
    return new RandomExecution(this.rng, sticky, drawJoinMode(this.rng, ALL_MODES), drawClockMode(this.rng));
  }
}

/** A sticky execution keeps running the last task STAY_OUT_OF_4 times out of 4, while it can. */
const STAY_OUT_OF_4 = 3;

class RandomExecution implements Chooser {
  constructor(
    private readonly rng: RandomGenerator,
    private readonly sticky: boolean,
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
      case 'step': {
        if (candidates.length === 1) return candidates[0]!;
        const { count, early } = stepCandidates(this.rng, decision, this.clock);
        if (early) return LOOP_EARLY;
        const stay = this.sticky && !decision.yielding ? candidateOf(decision, decision.last) : undefined;
        if (stay !== undefined && uniformInt(this.rng, 1, 4) <= STAY_OUT_OF_4) return stay;
        return count === 1 ? candidates[0]! : candidates[uniformInt(this.rng, 0, count - 1)]!;
      }
      case 'notify':
        // A forced decision draws nothing: the stream goes to the decisions that matter.
        return candidates.length === 1 ? candidates[0]! : candidates[uniformInt(this.rng, 0, candidates.length - 1)]!;
    }
  }
}
