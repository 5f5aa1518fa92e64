/**
 * collectOutcomes (explore/outcomes.ts) beside exploreRun.test.ts: what is
 * counted for executions that did not run to their end (a deadlock, an
 * execution still going at its step budget), a finding seen only once the
 * event loop turns (a rejection nobody awaited), the options that shape the
 * search, and the refusal of what is not a scenario.
 */
import { describe, expect, it } from 'vitest';
import { defineScenario, type Mutex, type Runtime } from 'interleave';
import { collectOutcomes } from '../../src/explore/outcomes.ts';
import { counter, twoYields } from './scenarios.ts';

/** Two threads taking two locks in opposite orders: some schedules deadlock, the others end with an outcome. */
const crossed = defineScenario({
  name: 'crossed locks with an outcome',
  setup: (rt) => ({ a: rt.mutex('a'), b: rt.mutex('b'), log: [] as string[] }),
  threads: {
    left: async (s: { a: Mutex; b: Mutex; log: string[] }) => {
      await s.a.lock();
      await s.b.lock();
      s.log.push('left');
      s.b.unlock();
      s.a.unlock();
    },
    right: async (s: { a: Mutex; b: Mutex; log: string[] }) => {
      await s.b.lock();
      await s.a.lock();
      s.log.push('right');
      s.a.unlock();
      s.b.unlock();
    },
  },
  outcome: (s) => s.log.join(' '),
});

describe('what collectOutcomes counts', () => {
  it('a deadlocked execution is a finding with no outcome', async () => {
    const counts = await collectOutcomes(crossed, { strategy: 'dfs', runs: 200, seed: 1 });
    expect([...counts.outcomes.keys()].sort()).toEqual(['left right', 'right left']);
    const deadlocks = counts.findings.get('deadlock')!;
    expect(deadlocks).toBeGreaterThan(0);
    expect([...counts.findings.keys()]).toEqual(['deadlock']);
    expect(deadlocks + counts.outcomes.get('left right')! + counts.outcomes.get('right left')!).toBe(counts.executions);
  });

  it('an execution still going at its step budget has neither an outcome nor a finding', async () => {
    const counts = await collectOutcomes(counter(100_000), { runs: 3, seed: 1, maxSteps: 20 });
    expect(counts).toEqual({ executions: 3, outcomes: new Map(), findings: new Map() });
  });

  it('a rejection nobody awaited, seen once the event loop turns, is counted as a finding of its execution, which still has its outcome', async () => {
    const careless = defineScenario({
      name: 'careless rejection',
      setup: () => ({ done: false }),
      threads: {
        a: async (s: { done: boolean }, rt: Runtime) => {
          void Promise.reject(new Error('nobody awaits me'));
          await rt.yield();
          s.done = true;
        },
      },
      outcome: (s) => `done=${s.done}`,
    });
    const counts = await collectOutcomes(careless, { runs: 5, seed: 1 });
    expect(counts).toEqual({ executions: 5, outcomes: new Map([['done=true', 5]]), findings: new Map([['exception', 5]]) });
  });

  it("the search is shaped by the options: dfs bounded to no preemption runs fewer schedules than dfs unbounded", async () => {
    const bounded = await collectOutcomes(twoYields(), { strategy: 'dfs', preemptions: 0, runs: 1000, seed: 1 });
    const whole = await collectOutcomes(twoYields(), { strategy: 'dfs', runs: 1000, seed: 1 });
    expect(bounded.executions).toBeLessThan(whole.executions);
    expect(whole.executions).toBeLessThan(1000);
  });

  it("stops as explore() does (the same search, runner.ts): at its time limit or its signal, after one execution at least, telling its progress", async () => {
    const late = await collectOutcomes(twoYields(), { strategy: 'random', runs: 100_000, seed: 1, timeLimitMs: 1e-9 });
    expect(late.executions).toBe(1);
    const stopped = await collectOutcomes(twoYields(), { strategy: 'random', runs: 100_000, seed: 1, signal: AbortSignal.abort() });
    expect(stopped.executions).toBe(1);
    const seen: number[] = [];
    const counted = await collectOutcomes(twoYields(), { strategy: 'random', runs: 200, seed: 1, onProgress: (p) => seen.push(p.executions) });
    expect(seen.at(-1)).toBe(counted.executions);
  });

  it('refuses what is not a scenario, saying what it got', async () => {
    const words = "collectOutcomes() needs a scenario with an outcome (producerConsumer's default, or defineScenario's 'outcome');";
    await expect(collectOutcomes(null as never)).rejects.toThrow(`${words} 'undefined' has none.`);
    await expect(collectOutcomes({ name: 'lookalike' } as never)).rejects.toThrow(`${words} 'lookalike' has none.`);
  });
});
