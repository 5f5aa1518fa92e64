/**
 * Isolation (engine/context.ts, engine/resources.ts): every harness call and
 * every routed timer or clock call is attributed by async context. Code
 * outside an execution — an unrelated chain in the same process, the test
 * runner, another test running concurrently, a second exploration — never
 * sees virtual time or a thread, is never counted as the execution's escape,
 * and keeps its own rejections.
 */
import { describe, expect, it } from 'vitest';
import { defineScenario, explore, producerConsumer, replay, traceToJson } from 'interleave';
import { DEFAULT_START_TIME } from '../../src/engine/clock.ts';
import monitorBuffer from '../../scenarios/monitor-buffer.ts';
import promiseQueue from '../../scenarios/promise-queue.ts';
import lostWakeupQueue from '../../scenarios/promise-queue-single-waiter.ts';

/**
 * An unrelated async chain: it samples the clocks at every microtask turn,
 * 100,000 times. Started just before an exploration, its microtasks
 * interleave with those of the execution's first steps (which cannot end
 * before the chain lets the microtask queue drain).
 */
function sampler(): { stop(): Promise<{ dates: number[]; perfs: number[]; timersFired: number }> } {
  const dates: number[] = [];
  const perfs: number[] = [];
  let timersFired = 0;
  const loop = (async () => {
    for (let i = 0; i < 100_000; i++) {
      dates.push(Date.now());
      perfs.push(performance.now());
      if (dates.length % 1000 === 0) setTimeout(() => timersFired++, 0);
      await Promise.resolve();
    }
  })();
  return {
    async stop() {
      await loop;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { dates, perfs, timersFired };
    },
  };
}

describe('code outside the execution', () => {
  it('an unrelated chain running alongside never reads virtual time, and its timers stay real', async () => {
    const before = Date.now();
    const chain = sampler();
    const result = await explore(promiseQueue, { runs: 300, seed: 3 });
    const { dates, perfs, timersFired } = await chain.stop();
    expect(result.ok, result.failure?.message).toBe(true);
    expect(dates.length).toBeGreaterThan(1000); // it really ran during the exploration's steps
    expect(dates.every((d) => d >= before && d < before + 60_000)).toBe(true);
    expect(dates.some((d) => d === DEFAULT_START_TIME)).toBe(false);
    expect(perfs.every((p) => p > 0)).toBe(true);
    expect(timersFired).toBe(Math.floor(dates.length / 1000)); // each fired, on real time
  });

  it('an unrelated unhandled rejection reaches the process, not the exploration', async () => {
    const seen: unknown[] = [];
    const listener = (reason: unknown): void => {
      seen.push(reason);
    };
    const existing = process.listeners('unhandledRejection');
    process.removeAllListeners('unhandledRejection');
    process.on('unhandledRejection', listener);
    try {
      const stray = new Error('not the scenario’s');
      const chain = (async () => {
        await Promise.resolve();
        void Promise.reject(stray);
      })();
      const result = await explore(monitorBuffer, { runs: 200, seed: 1 });
      await chain;
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(result.ok, result.failure?.message).toBe(true);
      expect(seen).toContain(stray);
    } finally {
      process.removeListener('unhandledRejection', listener);
      for (const l of existing) process.on('unhandledRejection', l as (...args: unknown[]) => void);
    }
  });

  it('two explorations started together each keep to their own executions', async () => {
    const [a, b] = await Promise.all([explore(promiseQueue, { runs: 500, seed: 1 }), explore(lostWakeupQueue, { runs: 2000, seed: 9 })]);
    expect(a.ok, a.failure?.message).toBe(true);
    expect(b.failure?.kind).toBe('lost-wakeup');
  });
});

describe.concurrent('vitest tests running concurrently', () => {
  it('a correct library scenario explored while another test works with real timers stays silent', async () => {
    const result = await explore(monitorBuffer, { runs: 2000, seed: 4 });
    expect(result.ok, result.failure?.message).toBe(true);
  });

  it('the other test: its real timers and promises run while the exploration does', async () => {
    const fired: number[] = [];
    for (let i = 0; i < 20; i++) {
      await new Promise<void>((resolve) =>
        setTimeout(() => {
          fired.push(Date.now());
          resolve();
        }, 1),
      );
    }
    expect(fired.every((t) => Math.abs(t - Date.now()) < 60_000)).toBe(true);
  });
});

