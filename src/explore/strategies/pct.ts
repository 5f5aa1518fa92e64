import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import type { Chooser, Decision } from '../../engine/chooser.ts';
import { drawJoinMode, JOINING_MODES, randomJoin, randomOffset, type JoinMode } from './joins.ts';
import { drawClockMode, randomTime, stepCandidates, type ClockMode } from './lateness.ts';
import { LOOP_EARLY } from '../../engine/ids.ts';
import type { Strategy } from './strategy.ts';

/**
 * Probabilistic Concurrency Testing (Burckhardt et al., ASPLOS 2010), as
 * Shuttle and Coyote run it: every task (a thread, or a timer callback) gets
 * a random priority when first seen, the highest-priority candidate always
 * runs, and at d-1 distinct step decisions, drawn at random among the first
 * `longest` (the longest execution seen so far, in steps: one step is one
 * step decision, forced ones included), the running task drops below
 * everyone. A bug of depth d is found with probability at least 1/(n·k^(d-1))
 * per execution. Same-macrotask starts are drawn as random's are (joins.ts).
 */
export class PctStrategy implements Strategy {
  readonly name = 'pct' as const;
  /** Longest execution seen so far, in steps: the range change points are drawn from. */
  private longest = 16;

  constructor(
    private readonly rng: RandomGenerator,
    private readonly depth = 3,
  ) {}

  nextExecution(): PctExecution {
    const wanted = Math.min(this.depth - 1, this.longest);
    const changes = new Set<number>();
    while (changes.size < wanted) changes.add(uniformInt(this.rng, 1, this.longest));
    return new PctExecution(this.rng, changes, drawJoinMode(this.rng, JOINING_MODES), drawClockMode(this.rng));
  }

  executionEnded(steps: number): void {
    // Capped: one starved spin-wait running to the step limit would otherwise spread every
    // later change point over thousands of steps, starving the same thread again and again.
    if (steps > this.longest) this.longest = Math.min(steps, PctStrategy.LONGEST_CAP);
  }

  static readonly LONGEST_CAP = 1000;
}

export class PctExecution implements Chooser {
  private readonly priority = new Map<number, number>();
  private steps = 0;
  /** Priorities below every initial one, handed out at change points. */
  private low = 0;
  /** Change points that fired in this execution (tests pin that every one can). */
  fired = 0;

  constructor(
    private readonly rng: RandomGenerator,
    readonly changes: ReadonlySet<number>,
    private readonly joins: JoinMode,
    private readonly clock: ClockMode,
  ) {}

  choose(decision: Decision): number {
    for (const task of decision.tasks) {
      if (!this.priority.has(task)) this.priority.set(task, 1 + uniformInt(this.rng, 0, 0x3fffffff));
    }
    switch (decision.kind) {
      case 'join':
        return randomJoin(this.rng, decision, this.joins);
      case 'offset':
        return randomOffset(this.rng);
      case 'time':
        return randomTime(this.rng, decision, this.clock);
      case 'notify':
        return this.highest(decision);
      case 'step': {
        this.steps++;
        // Letting time pass while work is ready is the clock's choice, not a task's priority.
        const { count, early } = stepCandidates(this.rng, decision, this.clock);
        if (early) return LOOP_EARLY;
        const pick = this.highest(decision, count);
        if (!this.changes.has(this.steps)) return pick;
        this.fired++;
        this.priority.set(decision.tasks[decision.candidates.indexOf(pick)]!, --this.low);
        return this.highest(decision, count);
      }
    }
  }

  /** Among the first `count` candidates, the one whose task has the highest priority; among one task's candidates, the oldest. */
  private highest(decision: Decision, count = decision.candidates.length): number {
    let best = 0;
    for (let i = 1; i < count; i++) {
      if (this.priority.get(decision.tasks[i]!)! > this.priority.get(decision.tasks[best]!)!) best = i;
    }
    return decision.candidates[best]!;
  }
}
