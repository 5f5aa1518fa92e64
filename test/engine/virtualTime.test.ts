/**
 * Virtual time: the timer globals inside an execution run on the execution's
 * clock; outside, on the real one. Time moves only when no thread can step;
 * timers due at one instant are a scheduler choice within Node's guarantee.
 */
import { describe, expect, it } from 'vitest';
import { defineScenario, explore, type Runtime } from 'interleave';
import { DEFAULT_START_TIME, PERFORMANCE_ORIGIN } from '../../src/engine/clock.ts';
import { expectSilent } from './fixtures/helpers.ts';

const TEN_MINUTES = 10 * 60 * 1000;
/** Where virtual `Date.now()` and `performance.now()` (and `rt.now()`) start: realistic instants, never 0. */
const T0 = DEFAULT_START_TIME;
const P0 = PERFORMANCE_ORIGIN;

describe('a scenario whose setup uses setTimeout', () => {
  it('runs on virtual time: a 10-minute timer fires in milliseconds of wall time, and Date.now() inside reads virtual time', async () => {
    const seen: { date: number; perf: number; rtNow: number; newDate: number }[] = [];
    const s = defineScenario({
      name: 'ten-minute timer',
      setup: () => {
        const st = { fired: false, timer: undefined as Promise<void> | undefined, startedAt: Date.now() };
        st.timer = new Promise<void>((resolve) =>
          setTimeout(() => {
            st.fired = true;
            resolve();
          }, TEN_MINUTES),
        );
        return st;
      },
      threads: {
        waiter: async (st, rt) => {
          await st.timer;
          seen.push({ date: Date.now(), perf: performance.now(), rtNow: rt.now(), newDate: new Date().getTime() });
        },
      },
      final: (st) => (st.fired && st.startedAt === T0 ? true : `fired ${st.fired}, started at ${st.startedAt}`),
    });
    const wallStart = performance.now();
    const result = await explore(s, { strategy: 'random', runs: 50, seed: 1 });
    const wall = performance.now() - wallStart;
    expect(result.failure?.message).toBeUndefined();
    expect(result.executions).toBe(50);
    expect(wall).toBeLessThan(2000); // 50 × 10 virtual minutes
    expect(seen).toHaveLength(50);
    for (const t of seen) expect(t).toEqual({ date: T0 + TEN_MINUTES, perf: P0 + TEN_MINUTES, rtNow: P0 + TEN_MINUTES, newDate: T0 + TEN_MINUTES });
    // Outside the execution, the clocks are real again.
    expect(Math.abs(Date.now() - new Date().getTime())).toBeLessThan(1000);
    expect(Date.now()).toBeGreaterThan(Date.UTC(2020, 0, 1));
  });

  it('leaves a real timer started by the test itself on real time: it fires, and not early', async () => {
    const started = performance.now();
    const fired = new Promise<number>((resolve) => setTimeout(() => resolve(performance.now()), 50));
    let firedDuring = false;
    void fired.then(() => {
      firedDuring = true;
    });
    const s = defineScenario({
      name: 'virtual timers while a real one runs',
      setup: () => ({ ticks: 0 }),
      threads: {
        sleeper: async (st, rt) => {
          await new Promise((r) => setTimeout(r, 60_000));
          await rt.sleep(50);
          st.ticks++;
        },
        other: async (st, rt) => {
          setTimeout(() => st.ticks++, 50);
          await rt.yield();
        },
      },
      final: (st) => (st.ticks === 2 ? true : `ticks ${st.ticks}`),
    });
    // Long enough (in wall time) that the real timer comes due while it runs.
    let runs = 0;
    while (performance.now() - started < 150) {
      const result = await explore(s, { strategy: 'random', runs: 200, seed: runs + 1 });
      expect(result.failure?.message).toBeUndefined();
      runs++;
    }
    expect(firedDuring).toBe(true); // the exploration yields to the event loop: the real timer was not held up
    const at = (await fired) - started;
    expect(at).toBeGreaterThanOrEqual(49); // Node may round by under a millisecond
  });
});

