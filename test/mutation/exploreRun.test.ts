/**
 * explore() and its parts as they report (explore/explore.ts, failure.ts,
 * histogram.ts, outcomes.ts, exclusive.ts, run.ts), on scenarios of a step
 * or two so that each case takes milliseconds: every field of a result,
 * the progress callback and the signal, the failure's message and trace,
 * the outcome table's order and its cap, the reruns that record a trace.
 */
import { describe, expect, it } from 'vitest';
import { defineScenario, explore, replay, type Runtime } from 'interleave';
import { OutcomeHistogram } from '../../src/explore/histogram.ts';
import { collectOutcomes } from '../../src/explore/outcomes.ts';
import { exclusive } from '../../src/explore/exclusive.ts';
import { buildFailure, replayLines } from '../../src/explore/failure.ts';
import { defaultFairSteps, rejectionVerdict } from '../../src/explore/run.ts';
import { decodeToken } from '../../src/explore/token.ts';
import type { ExecutionResult } from '../../src/engine/execution.ts';
import type { ExploreProgress } from '../../src/explore/options.ts';
import { twoYields } from './scenarios.ts';

describe('a passing exploration', () => {
  it('counts executions and steps, names its strategy and seed, and has the outcome table', async () => {
    const result = await explore(twoYields(), { strategy: 'random', runs: 40, seed: 3 });
    expect(result).toMatchObject({ ok: true, expectationMet: true, executions: 40, unfinished: 0, seed: 3, strategy: 'random', exhausted: false });
    // Every execution: two starts and two yields, some of them started in one macrotask (one step).
    expect(result.steps).toBeGreaterThanOrEqual(40 * 2);
    expect(result.steps).toBeLessThanOrEqual(40 * 4);
    expect(result.interrupted).toBeUndefined();
    expect(result.failure).toBeUndefined();
    expect(result.outcomes?.map((r) => r.outcome).sort()).toEqual(['ab', 'ba']);
    expect(result.outcomes!.reduce((n, r) => n + r.count, 0)).toBe(40);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  it('dfs runs every schedule and says so', async () => {
    const result = await explore(twoYields(), { strategy: 'dfs', runs: 1000, seed: 1 });
    expect(result.exhausted).toBe(true);
    expect(result.executions).toBeLessThan(1000);
    expect(result.ok).toBe(true);
  });

  it('without an outcome, no table', async () => {
    const plain = defineScenario({ name: 'plain', setup: () => ({}), threads: { a: async (_s, rt: Runtime) => rt.yield() } });
    expect('outcomes' in (await explore(plain, { runs: 3, seed: 1 }))).toBe(false);
  });

  it('tells its progress as it goes and once at its end, with the budget it was given', async () => {
    const seen: ExploreProgress[] = [];
    const result = await explore(twoYields(), { strategy: 'random', runs: 200, seed: 1, timeLimitMs: 60_000, onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.at(-1)).toMatchObject({ executions: 200, steps: result.steps, runs: 200, timeLimitMs: 60_000 });
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.executions).toBeGreaterThanOrEqual(seen[i - 1]!.executions);
  });

  it('stops when its signal aborts, after one execution at least, and says it was interrupted', async () => {
    const aborted = await explore(twoYields(), { runs: 100, seed: 1, signal: AbortSignal.abort() });
    expect(aborted).toMatchObject({ ok: true, executions: 1, interrupted: true });
    const controller = new AbortController();
    // Random never runs out of schedules to try (the portfolio's exhaustive member would, on two threads of one yield each).
    const midway = await explore(twoYields(), {
      strategy: 'random',
      runs: 100_000,
      seed: 1,
      onProgress: (p) => {
        if (p.executions >= 64) controller.abort();
      },
      signal: controller.signal,
    });
    expect(midway.interrupted).toBe(true);
    expect(midway.executions).toBeGreaterThanOrEqual(64);
    expect(midway.executions).toBeLessThan(100_000);
    expect((await explore(twoYields(), { runs: 5, seed: 1, signal: new AbortController().signal })).interrupted).toBeUndefined();
  });

  it('runs one execution at least, whatever the time limit', async () => {
    const result = await explore(twoYields(), { runs: 1000, seed: 1, timeLimitMs: 1e-9 });
    expect(result.executions).toBe(1);
  });
});

describe('a failing exploration', () => {
  const failing = twoYields((s) => (s.log.join('') === 'ab' ? true : `b before a`));

  it('stops at the first failure: its kind, step, token and trace, and the execution that found it', async () => {
    const result = await explore(failing, { strategy: 'random', runs: 500, seed: 2 });
    expect(result).toMatchObject({ ok: false, expectationMet: false, exhausted: false, strategy: 'random', seed: 2 });
    const failure = result.failure!;
    expect(failure.kind).toBe('invariant');
    expect(failure.message).toBe(`[invariant] two yields: final violated: b before a\n${replayLines(failure.replay)}`);
    expect(failure.step).toBe(failure.trace.outcome.step);
    expect(failure.trace).toMatchObject({ schema: 'interleave-trace', scenario: 'two yields', strategy: 'random', seed: 2, replay: failure.replay, threads: ['a', 'b'] });
    expect(failure.trace.outcome).toEqual({ ok: false, kind: 'invariant', message: 'final violated: b before a', step: failure.step });
    expect(failure.trace.steps).toHaveLength(failure.step);
    const token = decodeToken(failure.replay);
    expect(token).toMatchObject({ strategy: 'random', seed: 2, execution: result.executions - 1, maxSteps: 10_000, fairSteps: defaultFairSteps(10_000) });
    expect((await replay(failing, failure.replay)).failure?.message).toBe(failure.message);
  });

  it('meets an expectation of its kind', async () => {
    const expected = defineScenario({
      name: 'expected',
      setup: () => ({ n: 0 }),
      threads: { a: async (s: { n: number }, rt: Runtime) => rt.yield().then(() => void s.n++) },
      final: () => 'always',
      expected: 'invariant',
    });
    expect(await explore(expected, { runs: 3, seed: 1 })).toMatchObject({ ok: false, expectationMet: true, executions: 1 });
  });

  it('the replay lines: the token, the command and the API call', () => {
    expect(replayLines('IL1-x', 'a.ts')).toBe("Replay token: IL1-x\nReplay it: npx interleave replay a.ts IL1-x   (or: await replay(scenario, 'IL1-x'))");
    expect(replayLines('IL1-x')).toContain('npx interleave replay <scenario-file> IL1-x');
  });

  it('a failure carries the start time and capacity when given, and the blocked threads, cycle and repeating steps of its verdict', () => {
    const recorded = { step: 4, steps: [] } as unknown as ExecutionResult;
    const verdict = { kind: 'deadlock' as const, message: 'm', blocked: [{ thread: 'a', waitsFor: 'lock(m)', heldBy: ['b'] }], cycle: ['a', 'b', 'a'], repeating: ['x'] };
    const failure = buildFailure({ name: 's', threads: ['a', 'b'] }, 'pct', 7, 'IL1-t', verdict, recorded, { startTime: 5, capacity: 2 });
    expect(failure.trace.startTime).toBe(5);
    expect(failure.trace.capacity).toBe(2);
    expect(failure.trace.outcome).toEqual({ ok: false, kind: 'deadlock', message: 'm', step: 4, blocked: verdict.blocked, cycle: verdict.cycle, repeating: ['x'] });
    const bare = buildFailure({ name: 's', threads: ['a'] }, 'pct', 7, 'IL1-t', { kind: 'invariant', message: 'm' }, recorded);
    expect('startTime' in bare.trace || 'capacity' in bare.trace).toBe(false);
    expect(Object.keys(bare.trace.outcome)).toEqual(['ok', 'kind', 'message', 'step']);
  });

  it('a rejection nobody handled is named so', () => {
    expect(rejectionVerdict(new Error('late'), 3).message).toMatch(/^a promise nobody awaited rejected, unhandled, at step 3: Error: late/);
    expect(defaultFairSteps(10)).toBe(1000);
    expect(defaultFairSteps(5000)).toBe(5000);
  });
});

describe('the outcome histogram', () => {
  it('counts, most frequent first, ties by outcome text, with the frequency among all counted', () => {
    const h = new OutcomeHistogram();
    for (const o of ['b', 'a', 'c', 'c', 'b', 'c']) h.add(o, o === 'c' ? { expectation: 'forbidden', description: 'no c' } : undefined);
    expect(h.size).toBe(3);
    expect(h.table()).toEqual([
      { outcome: 'c', count: 3, frequency: 0.5, expectation: 'forbidden', description: 'no c' },
      { outcome: 'a', count: 1, frequency: 1 / 6, expectation: 'unclassified', description: '' },
      { outcome: 'b', count: 2, frequency: 2 / 6, expectation: 'unclassified', description: '' },
    ].sort((x, y) => y.count - x.count || (x.outcome < y.outcome ? -1 : 1)));
  });

  it('keeps a thousand distinct outcomes, and counts the rest together in one more row', () => {
    const h = new OutcomeHistogram();
    for (let i = 0; i < 1003; i++) h.add(`o${i}`, undefined);
    h.add('o5', undefined);
    expect(h.size).toBe(1001);
    const rows = h.table();
    const others = rows.find((r) => r.outcome === '(other outcomes)')!;
    expect(others).toEqual({ outcome: '(other outcomes)', count: 3, frequency: 3 / 1004, expectation: 'unclassified', description: 'outcomes past the first 1000 distinct ones' });
    expect(rows.find((r) => r.outcome === 'o5')?.count).toBe(2);
    expect(rows.some((r) => r.outcome === 'o999')).toBe(true);
    expect(rows.some((r) => r.outcome === 'o1000')).toBe(false);
    expect(rows[0]!.outcome).toBe('(other outcomes)');
  });
});

describe('collectOutcomes', () => {
  it('runs every execution, findings included, and counts outcomes and kinds', async () => {
    const counts = await collectOutcomes(twoYields((s) => (s.log[0] === 'a' ? true : 'b first')), { strategy: 'dfs', runs: 100, seed: 1 });
    // Every schedule once (dfs runs out before its 100), each with its outcome, the failing ones counted as findings too.
    expect(counts.executions).toBeLessThan(100);
    expect([...counts.outcomes.keys()].sort()).toEqual(['ab', 'ba']);
    expect(counts.outcomes.get('ab')! + counts.outcomes.get('ba')!).toBe(counts.executions);
    expect([...counts.findings]).toEqual([['invariant', counts.outcomes.get('ba')]]);
    const limited = await collectOutcomes(twoYields(), { strategy: 'random', runs: 4, seed: 1 });
    expect(limited.executions).toBe(4);
  });

  it('refuses a scenario without an outcome, and a call from inside an execution', async () => {
    const plain = defineScenario({ name: 'plain', setup: () => ({}), threads: { a: async () => {} } });
    await expect(collectOutcomes(plain)).rejects.toThrow("collectOutcomes() needs a scenario with an outcome (producerConsumer's default, or defineScenario's 'outcome'); 'plain' has none.");
    let inner: unknown;
    const nested = defineScenario({
      name: 'nested',
      setup: () => ({}),
      threads: {
        a: async () => {
          inner = await collectOutcomes(twoYields()).catch((e: Error) => e.message);
        },
      },
    });
    await explore(nested, { runs: 1, seed: 1 });
    expect(inner).toMatch(/^collectOutcomes\(\) was called from code running inside an execution/);
  });
});

describe('one exploration at a time', () => {
  it('runs queued work in order, and a failure does not block what follows', async () => {
    const order: string[] = [];
    const slow = exclusive(async () => {
      await new Promise((r) => setTimeout(r, 20));
      order.push('first');
    });
    const failing = exclusive(async () => {
      order.push('second');
      throw new Error('no');
    });
    const third = exclusive(async () => order.push('third'));
    await Promise.allSettled([slow, failing, third]);
    expect(order).toEqual(['first', 'second', 'third']);
    await expect(failing).rejects.toThrow('no');
  });
});

describe('the times a result gives', () => {
  it('an exploration, passing or failing, and a replay: never more than the wall-clock time the call took, never less than 0', async () => {
    const bounded = async <T extends { elapsedMs: number }>(run: () => Promise<T>): Promise<T> => {
      const started = performance.now();
      const result = await run();
      expect(result.elapsedMs).toBeGreaterThanOrEqual(0);
      expect(result.elapsedMs).toBeLessThanOrEqual(performance.now() - started);
      return result;
    };
    await bounded(() => explore(twoYields(), { strategy: 'random', runs: 20, seed: 1 }));
    const failed = await bounded(() => explore(twoYields((s) => s.log.join('') === 'ab' || `log ${s.log.join('')}`), { strategy: 'dfs', runs: 50, seed: 1 }));
    expect(failed.failure).toBeDefined();
    await bounded(() => replay(twoYields((s) => s.log.join('') === 'ab' || `log ${s.log.join('')}`), failed.failure!.replay));
    await bounded(() => replay(twoYields(), failed.failure!.replay));
    const progress: ExploreProgress[] = [];
    const started = performance.now();
    await explore(twoYields(), { strategy: 'random', runs: 20, seed: 1, onProgress: (p) => progress.push(p) });
    const took = performance.now() - started;
    expect(progress.length).toBeGreaterThan(0);
    for (const p of progress) {
      expect(p.elapsedMs).toBeGreaterThanOrEqual(0);
      expect(p.elapsedMs).toBeLessThanOrEqual(took);
    }
  });
});