describe('explore() called inside a thread', () => {
  it('is refused with a clear error, which the thread reports, and leaves the clocks real', async () => {
    const nested = defineScenario({
      name: 'explores from a thread',
      setup: () => ({}),
      threads: {
        t: async () => {
          await explore(monitorBuffer, { runs: 1, seed: 1 });
        },
      },
    });
    const result = await explore(nested, { runs: 1, seed: 1 });
    expect(result.failure?.kind).toBe('exception');
    expect(result.failure?.message).toMatch(/Explorations do not nest/);
    expect(Math.abs(Date.now() - new Date().getTime())).toBeLessThan(1000);
    expect(Date.now()).toBeGreaterThan(Date.UTC(2026, 0, 1) - 366 * 86_400_000 * 10);
  });
});

describe('an execution where a thread parks on an ordinary promise', () => {
  it('finds the promise-world bug, and its token replays to a byte-identical trace', async () => {
    const result = await explore(lostWakeupQueue, { runs: 2000, seed: 9 });
    expect(result.failure?.kind).toBe('lost-wakeup');
    const again = await replay(lostWakeupQueue, result.failure!.replay);
    expect(traceToJson(again.failure!.trace)).toBe(traceToJson(result.failure!.trace));
  });

  it('attributes each harness call to its own thread when one step runs several threads', async () => {
    // A put hands its item straight to a parked taker, whose take resumes inside the putter's step
    // and reaches its next pause there: that pause must be the taker's, not the putter's.
    const handoff = producerConsumer({
      name: 'hand-off channel',
      create: () => {
        const takers: ((item: unknown) => void)[] = [];
        const items: unknown[] = [];
        return {
          get size() {
            return items.length;
          },
          async put(item: unknown) {
            const taker = takers.shift();
            if (taker !== undefined) taker(item);
            else items.push(item);
          },
          take: () => (items.length > 0 ? Promise.resolve(items.shift()) : new Promise((resolve) => takers.push(resolve))),
        };
      },
      capacity: 10,
      producers: 1,
      consumers: 2,
      itemsPerProducer: 4,
    });
    const result = await explore(handoff, { runs: 2000, seed: 2 });
    expect(result.ok, result.failure?.message).toBe(true);
  });
});

describe('the harness’s own footprint', () => {
  it('loading the CLI and the report writers patches no global (only the engine, once explored, routes timers)', async () => {
    const { execFileSync } = await import('node:child_process');
    const script = `
      await import('./src/cli/program.ts');
      await import('./src/cli/load.ts');
      await import('./src/report/index.ts');
      console.log(JSON.stringify([setTimeout.name, setImmediate.name, Date.now.name, process.nextTick.name, performance.now.name, process.hrtime.name]));
    `;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', cwd: new URL('../..', import.meta.url).pathname });
    expect(JSON.parse(out)).toEqual(['setTimeout', 'setImmediate', 'now', 'nextTick', 'now', 'hrtime']);
  });

  it('keeps a user’s own stack frames even under a folder named src/engine/, and drops its own', async () => {
    const { validateOrder } = await import('../fixtures/stack/src/engine/userCode.ts');
    const throwing = defineScenario({
      name: 'throws from user code',
      setup: () => ({}),
      threads: {
        t: async (_s, rt) => {
          await rt.yield();
          validateOrder(3);
        },
      },
    });
    const result = await explore(throwing, { runs: 5, seed: 1 });
    expect(result.failure?.kind).toBe('exception');
    expect(result.failure!.message).toContain('test/fixtures/stack/src/engine/userCode.ts');
    const harnessSource = new URL('../../src/', import.meta.url).pathname;
    expect(result.failure!.message).not.toContain(harnessSource);
  });
});
