/**
 * What explore() and replay() do around the search (explore/explore.ts),
 * beside exploreRun.test.ts and exploreFindings.test.ts: the options that
 * reach the strategy, the time limit read from the wall clock, which
 * findings are minimised, what a re-run that disagrees says, what a failure
 * carries into its trace, and the words of two refusals.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineScenario, explore, replay, type Mutex, type Runtime } from 'interleave';
import { real } from '../../src/engine/realTimers.ts';
import { decodeToken } from '../../src/explore/token.ts';
import { wallClock } from '../../src/explore/wallClock.ts';
import ifInsteadOfWhile from '../../scenarios/monitor-if-instead-of-while.ts';
import { counter, twoYields } from './scenarios.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

const reportYields = twoYields(undefined, 'two yields for the report');

/** Takes and gives back the mutex `times` times: past a step budget, the minimiser's schedule keeps one thread running where round-robin would alternate. */
async function lockAndUnlock(m: Mutex, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    await m.lock();
    m.unlock();
  }
}

describe('the search', () => {
  it("is the strategy the options describe: dfs bounded to no preemption runs fewer schedules than dfs unbounded", async () => {
    const bounded = await explore(reportYields, { strategy: 'dfs', preemptions: 0, runs: 1000, seed: 1 });
    const whole = await explore(reportYields, { strategy: 'dfs', runs: 1000, seed: 1 });
    expect([bounded.exhausted, whole.exhausted]).toEqual([true, true]);
    expect(bounded.executions).toBeLessThan(whole.executions);
  });

  it('measures its time limit as time since it started: on a clock that stands still it never runs out', async () => {
    vi.spyOn(wallClock, 'now').mockReturnValue(1e9);
    const result = await explore(counter(300), { runs: 5, seed: 1, timeLimitMs: 1000 });
    expect(result).toMatchObject({ ok: true, executions: 5, unfinished: 0 });
    // Every execution ran to its end: 300 yields and the start, each a step.
    expect(result.steps).toBe(5 * 301);
  });

  it('stops a long execution where it is once the time is up, on a clock that moves', async () => {
    let now = 0;
    vi.spyOn(wallClock, 'now').mockImplementation(() => (now += 1));
    const result = await explore(counter(100_000), { runs: 5, seed: 1, timeLimitMs: 50, maxSteps: 1_000_000 });
    expect(result.executions).toBe(1);
    expect(result.steps).toBeLessThan(100_000);
  });
});

describe('which findings are minimised', () => {
  it('a finding the event loop reports late is minimised too: the failure runs each thread to its end before the next', async () => {
    const careless = defineScenario({
      name: 'rejects after locks',
      setup: (rt) => ({ m: rt.mutex('m') }),
      threads: Object.fromEntries(
        ['a', 'b'].map((name) => [
          name,
          async (s: { m: Mutex }) => {
            await lockAndUnlock(s.m, 6);
            if (name === 'b') void Promise.reject(new Error('nobody awaits me'));
          },
        ]),
      ),
    });
    for (const seed of [1, 2, 3]) {
      const result = await explore(careless, { strategy: 'random', runs: 50, seed });
      expect(result.failure?.kind).toBe('exception');
      // One switch, from one thread to the other: the random schedule it was found in had several.
      expect(result.failure!.trace.steps.filter((step, i) => i > 0 && step.switched)).toHaveLength(1);
    }
  });

  it('a nondeterminism finding is not minimised: it is run once more, to record it, and no more', async () => {
    let setups = 0;
    const escaping = defineScenario({
      name: 'real timer every time',
      setup: () => {
        setups++;
        return {};
      },
      threads: {
        a: async (_s: object, rt: Runtime) => {
          await rt.yield();
          real.setTimeout(() => {}, 1);
          await rt.yield();
        },
        b: async (_s: object, rt: Runtime) => {
          await rt.yield();
          await rt.yield();
        },
      },
    });
    const result = await explore(escaping, { runs: 20, seed: 1 });
    expect(result.failure?.kind).toBe('nondeterminism');
    expect(setups).toBe(result.executions + 1);
  });
});

