/**
 * async-mutex 0.5.0 (correct): `Mutex` (`runExclusive`, `acquire`,
 * `waitForUnlock`, `isLocked`), `Semaphore(n)` and `withTimeout(mutex, ms)`.
 * Used as its README shows, in promise-world code whose critical sections
 * sleep and yield:
 *
 * - two holders take a Mutex with `runExclusive` twice each, while a
 *   watcher waits for it with `waitForUnlock()`; three workers share a
 *   Semaphore(2); a third thread holds a `withTimeout(new Mutex(), 30)` for
 *   60 ms while another tries to acquire it.
 *
 * Checked (its documented guarantees): one holder at a time in the Mutex,
 * at most two in the Semaphore(2); `waitForUnlock()` "resolves once the
 * mutex is unlocked": when the watcher resumes, the mutex is not locked
 * (since 0.4.0 it resolves only once no waiter is queued, and nothing else
 * runs between that release and the watcher's continuation on Node — the
 * holders only take the mutex again from a macrotask of their own); a
 * timed-out acquire rejects with E_TIMEOUT no sooner than 30 ms after it
 * began, and then never holds the lock; every section runs.
 *
 * The factory is reused by async-mutex-0.3.2.ts, the release whose
 * waitForUnlock resolved while a queued waiter took the mutex.
 */
import * as current from 'async-mutex';
import { defineScenario, type Runtime, type Scenario } from 'interleave';

export const library = { name: 'async-mutex', release: '0.5.0', does: 'mutex (waitForUnlock), semaphore, withTimeout', expected: 'ok' } as const;

/** What the scenario uses of a Mutex (the same in 0.3.2 and 0.5.0). */
interface MutexLike {
  acquire(): Promise<() => void>;
  runExclusive<T>(callback: () => Promise<T> | T): Promise<T>;
  waitForUnlock(): Promise<void>;
  isLocked(): boolean;
}

interface SemaphoreLike {
  runExclusive<T>(callback: () => Promise<T> | T): Promise<T>;
}

/** The module's exports the scenario uses. */
interface Lib {
  Mutex: new () => MutexLike;
  Semaphore: new (value: number) => SemaphoreLike;
  withTimeout(mutex: MutexLike, timeout: number): MutexLike;
  E_TIMEOUT: Error;
}

interface State {
  readonly mutex: MutexLike;
  readonly sema: SemaphoreLike;
  readonly timed: MutexLike;
  inMutex: number;
  inSema: number;
  timedHeld: number;
  readonly sections: string[];
  readonly problems: string[];
  watcher: string;
}

let epoch = 0;

export function asyncMutexScenario(name: string, lib: Lib, expected: 'ok' | 'invariant'): Scenario {
  const holder = (who: string) => async (s: State, rt: Runtime) => {
    for (let round = 0; round < 2; round++) {
      if (round > 0 || who === 'b') await rt.yield();
      await s.mutex.runExclusive(async () => {
        s.inMutex++;
        await rt.sleep(5);
        await rt.yield();
        s.inMutex--;
        s.sections.push(`${who}${round}`);
      });
    }
  };
  const worker = (i: number) => async (s: State, rt: Runtime) => {
    await s.sema.runExclusive(async () => {
      s.inSema++;
      if (i === 0) await rt.yield();
      else await new Promise((resolve) => setTimeout(resolve, 4 * i));
      s.inSema--;
      s.sections.push(`sema${i}`);
    });
  };
  return defineScenario<State>({
    name,
    setup: () => {
      epoch = Date.now();
      return {
        mutex: new lib.Mutex(),
        sema: new lib.Semaphore(2),
        timed: lib.withTimeout(new lib.Mutex(), 30),
        inMutex: 0,
        inSema: 0,
        timedHeld: 0,
        sections: [],
        problems: [],
        watcher: 'waiting',
      };
    },
    threads: {
      'holder-a': holder('a'),
      'holder-b': holder('b'),
      watcher: async (s, rt) => {
        await rt.yield();
        await s.mutex.waitForUnlock();
        s.watcher = s.mutex.isLocked() ? `resumed from waitForUnlock() at ${Date.now() - epoch} ms while the mutex is locked` : 'saw it unlocked';
      },
      'sema-0': worker(0),
      'sema-1': worker(1),
      'sema-2': worker(2),
      'timed-holder': async (s, rt) => {
        const release = await s.timed.acquire();
        s.timedHeld++;
        await rt.sleep(60);
        s.timedHeld--;
        release();
      },
      'timed-waiter': async (s, rt) => {
        await rt.sleep(1);
        const start = Date.now();
        try {
          const release = await s.timed.acquire();
          s.timedHeld++;
          await rt.yield();
          s.timedHeld--;
          release();
          s.sections.push('timed');
        } catch (error) {
          const after = Date.now() - start;
          if (error !== lib.E_TIMEOUT) s.problems.push(`timed acquire rejected with ${String(error)}`);
          else if (after < 30) s.problems.push(`timed acquire timed out after ${after} ms, before its 30 ms`);
          s.sections.push('timed-out');
        }
      },
    },
    invariant: (s) => {
      if (s.inMutex > 1) return `${s.inMutex} holders inside the Mutex`;
      if (s.inSema > 2) return `${s.inSema} workers inside a Semaphore(2)`;
      if (s.timedHeld > 1) return `${s.timedHeld} holders of the withTimeout mutex`;
      if (s.watcher.startsWith('resumed')) return s.watcher;
      return s.problems.length === 0 || s.problems.join('; ');
    },
    final: (s) => {
      if (s.watcher !== 'saw it unlocked') return `watcher: ${s.watcher}`;
      if (s.timed.isLocked()) return 'the withTimeout mutex is still locked at the end: a timed-out acquire kept it';
      const wanted = ['a0', 'a1', 'b0', 'b1', 'sema0', 'sema1', 'sema2'];
      const missing = wanted.filter((x) => !s.sections.includes(x));
      return missing.length === 0 || `sections never ran: ${missing.join(', ')}`;
    },
    outcome: (s) => `timed waiter: ${s.sections.includes('timed') ? 'acquired' : 'timed out'}`,
    expected,
  });
}

export default asyncMutexScenario('async-mutex', current, 'ok');
