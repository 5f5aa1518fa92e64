/**
 * The strategies as units, fed decisions by hand (explore/strategies/):
 * what each picks, what it never picks, and what it draws from its random
 * stream. The suites in test/engine see them only through whole
 * explorations, where most of these choices cannot be told apart.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { describe, expect, it } from 'vitest';
import { JOIN_STOP, MAX_OFFSET, TIME_STILL, type Chooser } from '../../src/engine/chooser.ts';
import { DfsStrategy, orderOptions } from '../../src/explore/strategies/dfs.ts';
import { DEFAULT_PCT_DEPTH, makeStrategy } from '../../src/explore/strategies/index.ts';
import { ALL_MODES, drawJoinMode, JOINING_MODES, randomJoin, randomOffset } from '../../src/explore/strategies/joins.ts';
import { BUSY_ODDS, drawClockMode, LATE_ODDS, randomTime } from '../../src/explore/strategies/lateness.ts';
import { PctExecution, PctStrategy } from '../../src/explore/strategies/pct.ts';
import { PortfolioStrategy } from '../../src/explore/strategies/portfolio.ts';
import { RandomStrategy } from '../../src/explore/strategies/random.ts';
import { isStrategyName, STRATEGY_CODES, STRATEGY_NAMES } from '../../src/explore/strategies/strategy.ts';
import { TapeChooser } from '../../src/explore/strategies/tape.ts';
import { decision } from './decisions.ts';

const rng = (seed: number) => xoroshiro128plus(seed);
const many = <T>(n: number, draw: () => T): T[] => Array.from({ length: n }, draw);
const counts = <T>(values: readonly T[]): Map<T, number> => {
  const m = new Map<T, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
};

describe('names and codes', () => {
  it('five strategies, each with its pinned token code, in the order help texts list them', () => {
    expect(STRATEGY_NAMES).toEqual(['random', 'pct', 'dfs', 'portfolio', 'proof']);
    expect(STRATEGY_CODES).toEqual({ random: 0, pct: 1, dfs: 2, portfolio: 3, proof: 4 });
    expect(STRATEGY_NAMES.every(isStrategyName)).toBe(true);
    expect(['toString', 'constructor', 'RANDOM', '', 0, undefined].some(isStrategyName)).toBe(false);
  });

  it('makeStrategy builds the strategy named, PCT at depth 3 unless told', () => {
    for (const name of STRATEGY_NAMES) expect(makeStrategy(name, 1).name).toBe(name);
    expect(DEFAULT_PCT_DEPTH).toBe(3);
    // Depth d: d-1 change points per execution (while the longest execution seen is long enough).
    expect((makeStrategy('pct', 1) as PctStrategy).nextExecution().changes.size).toBe(2);
    expect((makeStrategy('pct', 1, { depth: 5 }) as PctStrategy).nextExecution().changes.size).toBe(4);
  });
});

describe('the tape', () => {
  it('gives its choices in order, then TAPE_END, and counts what is left', () => {
    const tape = new TapeChooser([4, 2]);
    expect(tape.remaining).toBe(2);
    expect(tape.choose()).toBe(4);
    expect(tape.remaining).toBe(1);
    expect(tape.choose()).toBe(2);
    expect(tape.remaining).toBe(0);
    expect(tape.choose()).toBe(-2);
    expect(tape.remaining).toBe(0);
  });
});

describe('random', () => {
  it('a forced step or notify draws nothing from the stream: the next real choice is the same as without it', () => {
    const pick = (forced: boolean): number[] => {
      const execution = new RandomStrategy(9).nextExecution();
      if (forced) {
        execution.choose(decision('step', [6]));
        execution.choose(decision('notify', [8]));
      }
      return many(10, () => execution.choose(decision('step', [0, 2, 4, 6])));
    };
    expect(pick(true)).toEqual(pick(false));
    expect(new RandomStrategy(9).nextExecution().choose(decision('step', [6]))).toBe(6);
    expect(new RandomStrategy(9).nextExecution().choose(decision('notify', [8]))).toBe(8);
  });

  it('chooses uniformly among the candidates in a uniform execution, and sticks to the last task 3 times in 4 in a sticky one', () => {
    const strategy = new RandomStrategy(3);
    const sticky: number[] = [];
    const uniform: number[] = [];
    for (let e = 0; e < 40; e++) {
      const execution = strategy.nextExecution();
      const picks = many(200, () => execution.choose(decision('step', [0, 2, 4, 6], { last: 0 })));
      (picks.filter((p) => p === 0).length > 100 ? sticky : uniform).push(picks.filter((p) => p === 0).length / 200);
    }
    expect(sticky.length).toBeGreaterThan(8);
    expect(uniform.length).toBeGreaterThan(8);
    // Sticky: 3/4 stay, and a quarter of the rest picks it anyway: 13/16.
    for (const share of sticky) expect(share).toBeGreaterThan(0.7);
    for (const share of uniform) expect(share).toBeLessThan(0.4);
  });

  it('never sticks to a task that yields', () => {
    for (let e = 0; e < 30; e++) {
      const execution = new RandomStrategy(e).nextExecution();
      const picks = many(200, () => execution.choose(decision('step', [0, 2, 4, 6], { last: 0, yielding: true })));
      expect(picks.filter((p) => p === 0).length).toBeLessThan(90);
    }
  });

  it('wakes any waiter a notify may wake', () => {
    const execution = new RandomStrategy(5).nextExecution();
    expect(new Set(many(200, () => execution.choose(decision('notify', [2, 4, 6]))))).toEqual(new Set([2, 4, 6]));
  });
});

describe('same-macrotask starts (joins.ts)', () => {
  const join = (sameOp: boolean[]) => decision('join', [2, 4, 6], { sameOp });

  it('random draws among all four modes, one with no joins at all; PCT among the three that join', () => {
    expect(ALL_MODES).toHaveLength(4);
    expect(ALL_MODES[0]).toEqual({ same: 0, other: 0 });
    expect(JOINING_MODES).toEqual(ALL_MODES.slice(1));
    const r = rng(1);
    expect(new Set(many(200, () => drawJoinMode(r, ALL_MODES)))).toEqual(new Set(ALL_MODES));
  });

  it('a mode that never joins stops at once; nothing to join stops too', () => {
    const r = rng(2);
    for (const d of [join([true, true, true]), join([false, false, false])]) expect(new Set(many(100, () => randomJoin(r, d, { same: 0, other: 0 })))).toEqual(new Set([JOIN_STOP]));
    expect(randomJoin(r, decision('join', []), { same: 1, other: 1 })).toBe(JOIN_STOP);
  });

  it('same: 1 always joins a continuation at the same operation when there is one', () => {
    const r = rng(3);
    expect(new Set(many(200, () => randomJoin(r, join([false, true, false]), { same: 1, other: 0 })))).toEqual(new Set([4]));
    expect(new Set(many(200, () => randomJoin(r, join([false, false, false]), { same: 1, other: 0 })))).toEqual(new Set([JOIN_STOP]));
  });

  it('same: 2 joins a same-operation candidate about half the time; other: n joins any candidate about 1 in n', () => {
    const r = rng(4);
    const same = counts(many(2000, () => randomJoin(r, join([true, false, false]), { same: 2, other: 0 })));
    expect(same.get(2)! / 2000).toBeGreaterThan(0.4);
    expect(same.get(2)! / 2000).toBeLessThan(0.6);
    const other = counts(many(4000, () => randomJoin(r, join([false, false, false]), { same: 0, other: 4 })));
    expect(other.get(JOIN_STOP)! / 4000).toBeGreaterThan(0.7);
    expect(other.get(JOIN_STOP)! / 4000).toBeLessThan(0.8);
    expect(new Set(other.keys())).toEqual(new Set([JOIN_STOP, 2, 4, 6]));
  });

  it('offsets are mostly 0, halving with each further microtask turn, never past MAX_OFFSET', () => {
    const r = rng(5);
    const offsets = counts(many(4000, () => randomOffset(r)));
    expect(offsets.get(0)! / 4000).toBeGreaterThan(0.45);
    expect(offsets.get(0)! / 4000).toBeLessThan(0.55);
    expect(offsets.get(1)! / 4000).toBeGreaterThan(0.2);
    expect(offsets.get(1)! / 4000).toBeLessThan(0.3);
    expect(Math.max(...offsets.keys())).toBeLessThanOrEqual(MAX_OFFSET);
    expect(offsets.has(MAX_OFFSET)).toBe(true);
  });
});

describe('the clock of randomised strategies (lateness.ts)', () => {
  it('draws quick and busy clocks', () => {
    const r = rng(6);
    expect(new Set(many(100, () => drawClockMode(r).busy))).toEqual(new Set([false, true]));
    expect([LATE_ODDS, BUSY_ODDS]).toEqual([6, 6]);
  });

  it('a quick clock keeps time still whenever it may', () => {
    const r = rng(7);
    expect(new Set(many(300, () => randomTime(r, decision('time', [TIME_STILL, 0, 1, 2]), { busy: false })))).toEqual(new Set([TIME_STILL]));
  });

  it('a busy clock lets time pass about 1 in 6 times it may, mostly to the next deadline', () => {
    const r = rng(8);
    const moved = counts(many(6000, () => randomTime(r, decision('time', [TIME_STILL, 0, 1, 2]), { busy: true })));
    expect(moved.get(TIME_STILL)! / 6000).toBeGreaterThan(0.79);
    expect(moved.get(TIME_STILL)! / 6000).toBeLessThan(0.87);
    expect(moved.get(0)!).toBeGreaterThan(moved.get(1)! + moved.get(2)!);
  });

  it('when time must move, the next deadline 5 times in 6, otherwise one further', () => {
    const r = rng(9);
    const moved = counts(many(6000, () => randomTime(r, decision('time', [0, 1, 2]), { busy: false })));
    expect(moved.get(0)! / 6000).toBeGreaterThan(0.8);
    expect(moved.get(0)! / 6000).toBeLessThan(0.87);
    expect(moved.has(1) && moved.has(2)).toBe(true);
    expect(new Set(many(100, () => randomTime(r, decision('time', [0]), { busy: true })))).toEqual(new Set([0]));
  });
});

describe('PCT', () => {
  it('runs the highest-priority task, and the lowest-id candidate of it; a change point demotes the task that would have run', () => {
    const execution = new PctExecution(rng(1), new Set([2]), { same: 0, other: 0 }, { busy: false });
    const d = decision('step', [0, 2, 4], { tasks: [0, 1, 2] });
    const first = execution.choose(d);
    expect(execution.choose(decision('step', [0, 2, 4], { tasks: [0, 1, 2] }))).not.toBe(first);
    expect(execution.fired).toBe(1);
    // Demoted below everyone: it never runs again while another can.
    for (let i = 0; i < 20; i++) expect(execution.choose(decision('step', [0, 2, 4], { tasks: [0, 1, 2] }))).not.toBe(first);
    expect(execution.choose(decision('step', [first]))).toBe(first);
    const second = new PctExecution(rng(1), new Set(), { same: 0, other: 0 }, { busy: false });
    const top = second.choose(decision('step', [0, 2], { tasks: [0, 0] }));
    expect(top).toBe(0);
  });

  it('a notify wakes the waiter whose task has the highest priority: the same as the step would run', () => {
    const execution = new PctExecution(rng(2), new Set(), { same: 0, other: 0 }, { busy: false });
    const step = execution.choose(decision('step', [0, 2, 4], { tasks: [0, 1, 2] }));
    expect(execution.choose(decision('notify', [0, 2, 4], { tasks: [0, 1, 2] }))).toBe(step);
  });

  it('draws its change points among the first step decisions of the longest execution seen, capped at 1,000', () => {
    const strategy = new PctStrategy(rng(3), 3);
    // An execution that asked `n` step decisions (each with a choice: forced ones never reach a chooser).
    const ran = (n: number): void => {
      const execution = strategy.nextExecution();
      for (let i = 0; i < n; i++) execution.choose(decision('step', [0, 2], { tasks: [0, 1] }));
      strategy.executionEnded();
    };
    for (let i = 0; i < 50; i++) for (const c of strategy.nextExecution().changes) expect(c >= 1 && c <= 16).toBe(true);
    ran(10);
    for (let i = 0; i < 50; i++) for (const c of strategy.nextExecution().changes) expect(c).toBeLessThanOrEqual(16);
    ran(400);
    const seen = new Set(many(200, () => [...strategy.nextExecution().changes]).flat());
    expect(Math.max(...seen)).toBeGreaterThan(16);
    expect(Math.max(...seen)).toBeLessThanOrEqual(400);
    ran(50_000);
    expect(Math.max(...many(300, () => [...strategy.nextExecution().changes]).flat())).toBeLessThanOrEqual(PctStrategy.LONGEST_CAP);
    expect(PctStrategy.LONGEST_CAP).toBe(1000);
  });

  it('at depth 1 has no change point; at a depth beyond the longest execution, one per step at most', () => {
    expect(new PctStrategy(rng(4), 1).nextExecution().changes.size).toBe(0);
    expect(new PctStrategy(rng(4), 40).nextExecution().changes.size).toBe(16);
  });
});

describe('dfs: what costs a preemption', () => {
  it('a step: running another task while the last could go on; nothing when the last cannot; the last first', () => {
    const own = orderOptions(decision('step', [0, 2, 4], { tasks: [0, 1, 2], last: 1 }));
    expect(own.options).toEqual([2, 0, 4]);
    expect([0, 2, 4].map(own.costly)).toEqual([true, false, true]);
    const gone = orderOptions(decision('step', [0, 4], { tasks: [0, 2], last: 1 }));
    expect(gone.options).toEqual([0, 4]);
    expect([0, 4].map(gone.costly)).toEqual([false, false]);
  });

  it('a step after a yield: the others first and free, the yielder last and costly, or free when alone', () => {
    const yielded = orderOptions(decision('step', [0, 2, 4], { tasks: [0, 1, 2], last: 1, yielding: true }));
    expect(yielded.options).toEqual([0, 4, 2]);
    expect([0, 2, 4].map(yielded.costly)).toEqual([false, true, false]);
    const alone = orderOptions(decision('step', [2], { tasks: [1], last: 1, yielding: true }));
    expect(alone.options).toEqual([2]);
    expect(alone.costly(2)).toBe(false);
  });

  it('joins cost, stopping is free and first; offsets beyond 0 are not tried; notifies are free; time: the first option is free', () => {
    const join = orderOptions(decision('join', [2, 4]));
    expect(join.options).toEqual([JOIN_STOP, 2, 4]);
    expect([JOIN_STOP, 2, 4].map(join.costly)).toEqual([false, true, true]);
    const offset = orderOptions(decision('offset', [0, 1, 2, 3]));
    expect(offset.options).toEqual([0]);
    expect([0, 1].map(offset.costly)).toEqual([false, true]);
    const notify = orderOptions(decision('notify', [2, 4]));
    expect(notify.options).toEqual([2, 4]);
    expect([2, 4].map(notify.costly)).toEqual([false, false]);
    const time = orderOptions(decision('time', [TIME_STILL, 0, 1]));
    expect(time.options).toEqual([TIME_STILL, 0, 1]);
    expect([TIME_STILL, 0, 1].map(time.costly)).toEqual([false, true, true]);
  });

  it('copies the options: the engine may reuse its arrays', () => {
    const candidates = [0, 2];
    const { options } = orderOptions(decision('notify', candidates));
    candidates.push(4);
    expect(options).toEqual([0, 2]);
  });
});

/** Runs a dfs over a fixed tree: `shape(path)` gives the decision at that point, or undefined when the execution ends. */
function runDfs(strategy: { nextExecution(): Chooser | undefined; executionEnded?(steps: number): void }, shape: (path: number[]) => ReturnType<typeof decision> | undefined, limit = 100): number[][] {
  const paths: number[][] = [];
  for (let e = 0; e < limit; e++) {
    const chooser: Chooser | undefined = strategy.nextExecution();
    if (chooser === undefined) return paths;
    const path: number[] = [];
    for (let d = shape(path); d !== undefined; d = shape(path)) path.push(chooser.choose(d));
    strategy.executionEnded?.(path.length);
    paths.push(path);
  }
  return paths;
}

