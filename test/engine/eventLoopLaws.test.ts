/**
 * The event-loop laws (README "The event-loop laws"; src/check/laws/): the
 * false alarms of issue 13 are gone, the orders Node really uses are all
 * produced, and the law checker that runs on every execution of the test
 * suites catches an engine that breaks a law.
 */
import { describe, expect, it } from 'vitest';
import { defineScenario, explore, type Runtime } from 'interleave';
import { EventLoopLaws } from '../../src/check/laws/eventLoopLaws.ts';
import { VirtualClock } from '../../src/engine/clock.ts';

/** Every order a scenario's timers fire in, over every schedule dfs can find (it exhausts these small ones). */
async function orders(arm: (log: string[]) => void, runs = 20_000): Promise<Set<string>> {
  const seen = new Set<string>();
  const s = defineScenario({
    name: 'timer orders',
    setup: () => ({ log: [] as string[] }),
    threads: {
      armer: async (st: { log: string[] }) => {
        arm(st.log);
      },
    },
    final: (st) => {
      seen.add(st.log.join(''));
      return true;
    },
  });
  const result = await explore(s, { strategy: 'dfs', runs, seed: 1 });
  expect(result.failure?.message).toBeUndefined();
  expect(result.exhausted).toBe(true);
  return seen;
}

describe('the false alarms of issue 13 are gone', () => {
  it('an abort at 20 ms always fires before a 150 ms timeout armed with it, however late the loop wakes (100,000 executions)', async () => {
    const s = defineScenario({
      name: 'abort at 20 ms before a 150 ms timeout',
      setup: () => ({ log: [] as string[] }),
      threads: {
        caller: async (st: { log: string[] }) => {
          await new Promise<void>((resolve) => {
            const t = setTimeout(() => {
              st.log.push('timeout@150');
              resolve();
            }, 150);
            setTimeout(() => {
              st.log.push('abort@20');
              clearTimeout(t);
              resolve();
            }, 20);
          });
        },
      },
      final: (st) => st.log[0] === 'abort@20' || `the 150 ms timer fired first: ${st.log.join(', ')}`,
    });
    for (const strategy of ['portfolio', 'random', 'pct'] as const) {
      const result = await explore(s, { strategy, runs: strategy === 'portfolio' ? 100_000 : 3000, seed: 1 });
      expect(result.failure?.message).toBeUndefined();
      expect(result.ok).toBe(true);
    }
  });

  it("a lock's waitForUnlock never returns while the lock is held: two rt.yield() continuations never start in one macrotask (100,000 executions)", async () => {
    class Lock {
      locked = false;
      waiters: (() => void)[] = [];
      async acquire(): Promise<void> {
        while (this.locked) await new Promise<void>((r) => this.waiters.push(r));
        this.locked = true;
      }
      release(): void {
        this.locked = false;
        this.waiters.shift()?.();
      }
      async waitForUnlock(): Promise<void> {
        while (this.locked) await new Promise<void>((r) => this.waiters.push(r));
      }
    }
    const s = defineScenario({
      name: 'waitForUnlock while a contender holds the lock',
      setup: () => ({ m: new Lock(), bad: '' }),
      threads: {
        contender: async (st, rt: Runtime) => {
          await rt.yield();
          await st.m.acquire();
          await rt.yield();
          st.m.release();
        },
        watcher: async (st, rt: Runtime) => {
          await rt.yield();
          await st.m.waitForUnlock();
          if (st.m.locked) st.bad = 'waitForUnlock returned while the lock is held';
        },
      },
      final: (st) => st.bad === '' || st.bad,
    });
    for (const strategy of ['portfolio', 'random', 'pct'] as const) {
      const result = await explore(s, { strategy, runs: strategy === 'portfolio' ? 100_000 : 3000, seed: 1 });
      expect(result.failure?.message).toBeUndefined();
    }
  });
});

describe("Node's timer order, every order it can take and none it cannot", () => {
  it('A(100) and B(150) at 0, C(100) at 60: A C B when the loop wakes late past 160, A B C when it is punctual; never B first', async () => {
    const seen = await orders((log) => {
      setTimeout(() => log.push('A'), 100);
      setTimeout(() => log.push('B'), 150);
      setTimeout(() => setTimeout(() => log.push('C'), 100), 60);
    });
    expect(seen).toEqual(new Set(['ABC', 'ACB']));
  });

  it('a 150 ms timer never fires before a 20 ms one armed with it', async () => {
    const seen = await orders((log) => {
      setTimeout(() => log.push('150'), 150);
      setTimeout(() => log.push('20'), 20);
    });
    expect(seen).toEqual(new Set(['20150']));
  });

  it('a list keeps its expiry when its first timer is cleared: a punctual wake at it reorders what follows (Y then X), a late one does not (X then Y)', async () => {
    // P(100) and Y(160) at 0, X(100) at 60, P cleared at 70: measured on real Node 20 (test/engine/nodeTimerModel.test.ts).
    const seen = await orders((log) => {
      const p = setTimeout(() => log.push('P'), 100);
      setTimeout(() => log.push('Y'), 160);
      setTimeout(() => setTimeout(() => log.push('X'), 100), 60);
      setTimeout(() => clearTimeout(p), 70);
    });
    expect(seen).toEqual(new Set(['XY', 'YX']));
  });

  it('immediates run first in, first out; those queued by an immediate wait for the next check phase, after the due timers', async () => {
    const seen = await orders((log) => {
      setImmediate(() => {
        log.push('i');
        setImmediate(() => log.push('k'));
        setTimeout(() => log.push('T'), 1);
      });
      setImmediate(() => log.push('j'));
    });
    // k was queued during the check phase that runs i and j; T is due 1 ms later: a loop that has taken 1 ms by its next timers phase fires T before k.
    expect(seen).toEqual(new Set(['ijkT', 'ijTk']));
  });
});

