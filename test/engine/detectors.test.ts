/**
 * Every detector, twice: once firing on a real bug, once silent on a correct
 * program over 2,000 random executions.
 */
import { describe, expect, it } from 'vitest';
import { defineScenario, type Mutex, type Runtime } from 'interleave';
import { EMPTY_SLOT } from './fixtures/buffers.ts';
import { expectFailure, expectSilent, kindsOverSeeds } from './fixtures/helpers.ts';
import {
  correctMonitor,
  correctSemaphoreBuffer,
  correctSentinelRing,
  dropWhenFullBuffer,
  lifoBuffer,
  offByOneBuffer,
  racyHeadRing,
  splitCheckBuffer,
  unboundedNoSizeBuffer,
} from './fixtures/scenarios.ts';

// ---- deadlock -------------------------------------------------------------

/** Two threads taking two locks; `sameOrder` false is the classic lock-order inversion. */
function twoLocks(sameOrder: boolean) {
  return defineScenario({
    name: `two locks, ${sameOrder ? 'same order' : 'opposite orders'}`,
    setup: (rt) => ({ a: rt.mutex('A'), b: rt.mutex('B'), count: 0 }),
    threads: {
      left: async (s) => {
        await s.a.lock();
        await s.b.lock();
        s.count++;
        s.b.unlock();
        s.a.unlock();
      },
      right: async (s) => {
        const [first, second] = sameOrder ? [s.a, s.b] : [s.b, s.a];
        await first.lock();
        await second.lock();
        s.count++;
        second.unlock();
        first.unlock();
      },
    },
    final: (s) => (s.count === 2 ? true : `count is ${s.count}`),
  });
}

describe('deadlock', () => {
  it('fires on a lock-order inversion, naming both threads, what each waits for, who holds it, and the cycle', async () => {
    const failure = await expectFailure(twoLocks(false), 'deadlock');
    const blocked = [...(failure.trace.outcome.blocked ?? [])].sort((x, y) => x.thread.localeCompare(y.thread));
    expect(blocked).toEqual([
      { thread: 'left', waitsFor: 'lock(B)', heldBy: ['right'] },
      { thread: 'right', waitsFor: 'lock(A)', heldBy: ['left'] },
    ]);
    const cycle = failure.trace.outcome.cycle ?? [];
    expect(cycle.length).toBe(3);
    expect(cycle[0]).toBe(cycle[2]);
    expect(new Set(cycle)).toEqual(new Set(['left', 'right']));
    expect(failure.message).toMatch(/left waits in lock\(B\) held by right/);
    expect(failure.message).toMatch(/right waits in lock\(A\) held by left/);
  });

  it('stays silent when both threads take the locks in the same order (2,000 executions)', async () => {
    await expectSilent(twoLocks(true), 11);
  });

  it('stays silent on a correct semaphore buffer, 2 producers / 2 consumers (2,000 executions)', async () => {
    await expectSilent(correctSemaphoreBuffer(), 12);
  });

  it('fires when a thread parks on an ordinary promise that nothing will ever resolve', async () => {
    const s = defineScenario({
      name: 'awaits a reply that never comes',
      setup: () => ({ reply: new Promise<string>(() => {}), sent: false }),
      threads: {
        client: async (st) => {
          await st.reply;
        },
        server: async (st, rt) => {
          await rt.yield();
          st.sent = true; // forgets to resolve the reply
        },
      },
    });
    const failure = await expectFailure(s, 'deadlock', 1, 10);
    expect(failure.trace.outcome.blocked).toEqual([{ thread: 'client', waitsFor: 'a promise nothing will resolve', heldBy: [] }]);
  });

  it('stays silent when a thread parks on an ordinary promise that another thread resolves (2,000 executions)', async () => {
    const s = defineScenario({
      name: 'promise hand-off',
      setup: () => {
        let resolve!: (value: number) => void;
        const reply = new Promise<number>((r) => (resolve = r));
        return { reply, resolve, got: -1 };
      },
      threads: {
        client: async (st) => {
          st.got = await st.reply;
        },
        server: async (st, rt) => {
          await rt.yield();
          st.resolve(42);
        },
      },
      final: (st) => (st.got === 42 ? true : `got ${st.got}`),
    });
    await expectSilent(s, 13);
  });
});

