/**
 * Strategy choices at their edges, beside strategyUnits.test.ts: time
 * decisions as each randomised strategy takes them, the range of a late
 * timer, and what a second change point does to PCT's priorities.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { describe, expect, it } from 'vitest';
import { TIME_STILL } from '../../src/engine/chooser.ts';
import { randomTime } from '../../src/explore/strategies/lateness.ts';
import { PctExecution } from '../../src/explore/strategies/pct.ts';
import { RandomStrategy } from '../../src/explore/strategies/random.ts';
import { decision } from './decisions.ts';

const tally = (values: readonly number[]): Map<number, number> => {
  const m = new Map<number, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
};

describe('time decisions', () => {
  it('a late timer is one of the deadlines offered, never past the last', () => {
    const r = xoroshiro128plus(12);
    const seen = tally(Array.from({ length: 3000 }, () => randomTime(r, decision('time', [0, 1, 2]), { busy: true })));
    expect([...seen.keys()].sort()).toEqual([0, 1, 2]);
    const busy = tally(Array.from({ length: 3000 }, () => randomTime(r, decision('time', [TIME_STILL, 5, 6]), { busy: true })));
    expect([...busy.keys()].sort()).toEqual([TIME_STILL, 5, 6].sort());
  });

  it('random takes them as lateness.ts does: the next deadline 5 times in 6 when time must move', () => {
    const strategy = new RandomStrategy(3);
    const picks: number[] = [];
    for (let e = 0; e < 200; e++) {
      const execution = strategy.nextExecution();
      for (let i = 0; i < 30; i++) picks.push(execution.choose(decision('time', [0, 1, 2])));
    }
    const seen = tally(picks);
    expect(seen.get(0)! / picks.length).toBeGreaterThan(0.78);
    expect(seen.get(0)! / picks.length).toBeLessThan(0.88);
    expect(seen.has(1) && seen.has(2)).toBe(true);
  });

  it('PCT takes them as lateness.ts does too, not by its priorities', () => {
    const execution = new PctExecution(xoroshiro128plus(4), new Set(), { same: 0, other: 0 }, { busy: false });
    const seen = tally(Array.from({ length: 600 }, () => execution.choose(decision('time', [0, 2, 4]))));
    expect(seen.get(0)! / 600).toBeGreaterThan(0.78);
    expect(seen.has(2) && seen.has(4)).toBe(true);
  });
});

describe('PCT change points', () => {
  it('each change point demotes below every earlier demotion: the task demoted first outranks the one demoted second', () => {
    for (let seed = 0; seed < 20; seed++) {
      const execution = new PctExecution(xoroshiro128plus(seed), new Set([1, 2]), { same: 0, other: 0 }, { busy: false });
      const three = () => decision('step', [0, 2, 4], { tasks: [0, 1, 2] });
      // Step 1 demotes the top task and runs the second; step 2 demotes that one and runs the third.
      const demotedSecond = execution.choose(three());
      const third = execution.choose(three());
      expect(execution.fired).toBe(2);
      const demotedFirst = [0, 2, 4].find((c) => c !== demotedSecond && c !== third)!;
      const both = [demotedFirst, demotedSecond].sort();
      expect(execution.choose(decision('step', both, { tasks: both.map((c) => c / 2) }))).toBe(demotedFirst);
    }
  });
});
