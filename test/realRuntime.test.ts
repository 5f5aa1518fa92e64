import { describe, it, expect } from 'vitest';
import { realRuntime as rt } from '../src/runtime/real.ts';
import type { Mutex } from '../src/runtime/types.ts';

/** Lets every pending microtask (promise continuation) run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe('realRuntime.mutex', () => {
  it('gives mutual exclusion under contention', async () => {
    const m = rt.mutex('counter');
    let counter = 0;
    let inside = 0;
    let maxInside = 0;
    const task = async (): Promise<void> => {
      for (let i = 0; i < 20; i++) {
        await m.lock();
        inside++;
        maxInside = Math.max(maxInside, inside);
        const read = counter;
        // Suspend while holding the lock: without exclusion, others would interleave here.
        await rt.yield();
        counter = read + 1;
        inside--;
        m.unlock();
      }
    };
    await Promise.all([task(), task(), task(), task(), task()]);
    expect(maxInside).toBe(1);
    expect(counter).toBe(100);
  });

  it('the contention check above does detect a race when the lock is missing (control)', async () => {
    let counter = 0;
    let inside = 0;
    let maxInside = 0;
    const task = async (): Promise<void> => {
      for (let i = 0; i < 20; i++) {
        inside++;
        maxInside = Math.max(maxInside, inside);
        const read = counter;
        await rt.yield();
        counter = read + 1;
        inside--;
      }
    };
    await Promise.all([task(), task(), task(), task(), task()]);
    expect(maxInside).toBeGreaterThan(1);
    expect(counter).toBeLessThan(100);
  });

  it('lock() on a free mutex returns an already-resolved promise and takes the lock at once', async () => {
    const m = rt.mutex();
    let got = false;
    void m.lock().then(() => {
      got = true;
    });
    // Taken synchronously: nobody else can get it now.
    expect(m.tryLock()).toBe(false);
    await Promise.resolve();
    expect(got).toBe(true);
    m.unlock();
    expect(m.tryLock()).toBe(true);
  });

  it('hands the lock to waiters in FIFO order, with no barging', async () => {
    const m = rt.mutex('fifo');
    await m.lock();
    const order: string[] = [];
    const waiter = (id: string): Promise<void> =>
      m.lock().then(() => {
        order.push(id);
      });
    const all = [waiter('A'), waiter('B'), waiter('C')];
    await settle();
    expect(order).toEqual([]);

    m.unlock(); // handed to A
    // Before A resumes, the lock is already A's: a newcomer cannot take it.
    expect(m.tryLock()).toBe(false);
    const late = waiter('D'); // queues behind B and C
    await settle();
    expect(order).toEqual(['A']);

    m.unlock(); // to B
    await settle();
    m.unlock(); // to C
    await settle();
    m.unlock(); // to D
    await Promise.all([...all, late]);
    expect(order).toEqual(['A', 'B', 'C', 'D']);
    m.unlock();
    expect(m.tryLock()).toBe(true);
  });

  it('tryLock succeeds only when free', () => {
    const m = rt.mutex();
    expect(m.tryLock()).toBe(true);
    expect(m.tryLock()).toBe(false);
    m.unlock();
    expect(m.tryLock()).toBe(true);
    m.unlock();
  });

  it('unlock() of an unlocked mutex throws, naming the mutex', async () => {
    const m = rt.mutex('guard');
    expect(() => m.unlock()).toThrow(/unlock\(\).*'guard'.*not locked/);
    await m.lock();
    m.unlock();
    expect(() => m.unlock()).toThrow(/'guard'/);
  });

  it('gives unnamed mutexes distinct default names', () => {
    const a = rt.mutex();
    const b = rt.mutex();
    let ma = '';
    let mb = '';
    try {
      a.unlock();
    } catch (e) {
      ma = (e as Error).message;
    }
    try {
      b.unlock();
    } catch (e) {
      mb = (e as Error).message;
    }
    expect(ma).toMatch(/'mutex#\d+'/);
    expect(mb).toMatch(/'mutex#\d+'/);
    expect(ma).not.toBe(mb);
  });
});

describe('realRuntime.condition', () => {
  it('rejects a mutex not made by realRuntime.mutex()', () => {
    const fake: Mutex = { lock: () => Promise.resolve(), tryLock: () => true, unlock: () => {} };
    expect(() => rt.condition(fake, 'c')).toThrow(/realRuntime\.mutex\(\)/);
  });

  it('wait() without holding the mutex throws', () => {
    const m = rt.mutex('m');
    const c = rt.condition(m, 'ready');
    expect(() => c.wait()).toThrow(/wait\(\).*'ready'.*without holding.*'m'/);
  });

  it('wait() releases the mutex, and resolves only after notify and re-acquiring it', async () => {
    const m = rt.mutex();
    const c = rt.condition(m);
    await m.lock();
    let woke = false;
    const waiting = c.wait().then(() => {
      woke = true;
    });
    // The mutex was released by wait().
    expect(m.tryLock()).toBe(true);
    await settle();
    expect(woke).toBe(false);

    c.notify(); // while we hold the mutex
    await settle();
    expect(woke).toBe(false); // notified, but must re-acquire the mutex first

    m.unlock(); // handed to the waiter
    await waiting;
    expect(woke).toBe(true);
    // The waiter returned holding the mutex.
    expect(m.tryLock()).toBe(false);
    m.unlock();
    expect(m.tryLock()).toBe(true);
    m.unlock();
  });

  it('notify() wakes the longest waiter first, one at a time', async () => {
    const m = rt.mutex();
    const c = rt.condition(m);
    const woken: string[] = [];
    const waiter = async (id: string): Promise<void> => {
      await m.lock();
      await c.wait();
      woken.push(id);
      m.unlock();
    };
    const all = [waiter('A'), waiter('B'), waiter('C')];
    await settle();
    expect(woken).toEqual([]);

    c.notify();
    await settle();
    expect(woken).toEqual(['A']);
    c.notify();
    await settle();
    expect(woken).toEqual(['A', 'B']);
    c.notify();
    await Promise.all(all);
    expect(woken).toEqual(['A', 'B', 'C']);

    // With nobody waiting, notify is a no-op (and does not touch the mutex).
    c.notify();
    c.notifyAll();
    expect(m.tryLock()).toBe(true);
    m.unlock();
  });

  it('notifyAll() wakes every waiter, each re-acquiring the mutex in turn', async () => {
    const m = rt.mutex();
    const c = rt.condition(m);
    let inside = 0;
    let maxInside = 0;
    const woken: number[] = [];
    const waiter = async (id: number): Promise<void> => {
      await m.lock();
      await c.wait();
      inside++;
      maxInside = Math.max(maxInside, inside);
      woken.push(id);
      await rt.yield(); // hold the re-acquired mutex across a suspension
      inside--;
      m.unlock();
    };
    const all = [0, 1, 2, 3].map(waiter);
    await settle();
    await m.lock();
    c.notifyAll();
    m.unlock();
    await Promise.all(all);
    expect(woken).toEqual([0, 1, 2, 3]);
    expect(maxInside).toBe(1);
    expect(m.tryLock()).toBe(true);
    m.unlock();
  });
});

describe('realRuntime.semaphore', () => {
  it('limits concurrency to the number of permits', async () => {
    const s = rt.semaphore(2, 'pool');
    let active = 0;
    let maxActive = 0;
    let done = 0;
    const task = async (): Promise<void> => {
      await s.acquire();
      active++;
      maxActive = Math.max(maxActive, active);
      await rt.yield();
      await rt.yield();
      active--;
      done++;
      s.release();
    };
    await Promise.all(Array.from({ length: 6 }, task));
    expect(maxActive).toBe(2);
    expect(done).toBe(6);
  });

  it('tryAcquire takes a permit only when one is free', () => {
    const s = rt.semaphore(1);
    expect(s.tryAcquire()).toBe(true);
    expect(s.tryAcquire()).toBe(false);
    s.release();
    expect(s.tryAcquire()).toBe(true);
    const zero = rt.semaphore(0);
    expect(zero.tryAcquire()).toBe(false);
    zero.release();
    expect(zero.tryAcquire()).toBe(true);
  });

  it('release() hands the permit to the first waiter, in FIFO order, with no barging', async () => {
    const s = rt.semaphore(0);
    const order: string[] = [];
    const waiter = (id: string): Promise<void> =>
      s.acquire().then(() => {
        order.push(id);
      });
    const all = [waiter('A'), waiter('B')];
    s.release(); // to A
    expect(s.tryAcquire()).toBe(false);
    await settle();
    expect(order).toEqual(['A']);
    s.release(); // to B
    await Promise.all(all);
    expect(order).toEqual(['A', 'B']);
    expect(s.tryAcquire()).toBe(false);
  });

  it('rejects permits that are not a whole number >= 0, naming the value', () => {
    expect(() => rt.semaphore(-1)).toThrow(/-1/);
    expect(() => rt.semaphore(1.5)).toThrow(/1\.5/);
    expect(() => rt.semaphore(Number.NaN)).toThrow(/NaN/);
    expect(() => rt.semaphore(Number.POSITIVE_INFINITY)).toThrow(/Infinity/);
    expect(() => rt.semaphore(0)).not.toThrow();
  });
});

describe('realRuntime timing', () => {
  it('sleep(ms) waits about ms milliseconds', async () => {
    const start = rt.now();
    await rt.sleep(5);
    // Timers may fire up to ~1 ms early relative to performance.now().
    expect(rt.now() - start).toBeGreaterThanOrEqual(4);
  });

  it('sleep rejects a negative or non-finite ms', async () => {
    await expect(rt.sleep(-1)).rejects.toThrow(/-1/);
    await expect(rt.sleep(Number.NaN)).rejects.toThrow(/NaN/);
    await expect(rt.sleep(Number.POSITIVE_INFINITY)).rejects.toThrow(/Infinity/);
  });

  it('sleep looks up globalThis.setTimeout at call time', async () => {
    const original = globalThis.setTimeout;
    const delays: number[] = [];
    const routed = ((fn: () => void, ms?: number) => {
      delays.push(ms ?? 0);
      return original(fn, 0);
    }) as typeof setTimeout;
    globalThis.setTimeout = routed;
    let pending: Promise<void>;
    try {
      pending = rt.sleep(10_000);
    } finally {
      globalThis.setTimeout = original;
    }
    await pending;
    expect(delays).toEqual([10_000]);
  });

  it('yield() resolves on a macrotask, after already-queued immediates', async () => {
    const events: string[] = [];
    setImmediate(() => events.push('immediate'));
    const y = rt.yield().then(() => events.push('yield'));
    void Promise.resolve().then(() => events.push('microtask'));
    await y;
    expect(events).toEqual(['microtask', 'immediate', 'yield']);
  });

  it('now() is a monotonic millisecond clock', async () => {
    const a = rt.now();
    await rt.sleep(2);
    const b = rt.now();
    expect(typeof a).toBe('number');
    expect(b).toBeGreaterThan(a);
  });
});

describe('bounded buffer on realRuntime', () => {
  it('2 producers and 2 consumers over capacity 2 deliver every item exactly once', async () => {
    const capacity = 2;
    const perProducer = 50;
    const m = rt.mutex('buffer');
    const notFull = rt.condition(m, 'notFull');
    const notEmpty = rt.condition(m, 'notEmpty');
    const buffer: number[] = [];
    let maxSize = 0;

    const put = async (item: number): Promise<void> => {
      await m.lock();
      while (buffer.length === capacity) await notFull.wait();
      buffer.push(item);
      maxSize = Math.max(maxSize, buffer.length);
      notEmpty.notify();
      m.unlock();
    };
    const take = async (): Promise<number> => {
      await m.lock();
      while (buffer.length === 0) await notEmpty.wait();
      const item = buffer.shift();
      notFull.notify();
      m.unlock();
      if (item === undefined) throw new Error('took from an empty buffer');
      return item;
    };

    const producer = async (base: number): Promise<void> => {
      for (let i = 0; i < perProducer; i++) {
        await put(base + i);
        if (i % 7 === 0) await rt.yield();
      }
    };
    const consumed: number[] = [];
    const consumer = async (): Promise<void> => {
      for (let i = 0; i < perProducer; i++) {
        consumed.push(await take());
        if (i % 5 === 0) await rt.yield();
      }
    };

    await Promise.all([consumer(), consumer(), producer(0), producer(1000)]);

    const expected = [...Array.from({ length: perProducer }, (_, i) => i), ...Array.from({ length: perProducer }, (_, i) => 1000 + i)];
    expect(consumed).toHaveLength(2 * perProducer);
    expect([...consumed].sort((a, b) => a - b)).toEqual(expected);
    expect(new Set(consumed).size).toBe(consumed.length);
    expect(buffer).toEqual([]);
    expect(maxSize).toBeLessThanOrEqual(capacity);
    expect(maxSize).toBe(capacity); // the buffer really did fill up
  });
});
