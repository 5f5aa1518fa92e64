/**
 * The watchdog (issue 7): code that never yields cannot be interrupted
 * in-process, so an exploration with `isolate: true` runs in a worker thread
 * whose heartbeat a watchdog reads; a step that runs past `stepTimeoutMs` is
 * a `hang` finding naming the thread, the step and its last operation, with
 * a token that replays it (isolated too).
 */
import { describe, expect, it } from 'vitest';
import { defineScenario, explore, replay } from 'interleave';
import correct, { microtaskLoop, setupLoop, syncLoop } from '../fixtures/hang/scenarios.ts';
import hangs from '../fixtures/cli/hang/hangs.ts';

describe('an isolated exploration', () => {
  it('stops a synchronous endless loop, and reports the hang: thread, step, operation', async () => {
    const started = performance.now();
    const result = await explore(syncLoop, { isolate: true, stepTimeoutMs: 400, runs: 20, seed: 1 });
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(result.ok).toBe(false);
    expect(result.failure?.kind).toBe('hang');
    expect(result.failure!.message).toMatch(/hang: spinner \(resumed from yield\) ran in step \d+ of execution 0 for 400 ms without reaching a scheduling point/);
    expect(result.failure!.replay).toMatch(/^IL1-/);
  });

  it('stops an endless chain of promises too', async () => {
    const result = await explore(microtaskLoop, { isolate: true, stepTimeoutMs: 400, runs: 20, seed: 1 });
    expect(result.failure?.kind).toBe('hang');
    expect(result.failure!.message).toMatch(/chainer \(resumed from yield\)/);
  });

  it('stops a setup that never returns', async () => {
    const result = await explore(setupLoop, { isolate: true, stepTimeoutMs: 400, runs: 5, seed: 1 });
    expect(result.failure?.kind).toBe('hang');
    expect(result.failure!.message).toMatch(/hang: the setup \(or create\) ran before the first step of execution 0/);
  });

  it('replays a hang from its token, isolated, to the same hang', async () => {
    const found = await explore(syncLoop, { isolate: true, stepTimeoutMs: 400, runs: 20, seed: 3 });
    const again = await replay(syncLoop, found.failure!.replay, { isolate: true, stepTimeoutMs: 400 });
    expect(again.failure?.kind).toBe('hang');
    expect(again.failure?.step).toBe(found.failure!.step);
  });

  it('runs a correct scenario like an in-process exploration, with the same result for the same seed', async () => {
    const isolated = await explore(correct, { isolate: true, runs: 300, seed: 5 });
    const here = await explore(correct, { runs: 300, seed: 5 });
    expect(isolated.ok).toBe(true);
    expect([isolated.executions, isolated.steps, isolated.exhausted]).toEqual([here.executions, here.steps, here.exhausted]);
  });

  it('finds an ordinary bug isolated, and its token replays isolated, at the default step timeout, to the same failure', async () => {
    const lostUpdate = hangs.find((s) => s.name === 'a counter without its lock')!;
    const found = await explore(lostUpdate, { isolate: true, runs: 50, seed: 2 });
    expect(found.failure?.kind).toBe('invariant');
    const again = await replay(lostUpdate, found.failure!.replay, { isolate: true });
    expect(again.failure?.kind).toBe('invariant');
    expect(again.failure?.step).toBe(found.failure!.step);
    await expect(replay(lostUpdate, found.failure!.replay, { isolated: true } as never)).rejects.toThrow(/replay\(\) got unknown option\(s\) 'isolated'/);
  });

  it('refuses, clearly, a scenario the worker cannot find (defined inside the test)', async () => {
    const local = defineScenario({ name: 'defined in a test', setup: () => ({}), threads: { t: async () => {} } });
    await expect(explore(local, { isolate: true, runs: 1 })).rejects.toThrow(
      /scenario 'defined in a test' cannot be explored isolated: its module .*watchdog\.test\.ts does not load in a worker .* define the scenario in a module of its own \(not a test file\) and export it/,
    );
  });
});
