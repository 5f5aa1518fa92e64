/**
 * Every timer and clock source runs on the execution's virtual clock
 * (engine/globals.ts, engine/timersPromises.ts), which starts at a
 * realistic instant; a source that cannot be made virtual (real I/O, a
 * socket, a child process, a worker message port) is reported as
 * nondeterminism naming it, never as a deadlock.
 */
import { once } from 'node:events';
import * as timersPromises from 'node:timers/promises';
import { setTimeout as sleepPromise } from 'node:timers/promises';
import { setTimeout as timersSetTimeout } from 'node:timers';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { defineScenario, explore, type Runtime } from 'interleave';
import { DEFAULT_START_TIME, PERFORMANCE_ORIGIN } from '../../src/engine/clock.ts';

const TEN_MINUTES = 10 * 60 * 1000;

/**
 * Runs one thread that awaits `wait` and reports how far virtual time moved,
 * and what it resolved with. Under dfs with no preemption the clock is
 * punctual (it moves only when nothing can run, to the next deadline), so
 * the figures are exact; a late clock is another schedule (see virtualTime).
 */
async function virtualWait(wait: () => Promise<unknown>): Promise<{ elapsed: number; value: unknown; wallMs: number }> {
  const seen: { elapsed: number; value: unknown }[] = [];
  const scenario = defineScenario({
    name: 'waits on a timer source',
    setup: () => ({}),
    threads: {
      t: async () => {
        const before = Date.now();
        const value = await wait();
        seen.push({ elapsed: Date.now() - before, value });
      },
    },
  });
  const started = performance.now();
  const result = await explore(scenario, { strategy: 'dfs', preemptions: 0, runs: 20, seed: 1 });
  const wallMs = performance.now() - started;
  expect(result.failure?.message).toBeUndefined();
  expect(result.exhausted).toBe(true);
  expect(seen.length).toBe(result.executions);
  expect(new Set(seen.map((s) => JSON.stringify(s))).size).toBe(1);
  return { ...seen[0]!, wallMs };
}

describe('timer sources run on virtual time', () => {
  it('node:timers/promises setTimeout, with its value', async () => {
    const r = await virtualWait(() => sleepPromise(TEN_MINUTES, 'done'));
    expect(r).toMatchObject({ elapsed: TEN_MINUTES, value: 'done' });
    expect(r.wallMs).toBeLessThan(5000);
  });

  it('node:timers/promises setImmediate, and the module namespace’s own binding', async () => {
    expect(await virtualWait(() => timersPromises.setImmediate('now'))).toMatchObject({ elapsed: 0, value: 'now' });
    expect(await virtualWait(() => timersPromises.setTimeout(50))).toMatchObject({ elapsed: 50 });
  });

  it('node:timers/promises setInterval as an async iterator', async () => {
    const r = await virtualWait(async () => {
      const ticks: number[] = [];
      const start = Date.now();
      for await (const value of timersPromises.setInterval(1000, 'tick')) {
        ticks.push(Date.now() - start);
        if (ticks.length === 3) return `${value} ${ticks.join(',')}`;
      }
      return 'ended';
    });
    expect(r).toMatchObject({ elapsed: 3000, value: 'tick 1000,2000,3000' });
  });

  it('node:timers/promises scheduler.wait and scheduler.yield', async () => {
    expect(await virtualWait(() => timersPromises.scheduler.wait(TEN_MINUTES))).toMatchObject({ elapsed: TEN_MINUTES });
    expect(await virtualWait(() => timersPromises.scheduler.yield())).toMatchObject({ elapsed: 0 });
  });

  it('a timer of node:timers/promises cancelled by an AbortSignal rejects with AbortError, on virtual time', async () => {
    const r = await virtualWait(async () => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      try {
        await sleepPromise(TEN_MINUTES, undefined, { signal: controller.signal });
        return 'not aborted';
      } catch (error) {
        return (error as Error).name;
      }
    });
    expect(r).toMatchObject({ elapsed: 100, value: 'AbortError' });
  });

  it('AbortSignal.timeout', async () => {
    const r = await virtualWait(async () => {
      const signal = AbortSignal.timeout(50);
      await once(signal, 'abort');
      return (signal.reason as Error).name;
    });
    expect(r).toMatchObject({ elapsed: 50, value: 'TimeoutError' });
  });

  it('util.promisify(setTimeout) and node:timers setTimeout', async () => {
    expect(await virtualWait(() => promisify(setTimeout)(TEN_MINUTES))).toMatchObject({ elapsed: TEN_MINUTES });
    expect(await virtualWait(() => new Promise((resolve) => timersSetTimeout(resolve, 30)))).toMatchObject({ elapsed: 30 });
  });

  it('clocks: Date, performance.now, process.hrtime and hrtime.bigint, from realistic instants', async () => {
    const r = await virtualWait(async () => {
      const at = { date: Date.now(), perf: performance.now(), hr: process.hrtime(), big: process.hrtime.bigint() };
      await sleepPromise(1500);
      const delta = process.hrtime(at.hr);
      return { ...at, big: String(at.big), delta, after: performance.now() };
    });
    const v = r.value as { date: number; perf: number; hr: [number, number]; big: string; delta: [number, number]; after: number };
    expect(v.date).toBe(DEFAULT_START_TIME);
    expect(v.perf).toBe(PERFORMANCE_ORIGIN);
    expect(v.hr).toEqual([PERFORMANCE_ORIGIN / 1000, 0]);
    expect(v.big).toBe(String(BigInt(PERFORMANCE_ORIGIN) * 1_000_000n));
    expect(v.delta).toEqual([1, 500_000_000]);
    expect(v.after).toBe(PERFORMANCE_ORIGIN + 1500);
    // Outside the execution, every one of them is real.
    expect(Date.now()).toBeGreaterThan(DEFAULT_START_TIME);
    expect(process.hrtime.bigint()).not.toBe(BigInt(PERFORMANCE_ORIGIN) * 1_000_000n);
  });
});