/** Collects, over many executions, the order in which two timers fired. */
async function timerOrders(build: (order: string[]) => void, seed: number, runs = 400): Promise<Set<string>> {
  const orders = new Set<string>();
  const s = defineScenario({
    name: 'timer order',
    setup: () => {
      const order: string[] = [];
      build(order);
      return { order };
    },
    threads: { idle: async () => {} },
    final: (st) => {
      orders.add(st.order.join(''));
      return true;
    },
  });
  const result = await explore(s, { strategy: 'random', runs, seed });
  expect(result.failure?.message).toBeUndefined();
  expect(result.executions).toBe(runs);
  return orders;
}

describe('timers due at the same instant', () => {
  it("fire in Node's list order when the later-created one has the shorter delay: A, then B", async () => {
    // A: created at 0 with delay 20. B: created at 10 with delay 10, by a timer of the 10 ms list, which it joins. Both due at
    // 20. Node keeps one list per duration: looking at the 10 ms list at 10 gave it a fresh id, so at 20 the 20 ms list
    // (expiry 20, older id) runs first, punctual or late. Real Node prints A B.
    const orders = await timerOrders((order) => {
      setTimeout(() => order.push('A'), 20);
      setTimeout(() => setTimeout(() => order.push('B'), 10), 10);
    }, 1);
    expect(orders).toEqual(new Set(['AB']));
  });

  it('never let a timer fire before one created earlier with an equal delay', async () => {
    const orders = await timerOrders((order) => {
      setTimeout(() => order.push('A'), 10);
      setTimeout(() => order.push('B'), 10);
      setTimeout(() => order.push('C'), 10);
    }, 2);
    expect(orders).toEqual(new Set(['ABC']));
  });

  it('never let a timer fire before one created earlier with a shorter delay, nor an immediate before an earlier immediate', async () => {
    // Armed by the setup, as by a main script: the loop's first turn begins with its timers phase, so a loop that wakes
    // 5 or 10 ms late fires A, or A and B, before the immediates (real Node does, when its main script runs long).
    const orders = await timerOrders((order) => {
      setImmediate(() => order.push('i'));
      setImmediate(() => order.push('j'));
      setTimeout(() => order.push('A'), 5);
      setTimeout(() => order.push('B'), 10);
    }, 3);
    expect(orders).toEqual(new Set(['ijAB', 'AijB', 'ABij']));
  });

  it('keep the guarantee between a timer created in setup and one created by a thread at the same instant', async () => {
    const orders = new Set<string>();
    const s = defineScenario({
      name: 'setup timer, thread timer',
      setup: () => {
        const order: string[] = [];
        setTimeout(() => order.push('setup'), 10);
        return { order };
      },
      threads: {
        t: async (st) => {
          setTimeout(() => st.order.push('thread'), 10);
        },
      },
      final: (st) => {
        orders.add(st.order.join(','));
        return true;
      },
    });
    await expectSilent(s, 4, 400);
    expect(orders).toEqual(new Set(['setup,thread']));
  });

  it('run first in, first out with yields: a yield queued after an immediate resumes after it, as realRuntime\'s setImmediate does', async () => {
    const orders = new Set<string>();
    const s = defineScenario({
      name: 'immediate among thread steps',
      setup: () => ({ log: [] as string[] }),
      threads: {
        t: async (st, rt) => {
          setImmediate(() => st.log.push('imm'));
          st.log.push('t1');
          await rt.yield();
          st.log.push('t2');
        },
      },
      final: (st) => {
        orders.add(st.log.join(','));
        return true;
      },
    });
    await expectSilent(s, 5, 300);
    // t1,t2,imm would need the yield's immediate to run before the one queued ahead of it: Node never does that.
    expect(orders).toEqual(new Set(['t1,imm,t2']));
  });
});

