/**
 * The strategies behind explore(): each finds a shallow race and replays it,
 * DFS visits every schedule exactly once and says so, and the budgets hold.
 */
import { describe, expect, it } from 'vitest';
import { defineScenario, explore, replay, type Runtime } from 'interleave';

const STRATEGIES = ['random', 'pct', 'dfs', 'portfolio'] as const;

/** Two unlocked read-yield-write increments: the textbook lost update. */
const racyCounter = defineScenario({
  name: 'racy counter',
  setup: () => ({ count: 0 }),
  threads: Object.fromEntries(
    ['a', 'b'].map((name) => [
      name,
      async (s: { count: number }, rt: Runtime) => {
        const seen = s.count;
        await rt.yield();
        s.count = seen + 1;
      },
    ]),
  ),
  final: (s) => s.count === 2 || `count is ${s.count}: an increment was lost`,
  expected: 'invariant',
});

describe.each(STRATEGIES)('strategy %s', (strategy) => {
  it('finds the lost update, and its token replays to the same failure', async () => {
    const result = await explore(racyCounter, { strategy, runs: 500, seed: 11 });
    expect(result.strategy).toBe(strategy);
    expect(result.failure?.kind).toBe('invariant');
    expect(result.expectationMet).toBe(true);
    const again = await replay(racyCounter, result.failure!.replay);
    expect(again.failure?.kind).toBe('invariant');
    expect(again.failure?.step).toBe(result.failure!.step);
  });

  it('gives the same result for the same seed', async () => {
    const a = await explore(racyCounter, { strategy, runs: 500, seed: 12 });
    const b = await explore(racyCounter, { strategy, runs: 500, seed: 12 });
    expect([a.executions, a.steps, a.failure?.replay]).toEqual([b.executions, b.steps, b.failure?.replay]);
  });
});

describe('dfs', () => {
  it('runs every schedule exactly once, then reports the search exhausted', async () => {
    const orders: string[] = [];
    const s = defineScenario({
      name: 'two threads, two steps each',
      setup: () => ({ log: [] as string[] }),
      threads: {
        a: async (st: { log: string[] }, rt: Runtime) => {
          st.log.push('a1');
          await rt.yield();
          st.log.push('a2');
        },
        b: async (st: { log: string[] }, rt: Runtime) => {
          st.log.push('b1');
          await rt.yield();
          st.log.push('b2');
        },
      },
      final: (st) => {
        orders.push(st.log.join(' '));
        return true;
      },
    });
    const result = await explore(s, { strategy: 'dfs', runs: 1000, seed: 1 });
    expect(result.ok).toBe(true);
    expect(result.exhausted).toBe(true);
    // Two threads of two steps each interleave in C(4,2) = 6 ways.
    expect(result.executions).toBe(6);
    expect(new Set(orders).size).toBe(6);
    expect(orders.every((o) => o.indexOf('a1') < o.indexOf('a2') && o.indexOf('b1') < o.indexOf('b2'))).toBe(true);
  });
});

describe('defaults and budgets', () => {
  it('uses the portfolio when no strategy is named', async () => {
    const result = await explore(racyCounter, { runs: 50, seed: 1 });
    expect(result.strategy).toBe('portfolio');
  });

  it('stops at the time limit, reporting what it did', async () => {
    const safe = defineScenario({
      name: 'nothing shared',
      setup: () => ({}),
      threads: { a: async (_s, rt: Runtime) => rt.yield(), b: async (_s, rt: Runtime) => rt.yield() },
    });
    const result = await explore(safe, { runs: 1_000_000_000, timeLimitMs: 150, seed: 1 });
    expect(result.ok).toBe(true);
    expect(result.executions).toBeGreaterThan(0);
    expect(result.executions).toBeLessThan(1_000_000_000);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(150);
  });

  it('stops after the number of runs asked for', async () => {
    const result = await explore(
      defineScenario({ name: 'one thread', setup: () => ({}), threads: { a: async () => {} } }),
      { runs: 37, seed: 1, strategy: 'random' },
    );
    expect(result.executions).toBe(37);
    expect(result.steps).toBe(37);
  });
});