describe('a re-run that disagrees with the search', () => {
  it('keeps a nondeterminism finding as it was found', async () => {
    let runs = 0;
    const once = defineScenario({
      name: 'real timer the first time only',
      setup: () => ({ first: runs++ === 0 }),
      threads: {
        a: async (s: { first: boolean }, rt: Runtime) => {
          if (s.first) real.setTimeout(() => {}, 1);
          await rt.yield();
        },
      },
    });
    const result = await explore(once, { runs: 5, seed: 1 });
    expect(result.failure?.kind).toBe('nondeterminism');
    expect(result.failure!.message).toMatch(/^\[nondeterminism\] real timer the first time only: 1 real timer\(s\) were created by the execution's code/);
  });

  it('is a disagreement when the re-run finds the same kind at another step', async () => {
    /** Throws after one yield, except in the execution numbered `driftAt`, which throws at once (a step early, still on its tape). */
    const drifting = (driftAt: number) => {
      const counter = { runs: 0 };
      const scenario = defineScenario({
        name: 'throws a step early once',
        setup: () => ({ yields: counter.runs++ === driftAt ? 0 : 1 }),
        threads: {
          a: async (s: { yields: number }, rt: Runtime) => {
            for (let i = 0; i < s.yields; i++) await rt.yield();
            throw new Error('drifting');
          },
        },
      });
      return { scenario, counter };
    };
    // Without a drift, the exploration (search, minimising, recording) runs this many executions; the last records the trace.
    const steady = drifting(-1);
    expect((await explore(steady.scenario, { runs: 5, seed: 1 })).failure?.kind).toBe('exception');
    const result = await explore(drifting(steady.counter.runs - 1).scenario, { runs: 5, seed: 1 });
    expect(result.failure?.kind).toBe('nondeterminism');
    expect(result.failure!.message).toMatch(/exploration found exception at step 2, but re-running the same schedule \(to record it\) gave exception at step 1: /);
  });

  it('names what the re-run found instead, with its step', async () => {
    let runs = 0;
    const changing = defineScenario({
      name: 'throws, then waits forever',
      setup: () => ({ first: runs++ === 0 }),
      threads: {
        a: async (s: { first: boolean }, rt: Runtime) => {
          await rt.yield();
          if (s.first) throw new Error('only the first time');
          await new Promise(() => {});
        },
      },
    });
    const result = await explore(changing, { runs: 5, seed: 1 });
    expect(result.failure?.kind).toBe('nondeterminism');
    expect(result.failure!.message).toMatch(/exploration found exception at step \d+, but re-running the same schedule \(to record it\) gave deadlock at step \d+: /);
  });
});

describe('a finding past the step budget', () => {
  it('is recorded from its tape to the end: the re-run keeps the tape past maxSteps instead of going round-robin, and agrees', async () => {
    // Locks, not yields (see lockAndUnlock).
    const late = defineScenario({
      name: 'throws after the budget',
      setup: (rt) => ({ m: rt.mutex('m') }),
      threads: {
        a: async (s: { m: Mutex }) => {
          await lockAndUnlock(s.m, 12);
          throw new Error('late');
        },
        b: async (s: { m: Mutex }) => lockAndUnlock(s.m, 12),
      },
    });
    const result = await explore(late, { runs: 20, seed: 1, maxSteps: 6 });
    expect(result.failure?.kind).toBe('exception');
    expect(result.failure!.step).toBeGreaterThan(6);
    const again = await replay(late, result.failure!.replay);
    expect(again.failure).toMatchObject({ kind: 'exception', step: result.failure!.step });
  });
});

describe('what a failure carries', () => {
  it("the clock's first instant and the buffer's capacity, from a search and from a replay of its token", async () => {
    const startTime = Date.UTC(2030, 5, 1);
    const found = await explore(ifInsteadOfWhile, { runs: 2000, seed: 1, startTime });
    expect(found.failure?.trace).toMatchObject({ startTime, capacity: 2 });
    expect(found.failure!.trace.steps.length).toBe(found.failure!.step);
    const again = await replay(ifInsteadOfWhile, `  ${found.failure!.replay}\n`);
    expect(again.failure?.trace).toMatchObject({ startTime, capacity: 2 });
    expect(again.failure!.trace.steps).toEqual(found.failure!.trace.steps);
    // The token it gives is the one replayed, without the spaces around it.
    expect(again.failure!.replay).toBe(found.failure!.replay);
    expect(decodeToken(again.failure!.replay).startTime).toBe(startTime);
  });
});

describe('a replay that passes', () => {
  it('is ok, one execution, not exhausted, with the strategy and seed of its token', async () => {
    let strict = true;
    const fixable = twoYields((s) => !strict || s.log.join('') === 'ab' || `log ${s.log.join('')}`, 'fixable order');
    const found = await explore(fixable, { strategy: 'dfs', runs: 50, seed: 4 });
    expect(found.failure?.kind).toBe('invariant');
    strict = false;
    const fixed = await replay(fixable, found.failure!.replay);
    expect(fixed).toMatchObject({ ok: true, expectationMet: true, executions: 1, exhausted: false, strategy: 'dfs', seed: 4 });
    expect(fixed.failure).toBeUndefined();
  });
});

describe('refusals', () => {
  it("a token of another scenario: its first 24 characters, and both scenarios' ids", async () => {
    const found = await explore(ifInsteadOfWhile, { runs: 2000, seed: 1 });
    const token = found.failure!.replay;
    await expect(replay(reportYields, token)).rejects.toThrow(
      new RegExp(`^replay token ${token.slice(0, 24)}… was recorded for another scenario \\(id [0-9a-f]{8}\\), not for 'two yields for the report' \\(id [0-9a-f]{8}, threads a, b\\)\\. Replay it against the scenario that printed it\\.$`),
    );
  });

  it('a scenario with problems, each named', async () => {
    const broken = defineScenario({ name: 'broken', setup: 3, threads: {} } as never);
    await expect(explore(broken, { runs: 1 })).rejects.toThrow(
      "scenario 'broken' cannot run: 'setup' must be a function (rt) => state; got number. 'threads' must be an object with at least one thread function.",
    );
  });
});