describe('the clock reads like a real one', () => {
  /** At most `cap` admissions in any `interval` ms; `windowStart` 0 means "no window yet", as many libraries write it. */
  class IntervalLimiter {
    windowStart = 0;
    admitted = 0;
    readonly log: number[] = [];

    constructor(
      readonly cap: number,
      readonly interval: number,
    ) {}

    tryAdmit(): boolean {
      const now = Date.now();
      if (this.windowStart === 0 || now - this.windowStart >= this.interval) {
        this.windowStart = now;
        this.admitted = 0;
      }
      if (this.admitted >= this.cap) return false;
      this.admitted++;
      this.log.push(now);
      return true;
    }
  }

  const limiterScenario = defineScenario({
    name: 'interval limiter that reads 0 as not yet',
    setup: () => new IntervalLimiter(2, 100),
    threads: Object.fromEntries(
      ['w0', 'w1', 'w2', 'w3'].map((name, i) => [
        name,
        async (s: IntervalLimiter, rt: Runtime) => {
          if (i >= 2) await rt.sleep(150);
          s.tryAdmit();
          await rt.yield();
          s.tryAdmit();
        },
      ]),
    ),
    final: (s) => {
      for (const t of s.log) {
        const inWindow = s.log.filter((u) => u >= t && u < t + s.interval).length;
        if (inWindow > s.cap) return `${inWindow} admissions within ${s.interval} ms of ${t}, over the cap of ${s.cap}`;
      }
      return true;
    },
  });

  it('a correct interval limiter that treats 0 as "not yet" is not reported', async () => {
    const result = await explore(limiterScenario, { runs: 2000, seed: 1 });
    expect(result.failure?.message).toBeUndefined();
  });

  it('startTime moves the clock, and is carried by the token: at 0 the same limiter admits too many', async () => {
    const result = await explore(limiterScenario, { runs: 2000, seed: 1, startTime: 0 });
    expect(result.failure?.kind).toBe('invariant');
    expect(result.failure?.trace.startTime).toBe(0);
    const { replay } = await import('interleave');
    const again = await replay(limiterScenario, result.failure!.replay);
    expect(again.failure?.kind).toBe('invariant');
  });
});

describe('sources that cannot be made virtual are nondeterminism, never a deadlock', () => {
  it('a socket that never answers', async () => {
    const net = await import('node:net');
    const server = net.createServer(() => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const scenario = defineScenario({
        name: 'waits on a socket',
        setup: () => ({}),
        threads: {
          client: async () => {
            const socket = net.connect(port, '127.0.0.1');
            await once(socket, 'data');
          },
        },
      });
      const result = await explore(scenario, { runs: 1, seed: 1 });
      expect(result.failure?.kind).toBe('nondeterminism');
      expect(result.failure!.message).toMatch(/waiting on real I\/O \(.*TCP.*\)/);
    } finally {
      server.close();
    }
  });

  it('a child process', async () => {
    const { spawn } = await import('node:child_process');
    const children: { kill(): void }[] = [];
    const scenario = defineScenario({
      name: 'waits on a child process',
      setup: () => ({}),
      threads: {
        parent: async () => {
          const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 200)']);
          children.push(child);
          await once(child, 'exit');
        },
      },
    });
    const result = await explore(scenario, { runs: 1, seed: 1 });
    for (const c of children) c.kill();
    expect(result.failure?.kind).toBe('nondeterminism');
    expect(result.failure!.message).toMatch(/waiting on real I\/O \(.*PROCESSWRAP.*\)/);
  });

  it('a worker message port', async () => {
    const ports: { close(): void }[] = [];
    const scenario = defineScenario({
      name: 'waits on a message port',
      setup: () => ({}),
      threads: {
        receiver: async () => {
          const { port1, port2 } = new MessageChannel();
          ports.push(port1, port2);
          await once(port1 as unknown as NodeJS.EventEmitter, 'message');
        },
      },
    });
    const result = await explore(scenario, { runs: 1, seed: 1 });
    for (const p of ports) p.close();
    expect(result.failure?.kind).toBe('nondeterminism');
    expect(result.failure!.message).toMatch(/waiting on real I\/O \(.*MESSAGEPORT.*\)/);
  });
});