describe('virtual time', () => {
  const spinAndSleep = () =>
    defineScenario({
      name: 'time stands still while anyone can step',
      setup: () => ({ spinTimes: [] as number[], sleeperWoke: -1, timerAt: -1, spinnerDone: false, spinnerDoneBeforeTimer: false }),
      threads: {
        sleeper: async (st, rt) => {
          await rt.sleep(100);
          st.sleeperWoke = rt.now();
        },
        timerSetter: async (st) => {
          setTimeout(() => {
            st.timerAt = Date.now();
            st.spinnerDoneBeforeTimer = st.spinnerDone;
          }, 1);
        },
        spinner: async (st, rt: Runtime) => {
          for (let i = 0; i < 20; i++) {
            st.spinTimes.push(rt.now());
            await rt.yield();
          }
          st.spinTimes.push(Date.now() - T0 + P0);
          st.spinnerDone = true;
        },
      },
      final: (st) => {
        if (st.spinTimes.some((t) => t !== P0)) return `time moved while the spinner could step: ${st.spinTimes.join(',')}`;
        if (!st.spinnerDoneBeforeTimer) return 'a 1 ms timer fired while a thread could still step';
        if (st.timerAt !== T0 + 1) return `timer fired at ${st.timerAt}`;
        return st.sleeperWoke === P0 + 100 ? true : `sleeper woke at ${st.sleeperWoke}`;
      },
    });

  it('on a punctual clock (dfs without preemptions), moves only when no thread can step, to the next deadline', async () => {
    const result = await explore(spinAndSleep(), { strategy: 'dfs', preemptions: 0, runs: 5000, seed: 1 });
    expect(result.failure?.message).toBeUndefined();
    expect(result.exhausted).toBe(true);
  });

  it('may also move while only starts, pauses and yields are ready, as in a busy process: the spinner sees it', async () => {
    // Each seed's first finding: a late clock (the 1 ms timer firing at 100 ms, after the spinner) is one; the spinner seeing time move is another.
    const messages: string[] = [];
    for (let seed = 1; seed <= 8; seed++) {
      const result = await explore(spinAndSleep(), { strategy: 'random', runs: 2000, seed });
      expect(result.failure?.kind).toBe('invariant');
      messages.push(result.failure!.message);
    }
    expect(messages.some((m) => /time moved while the spinner could step|a 1 ms timer fired while a thread could still step/.test(m))).toBe(true);
  });

  it('never moves while a lock, a permit or a notified wait is ready: real code resumes them in the same macrotask', async () => {
    interface St {
      m: ReturnType<Runtime['mutex']>;
      cm: ReturnType<Runtime['mutex']>;
      c: ReturnType<Runtime['condition']>;
      permits: ReturnType<Runtime['semaphore']>;
      held: boolean;
      signalled: boolean;
      releasedAt: number;
      resumedAt: string[];
    }
    const s = defineScenario<St>({
      name: 'hand-offs are instant',
      setup: (rt) => {
        const cm = rt.mutex('cm');
        return { m: rt.mutex('m'), cm, c: rt.condition(cm, 'c'), permits: rt.semaphore(0, 'p'), held: false, signalled: false, releasedAt: -1, resumedAt: [] };
      },
      threads: {
        holder: async (st, rt) => {
          await st.m.lock();
          st.held = true;
          await rt.sleep(3);
          await st.cm.lock();
          st.releasedAt = Date.now();
          st.signalled = true;
          st.c.notify();
          st.cm.unlock();
          st.held = false;
          st.m.unlock();
          st.permits.release();
        },
        locker: async (st, rt) => {
          await rt.yield();
          const waits = st.held;
          await st.m.lock();
          if (waits) st.resumedAt.push(`lock ${Date.now()}`);
          st.m.unlock();
        },
        acquirer: async (st) => {
          const waits = st.releasedAt < 0;
          await st.permits.acquire();
          if (waits) st.resumedAt.push(`acquire ${Date.now()}`);
        },
        waiter: async (st) => {
          await st.cm.lock();
          const waits = !st.signalled;
          while (!st.signalled) await st.c.wait();
          if (waits) st.resumedAt.push(`wait ${Date.now()}`);
          st.cm.unlock();
        },
        ticker: async () => {
          setInterval(() => {}, 1); // a timer always ahead: the clock could move at any step it is allowed to
        },
      },
      final: (st) => st.resumedAt.every((r) => r.endsWith(` ${st.releasedAt}`)) || `released at ${st.releasedAt}, resumed: ${st.resumedAt.join(', ')}`,
    });
    await expectSilent(s, 9, 2000);
  });

  it('jumps straight to the next timer: a long sleep costs one step, not one per millisecond', async () => {
    const s = defineScenario({
      name: 'long sleeps',
      setup: () => ({ slept: [] as number[] }),
      threads: {
        a: async (st, rt) => {
          const from = rt.now();
          await rt.sleep(TEN_MINUTES);
          st.slept.push((rt.now() - from) / TEN_MINUTES);
        },
        b: async (st, rt) => {
          const from = rt.now();
          await rt.sleep(2 * TEN_MINUTES);
          st.slept.push((rt.now() - from) / TEN_MINUTES);
        },
      },
      // Never less than asked; a late clock may make one sleep longer.
      final: (st) => (st.slept.length === 2 && st.slept.every((n) => n >= 1) && st.slept.includes(2) ? true : st.slept.join()),
    });
    const result = await expectSilent(s, 7, 100);
    expect(result.steps / result.executions).toBeLessThanOrEqual(4);
  });

  it('starts at the same realistic instant in every execution, and a deadline that never comes does not keep an execution open', async () => {
    const starts = new Set<number>();
    const s = defineScenario({
      name: 'fresh clock',
      setup: () => {
        starts.add(Date.now());
        return { never: new Promise<void>(() => {}) };
      },
      threads: {
        t: async (_st, rt) => {
          await rt.sleep(1000);
          setInterval(() => {}, 1000); // intervals do not keep a finished execution alive
        },
      },
    });
    await expectSilent(s, 8, 200);
    expect(starts).toEqual(new Set([T0]));
    expect(T0).toBeGreaterThan(Date.UTC(2020, 0, 1)); // a clock no real process shows would send libraries down paths no real process takes
  });
});