describe('dfs: the search', () => {
  // Two steps, each among two tasks; the first step's task ran last, so switching costs.
  const tree = (path: number[]) => (path.length < 2 ? decision('step', [0, 2], { tasks: [0, 1], last: path.length === 0 ? undefined : path[0]! / 2 }) : undefined);

  it('runs every schedule once, cheapest first, raising the bound only while it cut something, then says it is done', () => {
    const strategy = new DfsStrategy();
    expect(strategy.preemptionBound).toBe(0);
    const paths = runDfs(strategy, tree);
    expect(paths.map((p) => p.join(' '))).toEqual(['0 0', '2 2', '0 0', '0 2', '2 2', '2 0']);
    expect(strategy.preemptionBound).toBe(1);
  });

  it('stops at the bound asked for', () => {
    const paths = runDfs(new DfsStrategy(Infinity, 0), tree);
    expect(paths.map((p) => p.join(' '))).toEqual(['0 0', '2 2']);
  });

  it('an execution that reached maxSteps went on out of sight: the search raises its bound instead of claiming it is done', () => {
    // Every execution is two steps long, the budget: the tree is never known to be whole, so the search goes on, bound after bound.
    const strategy = new DfsStrategy(2);
    expect(runDfs(strategy, tree, 50)).toHaveLength(50);
    expect(strategy.preemptionBound).toBeGreaterThan(5);
    expect(runDfs(new DfsStrategy(3), tree, 50)).toHaveLength(6);
  });

  it('a single forced path is one execution, exhausted', () => {
    const paths = runDfs(new DfsStrategy(), (path) => (path.length < 3 ? decision('step', [0], { tasks: [0], last: 0 }) : undefined));
    expect(paths).toEqual([[0, 0, 0]]);
  });
});

