/**
 * A livelock is a cycle, not a budget (issue 7): step-limit is reported only
 * when, under the fair continuation past `maxSteps`, the state the harness
 * can see came back and stayed in that cycle. A run that outlives its budget
 * while progressing is counted as unfinished, with `ok` still true. Timers
 * that keep firing while a thread sleeps are progress toward its wake-up; a
 * deadlock with an interval armed is a deadlock.
 */
import { describe, expect, it } from 'vitest';
import { defineScenario, explore, producerConsumer, replay, type Runtime } from 'interleave';
import { MonitorBuffer } from '../../scenarios/monitor-buffer.ts';
import politeLivelock from '../../scenarios/polite-livelock.ts';

describe('correct code that runs long', () => {
  it('the monitor buffer with one producer and 5,000 items is never a livelock', async () => {
    const long = producerConsumer({
      name: 'monitor buffer, 5,000 items',
      create: (rt, { capacity }) => new MonitorBuffer(rt, capacity),
      capacity: 2,
      producers: 1,
      consumers: 1,
      itemsPerProducer: 5000,
    });
    const result = await explore(long, { strategy: 'random', runs: 3, seed: 1 });
    expect(result.failure?.message).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(result.executions).toBe(3);
  });

  it('counts a run that outlives its budget while still progressing as unfinished, not as a finding', async () => {
    const long = producerConsumer({
      name: 'monitor buffer, 2,000 items, tiny budget',
      create: (rt, { capacity }) => new MonitorBuffer(rt, capacity),
      capacity: 2,
      producers: 1,
      consumers: 1,
      itemsPerProducer: 2000,
    });
    const result = await explore(long, { strategy: 'random', runs: 2, seed: 1, maxSteps: 100 });
    expect(result.ok).toBe(true);
    expect(result.unfinished).toBe(2);
  });

  it('a bounded loop that counts in a local variable, past the budget, ends under the fair continuation', async () => {
    const loop = defineScenario({
      name: 'yields 300 times',
      setup: () => ({ done: false }),
      threads: {
        a: async (s: { done: boolean }, rt: Runtime) => {
          for (let i = 0; i < 300; i++) await rt.yield();
          s.done = true;
        },
        b: async (_s: { done: boolean }, rt: Runtime) => rt.yield(),
      },
      final: (s) => s.done || 'a never finished',
    });
    const result = await explore(loop, { strategy: 'random', runs: 50, seed: 2, maxSteps: 20 });
    expect(result.failure?.message).toBeUndefined();
    expect(result.unfinished).toBe(0);
  });

  it('a 1 ms interval heartbeat while a thread sleeps 60 s is progress toward its wake-up', async () => {
    const heartbeat = defineScenario({
      name: 'heartbeat while sleeping',
      setup: () => ({ beats: 0, woke: false }),
      threads: {
        sleeper: async (s: { beats: number; woke: boolean }, rt: Runtime) => {
          const beat = setInterval(() => s.beats++, 1);
          await rt.sleep(60_000);
          clearInterval(beat);
          s.woke = true;
        },
      },
      final: (s) => s.woke || 'never woke',
    });
    const result = await explore(heartbeat, { strategy: 'random', runs: 3, seed: 1 });
    expect(result.failure?.message).toBeUndefined();
    expect(result.ok).toBe(true);
  });

  it('1 ms polling while another thread sleeps 30 s is no livelock', async () => {
    const polling = defineScenario({
      name: 'polls while the other sleeps',
      setup: () => ({ ready: false }),
      threads: {
        sleeper: async (s: { ready: boolean }, rt: Runtime) => {
          await rt.sleep(30_000);
          s.ready = true;
        },
        poller: async (s: { ready: boolean }) => {
          while (!s.ready) await new Promise((resolve) => setTimeout(resolve, 1));
        },
      },
    });
    const result = await explore(polling, { strategy: 'random', runs: 3, seed: 1 });
    expect(result.failure?.message).toBeUndefined();
    expect(result.ok).toBe(true);
  });
});

describe('what is still found', () => {
  it('a deadlock with a 1 ms interval armed is a deadlock, not a livelock with the interval as its cycle', async () => {
    const stuck = defineScenario({
      name: 'lock order inversion with a heartbeat',
      setup: (rt) => ({ a: rt.mutex('a'), b: rt.mutex('b') }),
      threads: {
        first: async (s, rt) => {
          setInterval(() => {}, 1);
          await s.a.lock();
          await rt.yield();
          await s.b.lock();
        },
        second: async (s, rt) => {
          await s.b.lock();
          await rt.yield();
          await s.a.lock();
        },
      },
    });
    const result = await explore(stuck, { runs: 2000, seed: 1 });
    expect(result.failure?.kind).toBe('deadlock');
    expect(result.failure!.message).toMatch(/Wait-for cycle/);
  });

  it('the polite livelock is a step-limit with its repeating cycle, and its token replays it', async () => {
    const result = await explore(politeLivelock, { runs: 100, seed: 1 });
    expect(result.failure?.kind).toBe('step-limit');
    expect(result.failure!.message).toMatch(/it was back in the state it had after step \d+ .* so it repeats forever: (alphonse|gaston): yield → (gaston|alphonse): yield/);
    const again = await replay(politeLivelock, result.failure!.replay);
    expect(again.failure?.kind).toBe('step-limit');
    expect(again.failure?.step).toBe(result.failure!.step);
    expect(result.failure!.replay.length).toBeLessThan(200);
  });
});