// ---- lost wakeup ------------------------------------------------------------

/** A waiter and a signaller over a flag; `split` checks the flag and waits in separate holds of the lock. */
function flagWait(split: boolean) {
  return defineScenario({
    name: `flag wait${split ? ', check and wait split' : ''}`,
    setup: (rt) => {
      const m = rt.mutex('m');
      return { m, ready: rt.condition(m, 'ready'), flag: false, seen: false };
    },
    threads: {
      waiter: async (s) => {
        await s.m.lock();
        if (split) {
          const flag = s.flag;
          s.m.unlock();
          await s.m.lock();
          if (!flag) await s.ready.wait();
        } else {
          while (!s.flag) await s.ready.wait();
        }
        s.seen = true;
        s.m.unlock();
      },
      signaller: async (s) => {
        await s.m.lock();
        s.flag = true;
        s.ready.notify();
        s.m.unlock();
      },
    },
    final: (s) => (s.seen ? true : 'the waiter never saw the flag'),
  });
}

describe('lost-wakeup', () => {
  it('fires on a monitor whose consumer checks and waits in separate lock holds', async () => {
    const failure = await expectFailure(splitCheckBuffer(), 'lost-wakeup');
    expect(failure.message).toMatch(/consumer-0 waits in wait\(notEmpty\)/);
    expect(failure.message).toMatch(/notify .* at step \d+/);
  });

  it('fires on a flag wait whose check and wait are split', async () => {
    const failure = await expectFailure(flagWait(true), 'lost-wakeup');
    expect(failure.message).toMatch(/waiter waits in wait\(ready\)/);
    expect(failure.trace.outcome.blocked).toEqual([{ thread: 'waiter', waitsFor: 'wait(ready)', heldBy: [] }]);
  });

  it('stays silent on the correct monitor, 2 producers / 2 consumers (2,000 executions)', async () => {
    await expectSilent(correctMonitor(), 21);
  });

  it('stays silent on a flag wait that checks in a while loop in the same hold (2,000 executions)', async () => {
    await expectSilent(flagWait(false), 22);
  });
});

// ---- capacity ---------------------------------------------------------------

describe('capacity', () => {
  it('fires by the buffer\'s own size when an off-by-one lets it hold capacity + 1 items', async () => {
    const failure = await expectFailure(offByOneBuffer(), 'capacity');
    expect(failure.message).toMatch(/buffer size is 3 after step \d+, outside its capacity 0\.\.2/);
    const last = failure.trace.steps.at(-1)!;
    expect(last.index).toBe(failure.step);
    expect(last.snapshot.buffer?.size).toBe(3);
  });

  it('fires by the sound count when the buffer has no size and never blocks a producer', async () => {
    const failure = await expectFailure(unboundedNoSizeBuffer(), 'capacity');
    expect(failure.message).toMatch(/3 puts have completed and only 0 takes have started/);
    expect(failure.trace.steps.at(-1)!.snapshot.buffer?.size).toBeUndefined();
  });

  it('stays silent on a correct sentinel ring, whose size wraps modulo its slots (2,000 executions)', async () => {
    await expectSilent(correctSentinelRing(), 31);
  });

  it('stays silent on the correct monitor at capacity 1 with 3 producers (2,000 executions)', async () => {
    await expectSilent(correctMonitor({ producers: 3, consumers: 1, itemsPerProducer: 1, capacity: 1 }), 32);
  });
});

// ---- lost item --------------------------------------------------------------

describe('lost-item', () => {
  it('fires when a put into a full buffer silently drops its item (size stays in bounds)', async () => {
    // Depending on the schedule, the dropped item can also leave a consumer
    // stuck; what it is never called is a capacity violation.
    const { kinds, failures } = await kindsOverSeeds(dropWhenFullBuffer(), 6);
    expect(kinds).toContain('lost-item');
    expect(kinds).not.toContain('capacity');
    const lost = failures.find((f) => f.kind === 'lost-item')!;
    expect(lost.message).toMatch(/puts have completed and only \d+ takes have started, so the buffer must hold at least 2 items \(capacity 1\), yet it reports size 1/);
  });

  it('stays silent on the correct monitor with the same shape (2,000 executions)', async () => {
    await expectSilent(correctMonitor({ producers: 2, consumers: 1, itemsPerProducer: 2, capacity: 1 }), 41);
  });
});

