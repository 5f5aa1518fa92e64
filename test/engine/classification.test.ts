/**
 * Classification cases a naive rule would get wrong (DESIGN section 4).
 */
import { describe, expect, it } from 'vitest';
import { defineScenario } from 'interleave';
import { eventLines, expectFailure, kindsOverSeeds } from './fixtures/helpers.ts';
import { leakyLockBuffer, overwritingSentinelRing, splitCheckBuffer, wrongOrderSemaphoreBuffer } from './fixtures/scenarios.ts';

describe('a semaphore buffer that takes the mutex before empty/full', () => {
  it('is a deadlock (not a lost wakeup: nobody waits on a condition), with the holder of the mutex named', async () => {
    // A consumer holding the mutex while it waits for an item looks, to a naive
    // "a consumer waits while a producer wants to run" rule, like a missed signal.
    const { kinds, failures } = await kindsOverSeeds(wrongOrderSemaphoreBuffer(), 8);
    expect(new Set(kinds)).toEqual(new Set(['deadlock']));
    for (const failure of failures) {
      const blocked = failure.trace.outcome.blocked ?? [];
      const inAcquire = blocked.find((b) => /^acquire\((full|empty)\)$/.test(b.waitsFor));
      expect(inAcquire, failure.message).toBeDefined();
      const inLock = blocked.find((b) => b.waitsFor === 'lock(mutex)');
      expect(inLock, failure.message).toBeDefined();
      expect(inLock!.heldBy).toEqual([inAcquire!.thread]);
      expect(failure.message).toContain(`${inLock!.thread} waits in lock(mutex) held by ${inAcquire!.thread}`);
    }
  });
  it('reports the wait-for cycle between the mutex holder and the threads that would release its semaphore', async () => {
    for (const shape of [undefined, { producers: 2, consumers: 2, itemsPerProducer: 2, capacity: 2 }]) {
      const { failures } = await kindsOverSeeds(wrongOrderSemaphoreBuffer(shape), 6);
      for (const failure of failures) {
        const cycle = failure.trace.outcome.cycle;
        expect(cycle, failure.message).toBeDefined();
        expect(cycle![0]).toBe(cycle!.at(-1));
        expect(cycle!.some((t) => t.startsWith('producer-'))).toBe(true);
        expect(cycle!.some((t) => t.startsWith('consumer-'))).toBe(true);
        const blocked = new Map((failure.trace.outcome.blocked ?? []).map((b) => [b.thread, b.heldBy]));
        for (let i = 0; i + 1 < cycle!.length; i++) expect(blocked.get(cycle![i]!)).toContain(cycle![i + 1]);
      }
    }
  });
});

describe('a sentinel ring whose full check lets a put overwrite', () => {
  it('is a lost item, not a capacity violation: its size never leaves 0..capacity', async () => {
    const { kinds, failures } = await kindsOverSeeds(overwritingSentinelRing(), 8);
    // Whether the overwrite shows as an overflow of the sound count or as consumers stuck on a ring
    // that reads empty, the cause named is the lost item, never capacity nor a lost wakeup.
    expect(new Set(kinds)).toEqual(new Set(['lost-item']));
    for (const failure of failures) {
      expect(failure.message).toMatch(/so the buffer must hold at least \d+ item\(?s?\)?.*yet it reports size [0-2]/);
      for (const step of failure.trace.steps) {
        const size = step.snapshot.buffer?.size;
        expect(size).toBeGreaterThanOrEqual(0);
        expect(size).toBeLessThanOrEqual(2);
      }
    }
  });
});

describe('a lost wakeup from a check and a wait in separate lock holds', () => {
  it('is a lost wakeup whose message names the step of the notify that found no waiter', async () => {
    const failure = await expectFailure(splitCheckBuffer(), 'lost-wakeup');
    const match = /the notify meant for it came at step (\d+) \(by producer-0\), after it released lock at step \d+ and before it took it back/.exec(failure.message);
    expect(match, failure.message).not.toBeNull();
    const notifyStep = Number(match![1]);
    expect(notifyStep).toBeLessThan(failure.step);
    // That step of the trace is the producer's put, whose notify found nobody waiting.
    expect(eventLines(failure, notifyStep)).toContain('producer-0: effect notify notEmpty no waiter');
    // And the consumer is still in wait(notEmpty) at the end, while the buffer holds the item.
    const last = failure.trace.steps.at(-1)!;
    expect(last.threadsAfter['consumer-0']).toBe('blocked in wait(notEmpty)');
    expect(last.snapshot.buffer?.size).toBe(1);
  });

  it('is only ever a lost wakeup, under every seed tried', async () => {
    const { kinds } = await kindsOverSeeds(splitCheckBuffer({ producers: 2, consumers: 2, itemsPerProducer: 2, capacity: 2 }), 6);
    expect(new Set(kinds)).toEqual(new Set(['lost-wakeup']));
  });
});

