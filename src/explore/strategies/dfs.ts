import { JOIN_STOP, type Chooser, type Decision } from '../../engine/chooser.ts';
import { LOOP_EARLY } from '../../engine/ids.ts';
import type { Strategy } from './strategy.ts';

/**
 * The largest microtask offset the search tries for a same-macrotask start:
 * 0, so it tries only the alignment `Promise.all` starts with. Later offsets
 * (up to the engine's MAX_OFFSET) are left to random and pct; an exhausted
 * dfs has tried every schedule with its starts at offset 0, not every offset.
 */
export const DFS_MAX_OFFSET = 0;

interface Node {
  /** The options in the order they are tried, cheapest first. */
  readonly options: readonly number[];
  index: number;
  /** Preemptions on the path before this decision. */
  readonly before: number;
  /** Whether taking `option` costs a preemption. */
  readonly costly: (option: number) => boolean;
}

/**
 * Exhaustive search by iterative context bounding, as CHESS does: first every
 * schedule with no preemption (a task that can go on is never switched away
 * from), then those with at most one, then two..., each bound a depth-first
 * search of the schedule tree. Most concurrency bugs need at most two
 * preemptions (Musuvathi and Qadeer, PLDI 2007), so they are found after few
 * executions even where the whole tree could never be run; when a bound
 * prunes nothing, every schedule has been run and the search is `exhausted`.
 * Schedules under a smaller bound are run again under the larger ones.
 *
 * What costs a preemption: at a step, running another task while the one
 * that ran last could go on; running a task that yielded while another could
 * run (switching away from it is free, as CHESS's fair scheduler has it, so a
 * spin-wait lets the thread it waits for run first); starting a further
 * continuation in the same macrotask (always at offset 0: offsets above
 * DFS_MAX_OFFSET, which is 0, are not tried; one would cost a preemption);
 * letting time pass while work is ready (a busy process), and moving it past
 * more than the next deadline (a late event loop). The waiter a notify wakes
 * is free. With `maxPreemptions` the bound stops
 * there: the search is then complete only up to it.
 */
export class DfsStrategy implements Strategy {
  readonly name = 'dfs' as const;
  private readonly path: Node[] = [];
  private bound = 0;
  private pruned = false;
  private started = false;

  /** `maxSteps`: an execution that reaches it goes on round-robin, out of this search's sight, so its tree is not complete. */
  constructor(
    private readonly maxSteps = Infinity,
    private readonly maxPreemptions = Infinity,
  ) {}

  /** The bound now being searched. */
  get preemptionBound(): number {
    return this.bound;
  }

  executionEnded(steps: number): void {
    if (steps >= this.maxSteps) this.pruned = true;
  }

  nextExecution(): Chooser | undefined {
    if (this.started && !this.advance()) {
      // The bound cut nothing: the whole tree has been run. Or the largest bound asked for is done.
      if (!this.pruned || this.bound >= this.maxPreemptions) return undefined;
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

  /** Preemptions on the path once `option` is taken at `node`. */
  cost(node: Node, option: number): number {
    return node.before + (node.costly(option) ? 1 : 0);
  }

  node(depth: number): Node | undefined {
    return this.path[depth];
  }

  /** A decision seen for the first time: its options in order, cheapest first. */
  open(decision: Decision, before: number): Node {
    const { options, costly } = orderOptions(decision);
    const node: Node = { options, costly, index: 0, before };
    if (node.options.some((o) => this.cost(node, o) > this.bound)) this.pruned = true;
    this.path.push(node);
    return node;
  }
}

/** The options of a decision in the order the search tries them, and which of them cost a preemption. */
export function orderOptions(decision: Decision): { readonly options: readonly number[]; readonly costly: (option: number) => boolean } {
  // Copied: the engine's arrays change as the execution goes on, and the search keeps its options for later executions.
  const { candidates, tasks, last } = decision;
  switch (decision.kind) {
    case 'join':
      return { options: [JOIN_STOP, ...candidates], costly: (option) => option !== JOIN_STOP };
    case 'offset':
      return { options: candidates.filter((o) => o <= DFS_MAX_OFFSET), costly: (option) => option > 0 };
    case 'notify':
      return { options: [...candidates], costly: () => false };
    case 'time': {
      // Time standing still (when it may), or the next deadline (when it must), is free; moving sooner or further costs.
      const first = candidates[0];
      return { options: [...candidates], costly: (option) => option !== first };
    }
    case 'step': {
      // Letting time pass while other work is ready (a busy process) is tried last and costs, as a late clock does.
      // One pass, one copy, and costs looked up in a set of the last task's few candidates: with thousands of threads
      // ready, a decision stays linear in them.
      const early = candidates.length > 1 && candidates.includes(LOOP_EARLY);
      const own: number[] = [];
      const options: number[] = [];
      for (let i = 0; i < candidates.length; i++) {
        const c = candidates[i]!;
        if (early && c === LOOP_EARLY) continue;
        if (tasks[i] === last) own.push(c);
        else options.push(c);
      }
      const ownSet = own.length === 0 ? undefined : new Set(own);
      // Switching away from a task that yielded is free, running it again costs; otherwise staying is free.
      const ordered = ownSet === undefined ? options : decision.yielding ? (options.push(...own), options) : [...own, ...options];
      if (early) ordered.push(LOOP_EARLY);
      if (ownSet === undefined || (decision.yielding && ordered.length === own.length + (early ? 1 : 0))) {
        return { options: ordered, costly: (option) => early && option === LOOP_EARLY };
      }
      return {
        options: ordered,
        costly: decision.yielding ? (option) => option === LOOP_EARLY || ownSet.has(option) : (option) => option === LOOP_EARLY || !ownSet.has(option),
      };
    }
  }
}

class DfsExecution implements Chooser {
  private depth = 0;
  private preemptions = 0;

  constructor(private readonly search: DfsStrategy) {}

  choose(decision: Decision): number {
    const node = this.search.node(this.depth) ?? this.search.open(decision, this.preemptions);
    this.depth++;
    const picked = node.options[node.index]!;
    this.preemptions = this.search.cost(node, picked);
    return picked;
  }
}