describe('the law checker', () => {
  /** Drives the checker as the engine would, with a clock for the timers' records. */
  function checker() {
    const clock = new VirtualClock(0);
    const laws = new EventLoopLaws();
    clock.observer = laws;
    return { clock, laws };
  }

  it('is silent on a run in Node order', () => {
    const { clock, laws } = checker();
    clock.create('timeout', () => {}, 100, [], undefined);
    clock.create('timeout', () => {}, 150, [], undefined);
    laws.phase('timers', 0);
    laws.phase('poll', 0);
    clock.advanceTo(300);
    laws.phase('check', 0);
    laws.phase('timers', 300);
    laws.timerStep(0);
    laws.timerStep(1);
    laws.phase('poll', 300);
    laws.continuationStep('pause', ['pause']);
    expect(laws.violation).toBeUndefined();
  });

  it('names law (a) when a timer fires out of Node order, or a due one is left for later, or a continuation runs inside a timers phase', () => {
    const outOfOrder = checker();
    outOfOrder.clock.create('timeout', () => {}, 100, [], undefined);
    outOfOrder.clock.create('timeout', () => {}, 150, [], undefined);
    outOfOrder.laws.phase('timers', 300);
    outOfOrder.laws.timerStep(1);
    expect(outOfOrder.laws.violation).toMatch(/^event-loop law \(a\) .*timer#1 fired where Node fires timer#0/);

    const leftOver = checker();
    leftOver.clock.create('timeout', () => {}, 100, [], undefined);
    leftOver.laws.phase('timers', 300);
    leftOver.laws.phase('poll', 300);
    expect(leftOver.laws.violation).toMatch(/law \(a\) .*ended with timer#0, due then, not fired/);

    const inside = checker();
    inside.clock.create('timeout', () => {}, 100, [], undefined);
    inside.clock.create('timeout', () => {}, 100, [], undefined);
    inside.laws.phase('timers', 300);
    inside.laws.timerStep(0);
    inside.laws.continuationStep('take', []);
    expect(inside.laws.violation).toMatch(/law \(a\) .*a continuation \(take\) ran inside the timers phase/);
  });

  it('names law (b) when a yield is joined, or resumed other than by its immediate', () => {
    const joined = checker();
    joined.laws.continuationStep('start', ['yield']);
    expect(joined.laws.violation).toMatch(/law \(b\) .*a yield started inside the macrotask of a start/);
    const chosen = checker();
    chosen.laws.continuationStep('yield', []);
    expect(chosen.laws.violation).toMatch(/law \(b\) .*a yield was resumed as a continuation of its own choosing, not by its immediate/);
  });

  it('names law (c) when immediates run out of order, and law (d) when two timers phases have no check phase between them', () => {
    const fifo = checker();
    fifo.clock.create('immediate', () => {}, 0, [], undefined);
    fifo.clock.create('immediate', () => {}, 0, [], undefined);
    fifo.laws.phase('timers', 0);
    fifo.laws.phase('poll', 0);
    fifo.laws.phase('check', 0);
    fifo.laws.timerStep(1);
    expect(fifo.laws.violation).toMatch(/law \(c\) .*immediate timer#1 ran where Node runs timer#0/);
    const order = checker();
    order.laws.phase('timers', 0);
    order.laws.phase('poll', 0);
    order.laws.phase('timers', 0);
    expect(order.laws.violation).toMatch(/law \(d\)/);
  });

  it('catches an engine that fires due timers by deadline instead of in Node order: the exploration rejects, naming law (a)', async () => {
    // The control: break the clock as the engine was before (deadline order), and the checker, on in every suite, must object.
    const original = VirtualClock.prototype.nextTimer;
    const pending: { timer: NonNullable<ReturnType<VirtualClock['nextTimer']>>; at: number }[] = [];
    VirtualClock.prototype.nextTimer = function (this: VirtualClock) {
      // Take every due timer of the phase, then hand them out by deadline.
      for (let t = original.call(this); t !== undefined; t = original.call(this)) pending.push({ timer: t, at: t.start + t.msecs });
      pending.sort((a, b) => a.at - b.at);
      return pending.shift()?.timer;
    };
    try {
      const s = defineScenario({
        name: 'A C B',
        setup: () => ({}),
        threads: {
          armer: async () => {
            setTimeout(() => {}, 100);
            setTimeout(() => {}, 150);
            setTimeout(() => setTimeout(() => {}, 100), 60);
          },
        },
      });
      await expect(explore(s, { strategy: 'dfs', runs: 1000, seed: 1 })).rejects.toThrow(/event-loop law \(a\)/);
    } finally {
      VirtualClock.prototype.nextTimer = original;
    }
  });
});