describe('a consumer blocked in lock()', () => {
  it('is never a lost wakeup, even with items buffered: a put that returned holding the lock is a deadlock', async () => {
    // A naive rule ("a consumer waits while the buffer holds items") calls this a lost wakeup.
    const { kinds, failures } = await kindsOverSeeds(leakyLockBuffer(), 6);
    expect(new Set(kinds)).toEqual(new Set(['deadlock']));
    for (const failure of failures) {
      const consumer = failure.trace.outcome.blocked?.find((b) => b.thread === 'consumer-0');
      expect(consumer, failure.message).toBeDefined();
      expect(consumer!.waitsFor).toMatch(/^lock\(lock\)/);
      expect(consumer!.heldBy).toEqual(['producer-0']);
      expect(failure.trace.steps.at(-1)!.snapshot.buffer?.size).toBe(1);
    }
  });

  it('is a deadlock even when another thread in wait() missed a notify', async () => {
    // The waiter holds `outer` while it waits on `ready` (which releases only `inner`);
    // the signaller's notify can come between its check and its wait. The consumer
    // then waits in lock(outer): a deadlock, and the consumer is part of it.
    const s = defineScenario({
      name: 'nested locks and a split wait',
      setup: (rt) => {
        const inner = rt.mutex('inner');
        return { outer: rt.mutex('outer'), inner, ready: rt.condition(inner, 'ready'), flag: false };
      },
      threads: {
        waiter: async (st) => {
          await st.outer.lock();
          await st.inner.lock();
          const flag = st.flag;
          st.inner.unlock();
          await st.inner.lock();
          if (!flag) await st.ready.wait();
          st.inner.unlock();
          st.outer.unlock();
        },
        signaller: async (st) => {
          await st.inner.lock();
          st.flag = true;
          st.ready.notify();
          st.inner.unlock();
        },
        consumer: async (st) => {
          await st.outer.lock();
          st.outer.unlock();
        },
      },
    });
    // Whether the consumer got through before the waiter took `outer` depends on
    // the schedule: if it did, the stuck run is the waiter's lost wakeup alone.
    const { failures } = await kindsOverSeeds(s, 16);
    const withConsumer = failures.filter((f) => f.trace.outcome.blocked?.some((b) => b.thread === 'consumer'));
    const without = failures.filter((f) => !withConsumer.includes(f));
    expect(withConsumer.length).toBeGreaterThan(0);
    expect(without.length).toBeGreaterThan(0);
    for (const failure of withConsumer) {
      expect(failure.kind, failure.message).toBe('deadlock');
      const consumer = failure.trace.outcome.blocked!.find((b) => b.thread === 'consumer');
      expect(consumer).toEqual({ thread: 'consumer', waitsFor: 'lock(outer)', heldBy: ['waiter'] });
    }
    for (const failure of without) {
      expect(failure.kind, failure.message).toBe('lost-wakeup');
      expect(failure.message).toMatch(/waiter waits in wait\(ready\)/);
    }
  });
});

describe('a waiter that saw the signal it later waits after', () => {
  it('is a deadlock, not a lost wakeup: the notify that found no waiter came before the hold in which it read the flag', async () => {
    const s = defineScenario({
      name: 'second signal never sent',
      setup: (rt) => {
        const m = rt.mutex('m');
        return { m, c: rt.condition(m, 'c'), first: false, second: false };
      },
      threads: {
        waiter: async (st) => {
          await st.m.lock();
          while (!st.first) await st.c.wait();
          st.m.unlock();
          await st.m.lock();
          while (!st.second) await st.c.wait();
          st.m.unlock();
        },
        signaller: async (st) => {
          await st.m.lock();
          st.first = true;
          st.c.notify();
          st.m.unlock();
        },
      },
    });
    const { kinds } = await kindsOverSeeds(s, 6);
    expect(new Set(kinds)).toEqual(new Set(['deadlock']));
  });
});
