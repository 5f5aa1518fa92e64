import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import type { Chooser, ChoiceKind } from '../../engine/chooser.ts';
import type { Strategy } from './strategy.ts';

/**
 * Probabilistic Concurrency Testing (Burckhardt et al., ASPLOS 2010), as
 * Shuttle and Coyote run it: every thread (and timer) gets a random priority
 * when first seen, the highest-priority candidate always runs, and at d-1
 * random steps the running one drops below everyone. A bug of depth d is
 * found with probability at least 1/(n·k^(d-1)) per execution.
 */
export class PctStrategy implements Strategy {
  readonly name = 'pct' as const;
  /** Longest execution seen so far: the range change points are drawn from. */
  private longest = 16;

  constructor(
    private readonly rng: RandomGenerator,
    private readonly depth = 3,
  ) {}

  nextExecution(): Chooser {
    const changes = new Set<number>();
    for (let i = 1; i < this.depth; i++) changes.add(uniformInt(this.rng, 1, this.longest));
    return new PctExecution(this.rng, changes);
  }

  executionEnded(steps: number): void {
    // Capped: one starved spin-wait running to the step limit would otherwise spread every
    // later change point over thousands of steps, starving the same thread again and again.
    if (steps > this.longest) this.longest = Math.min(steps, PctStrategy.LONGEST_CAP);
  }

  static readonly LONGEST_CAP = 1000;
}

class PctExecution implements Chooser {
  private readonly priority = new Map<number, number>();
  private step = 0;
  /** Priorities below every initial one, handed out at change points. */
  private low = 0;

  constructor(
    private readonly rng: RandomGenerator,
    private readonly changes: ReadonlySet<number>,
  ) {}

  choose(candidates: readonly number[], kind: ChoiceKind): number {
    for (const id of candidates) {
      if (!this.priority.has(id)) this.priority.set(id, 1 + uniformInt(this.rng, 0, 0x3fffffff));
    }
    if (kind === 'notify') return this.highest(candidates);
    this.step++;
    const pick = this.highest(candidates);
    if (!this.changes.has(this.step)) return pick;
    this.priority.set(pick, --this.low);
    return this.highest(candidates);
  }

  private highest(candidates: readonly number[]): number {
    let best = candidates[0]!;
    for (const id of candidates) if (this.priority.get(id)! > this.priority.get(best)!) best = id;
    return best;
  }
}
