/**
 * Isolated explorations (explore/isolate/isolated.ts) beside
 * test/engine/watchdog.test.ts: the options, progress and interruption that
 * cross to the worker, the watchdog's arithmetic on a wall clock the test
 * drives, and the worker that ends or breaks without answering.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineScenario, explore, replay } from 'interleave';
import type { ExploreProgress } from '../../src/explore/options.ts';
import { wallClock } from '../../src/explore/wallClock.ts';
import correct, { syncLoop } from '../fixtures/hang/scenarios.ts';
import exits from '../fixtures/hang/exitsInWorker.ts';
import crashes from '../fixtures/hang/crashesInWorker.ts';
import hangs from '../fixtures/cli/hang/hangs.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('what crosses to the worker', () => {
  it('the preemption bound: an isolated dfs runs the schedules an in-process one does', async () => {
    const options = { strategy: 'dfs' as const, preemptions: 0, runs: 1000, seed: 1 };
    const isolated = await explore(correct, { ...options, isolate: true });
    const here = await explore(correct, options);
    const unbounded = await explore(correct, { ...options, preemptions: undefined });
    expect(isolated).toMatchObject({ ok: true, exhausted: true, executions: here.executions });
    expect(here.executions).toBeLessThan(unbounded.executions);
  });

  it('progress comes back, and a signal stops it after the execution it is in, with what it found so far', async () => {
    const controller = new AbortController();
    const progress: ExploreProgress[] = [];
    const result = await explore(correct, {
      isolate: true,
      runs: 10_000_000,
      seed: 1,
      signal: controller.signal,
      onProgress: (p) => {
        progress.push(p);
        if (p.executions > 0) controller.abort();
      },
    });
    expect(result).toMatchObject({ ok: true, interrupted: true });
    expect(result.executions).toBeGreaterThan(0);
    expect(result.executions).toBeLessThan(10_000_000);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[0]).toMatchObject({ runs: 10_000_000 });
  });

  it('a progress callback that throws rejects the exploration with what it threw', async () => {
    const broken = explore(correct, {
      isolate: true,
      runs: 100_000,
      seed: 1,
      onProgress: () => {
        throw new RangeError('progress bar broke');
      },
    });
    await expect(broken).rejects.toThrow('progress bar broke');
  });

  it('a token, for a replay: the worker replays that one execution rather than exploring', async () => {
    const lostUpdate = hangs.find((s) => s.name === 'a counter without its lock')!;
    const found = await explore(lostUpdate, { runs: 50, seed: 2 });
    const here = await replay(lostUpdate, found.failure!.replay);
    const isolated = await replay(lostUpdate, found.failure!.replay, { isolate: true });
    expect(isolated).toMatchObject({ ok: false, executions: 1, steps: here.steps, seed: 2 });
    expect(isolated.failure?.replay).toBe(found.failure!.replay);
  });

  it('a signal aborted before the start still gets one execution, as in-process', async () => {
    const result = await explore(correct, { isolate: true, runs: 100, seed: 1, signal: AbortSignal.abort() });
    expect(result).toMatchObject({ ok: true, interrupted: true, executions: 1 });
  });
});

describe('a regression file', () => {
  it("is replayed isolated too: a hang's token in it hangs again under the watchdog, before any search", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'interleave-isolated-regressions-'));
    try {
      const found = await explore(syncLoop, { isolate: true, stepTimeoutMs: 400, runs: 20, seed: 1 });
      expect(found.failure?.kind).toBe('hang');
      const file = join(dir, 'regressions.txt');
      await writeFile(file, `${found.failure!.replay}\n`);
      const again = await explore(syncLoop, { isolate: true, stepTimeoutMs: 400, runs: 20, seed: 99, regressions: file });
      expect(again).toMatchObject({ ok: false, executions: 1 });
      expect(again.failure?.kind).toBe('hang');
      expect(again.failure?.replay).toBe(found.failure!.replay);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("the watchdog's clock", () => {
  it('a run that keeps stepping is never a hang, however long it runs', async () => {
    // Each reading of the wall clock moves it 50 ms: 8 readings without a new step are a hang at 400 ms.
    let now = 1e9;
    vi.spyOn(wallClock, 'now').mockImplementation(() => (now += 50));
    const result = await explore(correct, { isolate: true, strategy: 'random', stepTimeoutMs: 400, runs: 3000, seed: 2 });
    expect(result).toMatchObject({ ok: true, executions: 3000 });
  });

  it('a wall clock far from 0 does not count as time passed while the worker starts', async () => {
    vi.spyOn(wallClock, 'now').mockReturnValue(1e9);
    const result = await explore(correct, { isolate: true, stepTimeoutMs: 400, runs: 20, seed: 2 });
    expect(result).toMatchObject({ ok: true, executions: 20 });
  });

  it("a hang's time is counted from the exploration's start", async () => {
    let now = 1e9;
    vi.spyOn(wallClock, 'now').mockImplementation(() => (now += 50));
    const result = await explore(syncLoop, { isolate: true, stepTimeoutMs: 400, runs: 20, seed: 1 });
    expect(result.failure?.kind).toBe('hang');
    expect(result.elapsedMs).toBeGreaterThanOrEqual(400);
    expect(result.elapsedMs).toBeLessThan(1e6);
  });
});

describe('a worker that does not answer', () => {
  it('one that ends is a rejection naming the scenario and its exit code', async () => {
    await expect(explore(exits, { isolate: true, runs: 1 })).rejects.toThrow("the worker of the isolated exploration of 'exits its worker' exited with code 7 before it answered");
  });

  it('one that breaks outside the exploration rejects with what broke it', async () => {
    await expect(explore(crashes, { isolate: true, runs: 1 })).rejects.toThrow('the module broke its worker');
  });

  it('a scenario whose module is not known cannot be isolated, and says so before starting a worker', async () => {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    let unknown;
    try {
      unknown = defineScenario({ name: 'from nowhere', setup: () => ({}), threads: { t: async () => {} } });
    } finally {
      Error.stackTraceLimit = limit;
    }
    await expect(explore(unknown, { isolate: true, runs: 1 })).rejects.toThrow(
      "scenario 'from nowhere' cannot be explored isolated: where it was defined is not known. Define it at the top level of a module of its own and export it.",
    );
  });
});