describe('the portfolio', () => {
  /** Three steps among two tasks, one of which ran last: enough for every member to have something to choose. */
  const tree = (path: number[]) => (path.length < 3 ? decision('step', [0, 2], { tasks: [0, 1], last: 0 }) : undefined);

  it('takes turns: random, PCT at depth 2, dfs, PCT at the depth asked (3 unless told)', () => {
    const members = (portfolio: PortfolioStrategy): Chooser[] =>
      many(8, () => {
        const chooser = portfolio.nextExecution()!;
        for (const _ of [0, 1, 2]) chooser.choose(tree([])!);
        portfolio.executionEnded(3);
        return chooser;
      });
    const turns = members(new PortfolioStrategy(1, { depth: 4 }));
    expect(turns.map((c) => c.constructor.name)).toEqual(['RandomExecution', 'PctExecution', 'DfsExecution', 'PctExecution', 'RandomExecution', 'PctExecution', 'DfsExecution', 'PctExecution']);
    // Each PCT member draws its execution's depth between 1 and its own (PctStrategy's upToDepth): at most 1 and 3 change points here.
    const sizes = (depth: number | undefined, turn: number): Set<number> =>
      new Set(Array.from({ length: 30 }, (_, seed) => (members(new PortfolioStrategy(seed, depth === undefined ? {} : { depth }))[turn] as PctExecution).changes.size));
    expect(sizes(4, 1)).toEqual(new Set([0, 1]));
    expect(sizes(4, 3)).toEqual(new Set([0, 1, 2, 3]));
    expect(sizes(undefined, 3)).toEqual(new Set([0, 1, 2]));
  });

  it('ends when its dfs member has run every schedule, bounded by preemptions when asked', () => {
    const bounded = runDfs(new PortfolioStrategy(1, { preemptions: 0 }), tree);
    // At bound 0 dfs has one schedule (the task that ran last is never switched away from): at its second turn the portfolio ends.
    expect(bounded).toHaveLength(6);
    expect(runDfs(new PortfolioStrategy(1), tree).length).toBeGreaterThan(10);
    expect(runDfs(new PortfolioStrategy(1), tree).length).toBeLessThan(100);
  });

  it('tells the member that ran how long its execution was: PCT draws change points further out after a long one', () => {
    const changesAfter = (steps: number): number[] => {
      const portfolio = new PortfolioStrategy(1);
      const seen: number[] = [];
      for (let turn = 0; turn < 400; turn++) {
        const chooser = portfolio.nextExecution();
        if (chooser === undefined) break;
        if (chooser instanceof PctExecution && turn >= 4) seen.push(...chooser.changes);
        // `steps` step decisions, each with a choice (PCT counts those, not the engine's steps).
        for (let d = 0; d < steps; d++) chooser.choose(decision('step', [0, 2], { tasks: [0, 1] }));
        portfolio.executionEnded(steps);
      }
      return seen;
    };
    expect(Math.max(...changesAfter(3))).toBeLessThanOrEqual(16);
    expect(Math.max(...changesAfter(500))).toBeGreaterThan(16);
  });
});