describe('a timer captured before Interleave loaded', () => {
  it('escapes virtual time, and is reported as nondeterminism rather than left to make runs differ', async () => {
    // `real.setTimeout` is what code that kept a reference to setTimeout before the harness loaded would hold.
    const { real } = await import('../../src/engine/realTimers.ts');
    const s = defineScenario({
      name: 'captured setTimeout',
      setup: () => ({}),
      threads: {
        poller: async () => {
          real.setTimeout(() => {}, 1);
        },
      },
    });
    const result = await explore(s, { runs: 5, seed: 1 });
    expect(result.ok).toBe(false);
    expect(result.failure?.kind).toBe('nondeterminism');
    expect(result.failure!.message).toMatch(/real timer\(s\) were created by the execution's code, escaping virtual time/);
  });

  it('is not confused with the routed globals: the same poller on setTimeout is silent', async () => {
    const s = defineScenario({
      name: 'routed setTimeout',
      setup: () => ({}),
      threads: {
        poller: async () => {
          await new Promise((resolve) => setTimeout(resolve, 5));
        },
      },
    });
    const result = await explore(s, { runs: 200, seed: 1 });
    expect(result.ok).toBe(true);
  });
});

describe('a thread waiting on real I/O', () => {
  it('is not called a deadlock: the outside world is out of the model, and the finding says so', async () => {
    const { readFile } = await import('node:fs/promises');
    const s = defineScenario({
      name: 'reads a real file',
      setup: () => ({ text: '' }),
      threads: {
        reader: async (st) => {
          st.text = await readFile(new URL('../../package.json', import.meta.url), 'utf8');
        },
      },
    });
    const result = await explore(s, { runs: 3, seed: 1 });
    expect(result.failure?.kind).toBe('nondeterminism');
    expect(result.failure!.message).toMatch(/waiting on real I\/O \(FSREQPROMISE ×\d\) that the harness cannot control/);
  });
});