// ---- duplicate, phantom -------------------------------------------------------

describe('duplicate-item', () => {
  it('fires when two consumers can claim the same ring slot', async () => {
    const failure = await expectFailure(racyHeadRing('duplicate'), 'duplicate-item');
    expect(failure.message).toMatch(/item .+ was taken (twice|\d+ times): by consumer-\d at steps? \d+.*; it was put once, by producer-\d at step \d+\./);
  });

  it('stays silent when a consumer claims and reads its slot in one step (2,000 executions)', async () => {
    await expectSilent(racyHeadRing('fixed'), 51);
  });
});

describe('phantom-item', () => {
  it('fires when a consumer reads a slot another consumer already emptied', async () => {
    const failure = await expectFailure(racyHeadRing('phantom'), 'phantom-item');
    expect(failure.message).toContain(`a take returned "${EMPTY_SLOT}", which no producer ever put`);
  });

  it('stays silent on the correct semaphore buffer, 3 producers / 2 consumers (2,000 executions)', async () => {
    await expectSilent(correctSemaphoreBuffer({ producers: 3, consumers: 2, itemsPerProducer: 2, capacity: 2 }), 61);
  });
});

// ---- order ----------------------------------------------------------------------

describe('order', () => {
  it('fires on a stack used as a queue', async () => {
    const failure = await expectFailure(lifoBuffer(), 'order');
    expect(failure.message).toMatch(/producer-0 put .+ before .+, but consumer-0 took .+ \(step \d+\) before consumer-0 took .+ \(step \d+\)/);
  });

  it('stays silent on the same stack when the scenario says fifo: false (500 executions)', async () => {
    await expectSilent(lifoBuffer(undefined, false), 71, 500);
  });

  it('stays silent on the correct monitor, 1 producer / 3 consumers, where takes overlap (2,000 executions)', async () => {
    await expectSilent(correctMonitor({ producers: 1, consumers: 3, itemsPerProducer: 4, capacity: 2 }), 72);
  });
});

// ---- invariant and final --------------------------------------------------------------

/** Two threads entering a critical section, with or without the lock; the invariant says one at a time. */
function criticalSection(locked: boolean) {
  return defineScenario({
    name: `critical section${locked ? '' : ' without its lock'}`,
    setup: (rt) => ({ m: rt.mutex('m'), inside: 0 }),
    threads: Object.fromEntries(
      ['a', 'b'].map((name) => [
        name,
        async (s: { m: Mutex; inside: number }, rt: Runtime) => {
          if (locked) await s.m.lock();
          s.inside++;
          await rt.yield();
          s.inside--;
          if (locked) s.m.unlock();
        },
      ]),
    ),
    invariant: (s) => (s.inside <= 1 ? true : `${s.inside} threads in the critical section`),
  });
}

/** Read-yield-write increments by two threads, with or without the lock; `final` says none was lost. */
function counter(locked: boolean) {
  return defineScenario({
    name: `counter${locked ? '' : ' without its lock'}`,
    setup: (rt) => ({ m: rt.mutex('m'), value: 0 }),
    threads: Object.fromEntries(
      ['a', 'b'].map((name) => [
        name,
        async (s: { m: Mutex; value: number }, rt: Runtime) => {
          if (locked) await s.m.lock();
          const read = s.value;
          await rt.yield();
          s.value = read + 1;
          if (locked) s.m.unlock();
        },
      ]),
    ),
    final: (s) => (s.value === 2 ? true : `counter is ${s.value}, expected 2`),
  });
}

