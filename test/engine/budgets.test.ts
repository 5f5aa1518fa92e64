/**
 * Budgets hold (issue 7): the time limit is honoured inside an execution,
 * at least one execution always runs (a result never says ok about
 * nothing), and a step budget a replay token cannot carry is refused.
 */
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { defineScenario, explore, type Runtime } from 'interleave';

const endless = defineScenario({
  name: 'spins for a long time',
  setup: () => ({ n: 0 }),
  threads: {
    spinner: async (s: { n: number }, rt: Runtime) => {
      while (s.n < 1e9) {
        s.n++;
        await rt.yield();
      }
    },
  },
});

describe('the time limit', () => {
  it('holds inside an execution, within 10% or 100 ms', async () => {
    const started = performance.now();
    const result = await explore(endless, { runs: 10, seed: 1, maxSteps: 10_000_000, timeLimitMs: 500 });
    const took = performance.now() - started;
    expect(result.ok).toBe(true);
    expect(result.executions).toBe(1);
    // Cut by the time limit, not by its step budget: the result says the time ran out (not exhaustive), not that a run was unfinished.
    expect(result.unfinished).toBe(0);
    expect(took).toBeLessThan(500 + 100);
  });

  it('still runs one execution, however tiny, so that a result never says ok about nothing', async () => {
    const buggy = defineScenario({
      name: 'fails at once',
      setup: () => ({}),
      threads: { t: async () => {} },
      final: () => 'wrong',
    });
    const result = await explore(buggy, { runs: 1000, seed: 1, timeLimitMs: 0.001 });
    expect(result.executions).toBeGreaterThanOrEqual(1);
    expect(result.ok).toBe(false);
  });
});

describe('step budgets', () => {
  it('refuses a maxSteps no replay token can carry, with a clear error', async () => {
    await expect(explore(endless, { maxSteps: 2 ** 60 })).rejects.toThrow(/option 'maxSteps' must be at most 9007199254740991; got 1152921504606847000\. A replay token carries whole numbers up to 2\^53\./);
  });

  it('keeps the memory of a long execution small: a million steps without a trace', async () => {
    // Retained memory, not garbage awaiting collection: collect before each sample (a peak between collections measured the
    // collector's timing, and failed or passed with the load of the machine).
    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const sampler = setInterval(() => {
      gc();
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 20);
    const long = defineScenario({
      name: 'a million yields',
      setup: () => ({ n: 0 }),
      threads: {
        a: async (s: { n: number }, rt: Runtime) => {
          while (s.n < 500_000) {
            s.n++;
            await rt.yield();
          }
        },
      },
    });
    const result = await explore(long, { strategy: 'random', runs: 1, seed: 1, maxSteps: 2_000_000 });
    clearInterval(sampler);
    expect(result.ok).toBe(true);
    expect(result.steps).toBeGreaterThan(500_000);
    // Nothing may grow by tens of bytes a step (the tape holds only real choices: here, none).
    expect((peak - before) / result.steps).toBeLessThan(40);
  });
});
