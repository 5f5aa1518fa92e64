import type { Chooser, ChoiceKind } from '../../engine/chooser.ts';
import type { Strategy } from './strategy.ts';

interface Decision {
  readonly kind: ChoiceKind;
  /** The candidates in the order they are tried: the thread that ran last first (no preemption), then by id. */
  readonly options: readonly number[];
  index: number;
  /** Preemptions on the path before this decision. */
  readonly before: number;
  /** The option that costs a preemption: every one but the running thread, or a thread that yielded. */
  readonly costly: (option: number) => boolean;
}

/**
 * Exhaustive search by iterative context bounding, as CHESS does: first every
 * schedule with no preemption (a thread that can go on is never switched
 * away from), then those with at most one, then two..., each bound a
 * depth-first search of the schedule tree. Most concurrency bugs need at most
 * two preemptions (Musuvathi and Qadeer, PLDI 2007), so they are found after
 * few executions even where the whole tree could never be run; when a bound
 * prunes nothing, every schedule has been run and the search is `exhausted`.
 * Schedules under a smaller bound are run again under the larger ones.
 * Switching away from a thread that waits in `rt.yield()` is no preemption.
 */
export class DfsStrategy implements Strategy {
  readonly name = 'dfs' as const;
  private readonly path: Decision[] = [];
  private bound = 0;
  private pruned = false;
  private started = false;

  /** `maxSteps`: an execution that reaches it goes on round-robin, out of this search's sight, so its tree is not complete. */
  constructor(private readonly maxSteps = Infinity) {}

  executionEnded(steps: number): void {
    if (steps >= this.maxSteps) this.pruned = true;
  }

  nextExecution(): Chooser | undefined {
    if (this.started && !this.advance()) {
      if (!this.pruned) return undefined; // the bound cut nothing: the whole tree has been run
      this.bound++;
      this.pruned = false;
      this.path.length = 0;
    }
    this.started = true;
    return new DfsExecution(this);
  }

  /** Moves to the next path under the bound; false when this bound's tree is done. */
  private advance(): boolean {
    while (this.path.length > 0) {
      const last = this.path[this.path.length - 1]!;
      while (last.index + 1 < last.options.length) {
        last.index++;
        if (this.cost(last, last.options[last.index]!) <= this.bound) return true;
        this.pruned = true;
      }
      this.path.pop();
    }
    return false;
  }

  /** Preemptions on the path once `option` is taken at `decision`. */
  cost(decision: Decision, option: number): number {
    return decision.before + (decision.costly(option) ? 1 : 0);
  }

  decision(depth: number): Decision | undefined {
    return this.path[depth];
  }

  /**
   * A decision seen for the first time: tried in order, cheapest first. A
   * thread that yielded has said it cannot progress alone, so, as CHESS's
   * fair scheduler does, switching away from it is free and running it again
   * while another thread could run is what costs: a spin-wait lets the thread
   * it waits for run first, instead of spinning ever deeper on every path.
   */
  open(kind: ChoiceKind, candidates: readonly number[], lastActor: number | undefined, yielder: number | undefined, before: number): Decision {
    let options = [...candidates];
    let costly = (_option: number): boolean => false;
    if (kind === 'step' && yielder !== undefined && candidates.includes(yielder) && candidates.length > 1) {
      options = [...candidates.filter((c) => c !== yielder), yielder];
      costly = (option) => option === yielder;
    } else if (kind === 'step' && lastActor !== undefined && candidates.includes(lastActor)) {
      options = [lastActor, ...candidates.filter((c) => c !== lastActor)];
      costly = (option) => option !== lastActor;
    }
    const decision: Decision = { kind, options, index: 0, before, costly };
    if (options.some((o) => this.cost(decision, o) > this.bound)) this.pruned = true;
    this.path.push(decision);
    return decision;
  }
}

class DfsExecution implements Chooser {
  private depth = 0;
  private lastActor: number | undefined;
  private preemptions = 0;

  constructor(private readonly search: DfsStrategy) {}

  choose(candidates: readonly number[], kind: ChoiceKind, yielder?: number): number {
    const decision = this.search.decision(this.depth) ?? this.search.open(kind, candidates, this.lastActor, yielder, this.preemptions);
    this.depth++;
    const picked = decision.options[decision.index]!;
    this.preemptions = this.search.cost(decision, picked);
    if (kind === 'step') this.lastActor = picked;
    return picked;
  }
}