describe('invariant', () => {
  it('fires after the step that breaks a per-step invariant, with its message', async () => {
    const failure = await expectFailure(criticalSection(false), 'invariant');
    expect(failure.message).toMatch(/invariant violated: 2 threads in the critical section \(after step \d+\)/);
    expect(failure.message).toContain(`after step ${failure.step}`);
    const stepped = failure.trace.steps.at(-1)!;
    expect(stepped.index).toBe(failure.step);
  });

  it('stays silent when the critical section is locked (2,000 executions)', async () => {
    await expectSilent(criticalSection(true), 81);
  });

  it('fires on `final` when an increment is lost, as kind invariant', async () => {
    const failure = await expectFailure(counter(false), 'invariant');
    expect(failure.message).toMatch(/final violated: counter is 1, expected 2/);
  });

  it('stays silent on `final` when the increments are locked (2,000 executions)', async () => {
    await expectSilent(counter(true), 82);
  });

  it('treats false, a non-string value and a throw from a predicate as violations, and only true as holding', async () => {
    const answers: [unknown, RegExp | undefined][] = [
      [true, undefined],
      [false, /invariant violated \(it returned false\)/],
      [0, /invariant violated \(it returned 0\)/],
      [undefined, /invariant violated \(it returned undefined\)/],
      ['nope', /invariant violated: nope/],
    ];
    for (const [answer, pattern] of answers) {
      const s = defineScenario({
        name: `invariant answering ${String(answer)}`,
        setup: () => ({}),
        threads: { t: async (_s, rt) => rt.yield() },
        invariant: () => answer as true,
      });
      if (pattern === undefined) await expectSilent(s, 1, 50);
      else expect((await expectFailure(s, 'invariant', 1, 50)).message).toMatch(pattern);
    }
    const throwing = defineScenario({
      name: 'final that throws',
      setup: () => ({}),
      threads: { t: async () => {} },
      final: () => {
        throw new RangeError('bad state');
      },
    });
    expect((await expectFailure(throwing, 'invariant', 1, 50)).message).toMatch(/final threw: RangeError: bad state/);
  });
});

// ---- exception ---------------------------------------------------------------

