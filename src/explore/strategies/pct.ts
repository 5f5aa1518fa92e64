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
 * `longest` (the most step decisions with a choice seen in one execution so
 * far: a step with one candidate is no decision, and never reaches a
 * chooser), the running task drops below everyone. A task that yields says
 * it cannot progress by itself: as Shuttle does, it drops below everyone too,
 * so that the others run while it waits (without that, the highest task
 * spinning on a yield starves the one it waits for). A bug of depth d is
 * found with probability at least 1/(n·k^(d-1)) per execution.
 * Same-macrotask starts are drawn as random's are (joins.ts).
 */
export class PctStrategy implements Strategy {
  readonly name = 'pct' as const;
  /** Longest execution seen so far, in steps: the range change points are drawn from. */
  private longest = 16;
  private current: PctExecution | undefined;

  constructor(
    private readonly rng: RandomGenerator,
    private readonly depth = 3,
    /**
     * Draw each execution's depth between 1 and `depth` (the portfolio's
     * members do): a change point that lands before a shallow bug's last
     * step demotes the task that was about to show it, so a search at depth
     * 3 alone finds a depth-1 bug (one thread far ahead of another) only when
     * both its change points fall late.
     */
    private readonly upToDepth = false,
  ) {}

  nextExecution(): PctExecution {
    const depth = this.upToDepth ? 1 + uniformInt(this.rng, 0, this.depth - 1) : this.depth;
    const wanted = Math.min(depth - 1, this.longest);
    const changes = new Set<number>();
    while (changes.size < wanted) changes.add(uniformInt(this.rng, 1, this.longest));
    this.current = new PctExecution(this.rng, changes, drawJoinMode(this.rng, JOINING_MODES), drawClockMode(this.rng), drawPatience(this.rng));
    return this.current;
  }

  /** Sized by the step decisions the execution asked (its `steps`), not the engine's steps: forced ones are no decisions. */
  executionEnded(): void {
    const steps = this.current?.steps ?? 0;
    // Capped: one starved spin-wait running to the step limit would otherwise spread every
    // later change point over thousands of steps, starving the same thread again and again.
    if (steps > this.longest) this.longest = Math.min(steps, PctStrategy.LONGEST_CAP);
  }

  static readonly LONGEST_CAP = 1000;
}

export class PctExecution implements Chooser {
  private readonly priority = new Map<number, number>();
  /** Step decisions asked so far (each had a choice). */
  steps = 0;
  /** Priorities below every initial one, handed out at change points. */
  private low = 0;
  /** Change points that fired in this execution (tests pin that every one can). */
  fired = 0;

  constructor(
    private readonly rng: RandomGenerator,
    readonly changes: ReadonlySet<number>,
    private readonly joins: JoinMode,
    private readonly clock: ClockMode,
    /** Yields in a row a task may make before it drops below everyone (see drawPatience). */
    readonly patience = 1,
  ) {}

  private yielder: number | undefined;
  private yieldsInARow = 0;

  /** The task that ran last now waits in `rt.yield()`: past its patience, it drops below everyone, as Shuttle's PCT drops a yielding task. */
  private yielded(task: number): void {
    this.yieldsInARow = task === this.yielder ? this.yieldsInARow + 1 : 1;
    this.yielder = task;
    if (this.yieldsInARow < this.patience) return;
    this.priority.set(task, --this.low);
    this.yieldsInARow = 0;
  }

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
        if (decision.yielding && decision.last !== undefined) this.yielded(decision.last);
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

/**
 * How many yields in a row a task may make before PCT drops it below
 * everyone, drawn per execution: 1, 2, 4 ... 64. Shuttle drops a yielding
 * task at once: a task that yields says it cannot progress by itself, and a
 * top-priority spin-wait (`while (!flag) await rt.yield()`) would otherwise
 * starve the task it waits for until the step budget runs out. But a task
 * that yields while it works (`for (...) await rt.yield()`) may really run
 * far ahead of the others, and that is the bug some programs have: dropped
 * at once, it never does. The yields a spin-wait costs stay bounded (at most
 * 64 per wait), and a third of the executions let a task run 16 yields or
 * more ahead.
 */
export function drawPatience(rng: RandomGenerator): number {
  return 4 ** uniformInt(rng, 1, 3);
}