describe('exception', () => {
  it('fires when a thread throws, naming the thread and the error, with a stack from the scenario', async () => {
    // Check-then-act on a shared array: both consumers see one item, one shifts it, the other reads undefined.
    const s = defineScenario({
      name: 'check-then-act on an array',
      setup: () => ({ jobs: [{ id: 1 }] as { id: number }[], done: [] as number[] }),
      threads: Object.fromEntries(
        ['worker-a', 'worker-b'].map((name) => [
          name,
          async (st: { jobs: { id: number }[]; done: number[] }, rt: Runtime) => {
            if (st.jobs.length > 0) {
              await rt.yield();
              st.done.push(st.jobs.shift()!.id);
            }
          },
        ]),
      ),
    });
    const failure = await expectFailure(s, 'exception');
    expect(failure.message).toMatch(/worker-[ab] threw at step \d+: TypeError: Cannot read properties of undefined/);
    expect(failure.message).toMatch(/detectors\.test\.ts/);
    expect(failure.trace.steps.at(-1)!.events.some((e) => e.type === 'error' && /TypeError/.test(e.value ?? ''))).toBe(true);
  });

  it('fires when a thread body throws synchronously (not an async function)', async () => {
    const s = defineScenario({
      name: 'synchronous throw',
      setup: () => ({}),
      threads: {
        good: async (_s, rt) => rt.yield(),
        bad: (() => {
          throw new Error('thrown before any await');
        }) as unknown as () => Promise<void>,
      },
    });
    const failure = await expectFailure(s, 'exception', 1, 10);
    expect(failure.message).toMatch(/bad threw at step \d+: Error: thrown before any await/);
  });

  it('fires when a thread rejects', async () => {
    const s = defineScenario({
      name: 'rejecting thread',
      setup: () => ({}),
      threads: {
        t: async (_s, rt) => {
          await rt.yield();
          return Promise.reject(new Error('rejected on purpose'));
        },
      },
    });
    const failure = await expectFailure(s, 'exception', 1, 10);
    expect(failure.message).toMatch(/t threw at step \d+: Error: rejected on purpose/);
  });

  it('fires on the unhandled rejection of a promise nobody awaits (a fire-and-forget flush)', async () => {
    const s = defineScenario({
      name: 'fire and forget',
      setup: () => ({
        log: [] as string[],
        async flush(this: { log: string[] }): Promise<void> {
          if (this.log.length > 1) throw new Error('flush failed: sink closed');
        },
      }),
      threads: Object.fromEntries(
        ['a', 'b'].map((name) => [
          name,
          async (st: { log: string[]; flush(): Promise<void> }, rt: Runtime) => {
            st.log.push(name);
            await rt.yield();
            void st.flush(); // nobody awaits it
          },
        ]),
      ),
    });
    const failure = await expectFailure(s, 'exception', 1, 10);
    expect(failure.message).toMatch(/a promise nobody awaited rejected, unhandled, at step \d+: Error: flush failed: sink closed/);
  });

  it('fires when a timer callback throws', async () => {
    const s = defineScenario({
      name: 'throwing timer',
      setup: () => {
        const st = { closed: false };
        setTimeout(() => {
          if (st.closed) throw new Error('tick after close');
        }, 10);
        return st;
      },
      threads: {
        closer: async (st) => {
          st.closed = true;
        },
      },
    });
    const failure = await expectFailure(s, 'exception', 1, 10);
    expect(failure.message).toMatch(/timer#\d+ \(a timer callback\) threw at step \d+: Error: tick after close/);
    expect(failure.trace.steps.at(-1)!.actorKind).toBe('timer');
  });

  it('stays silent when errors are caught, rejections handled and timers do not throw (2,000 executions)', async () => {
    const s = defineScenario({
      name: 'errors handled',
      setup: () => {
        const st = { caught: 0, handled: 0, ticks: 0 };
        setTimeout(() => {
          st.ticks++;
        }, 5);
        setImmediate(() => {
          st.ticks++;
        });
        return st;
      },
      threads: {
        catcher: async (st, rt) => {
          try {
            await rt.yield();
            throw new Error('caught');
          } catch {
            st.caught++;
          }
        },
        handler: async (st, rt) => {
          Promise.reject(new Error('handled')).catch(() => {
            st.handled++;
          });
          await rt.yield();
        },
        sleeper: async (_st, rt) => {
          await rt.sleep(3);
        },
      },
      final: (st) => (st.caught === 1 && st.handled === 1 && st.ticks === 2 ? true : JSON.stringify(st)),
    });
    await expectSilent(s, 91);
  });
});

// ---- step limit ----------------------------------------------------------------

describe('step-limit', () => {
  it('fires on a genuine livelock (each thread spins until the other goes first), showing the cycle', async () => {
    const s = defineScenario({
      name: 'after you',
      setup: () => ({ aDone: false, bDone: false }),
      threads: {
        a: async (st, rt) => {
          while (!st.bDone) await rt.yield();
          st.aDone = true;
        },
        b: async (st, rt) => {
          while (!st.aDone) await rt.yield();
          st.bDone = true;
        },
      },
    });
    const failure = await expectFailure(s, 'step-limit', 1, 10, 50);
    const repeating = failure.trace.outcome.repeating ?? [];
    expect(repeating.length).toBeGreaterThan(0);
    expect(repeating.every((label) => /^[ab]: yield$/.test(label))).toBe(true);
    expect(new Set(repeating)).toEqual(new Set(['a: yield', 'b: yield']));
    expect(failure.message).toMatch(/round-robin/);
    expect(failure.message).toContain(repeating.join(' → '));
  });

  it('stays silent on a correct spin-wait even with maxSteps 50, thanks to the fair continuation (2,000 executions)', async () => {
    const s = defineScenario({
      name: 'spin-wait',
      setup: () => ({ flag: false, spins: 0 }),
      threads: {
        spinner: async (st, rt) => {
          while (!st.flag) {
            st.spins++;
            await rt.yield();
          }
        },
        setter: async (st, rt) => {
          for (let i = 0; i < 40; i++) await rt.yield();
          st.flag = true;
        },
      },
      final: (st) => (st.flag ? true : 'flag never set'),
    });
    const result = await expectSilent(s, 101, 2000, 50);
    // The executions really ran past the step budget: the continuation, not luck, let them finish.
    expect(result.steps / result.executions).toBeGreaterThan(50);
  });
});
