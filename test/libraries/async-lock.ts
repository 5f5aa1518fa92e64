/**
 * async-lock 1.5.0 (correct): `lock.acquire(key, fn, opts)` runs `fn` while
 * holding the lock on `key` (or on every key of an array, taken in order),
 * one holder per key at a time, in FIFO order; `timeout` rejects a waiter
 * that has not got the lock within that many ms (a plain setTimeout) with
 * "async-lock timed out". Used as its README shows (promise mode), by
 * threads whose critical sections sleep, yield and wait on plain timers.
 *
 * Checked (its documented guarantees): never two holders of one key (also
 * through the two-key acquire); every section not timed out runs exactly
 * once; a timed-out waiter is rejected no sooner than its timeout after it
 * queued and its section never runs; `isBusy()` is false at the end.
 */
import AsyncLock from 'async-lock';
import { defineScenario, type Runtime } from 'interleave';

export const library = { name: 'async-lock', release: '1.5.0', does: 'keyed async lock with multi-key acquire and timeout', expected: 'ok' } as const;

interface State {
  readonly lock: AsyncLock;
  readonly holders: Record<string, number>;
  readonly ran: string[];
  readonly timedOut: string[];
  readonly problems: string[];
}

function section(s: State, keys: string[], name: string, wait: (rt: Runtime) => Promise<unknown>, rt: Runtime) {
  return async () => {
    for (const k of keys) s.holders[k] = (s.holders[k] ?? 0) + 1;
    await wait(rt);
    await rt.yield();
    for (const k of keys) s.holders[k]!--;
    s.ran.push(name);
  };
}

export default defineScenario<State>({
  name: 'async-lock',
  setup: () => ({ lock: new AsyncLock(), holders: {}, ran: [], timedOut: [], problems: [] }),
  threads: {
    'a-1': async (s, rt) => {
      await s.lock.acquire('a', section(s, ['a'], 'a-1', (r) => r.sleep(10), rt));
      await s.lock.acquire('b', section(s, ['b'], 'b-1', (r) => r.yield(), rt));
    },
    'a-2': async (s, rt) => {
      await rt.yield();
      await s.lock.acquire('a', section(s, ['a'], 'a-2', () => new Promise((r) => setTimeout(r, 5)), rt));
    },
    'ab': async (s, rt) => {
      await rt.sleep(2);
      await s.lock.acquire(['a', 'b'], section(s, ['a', 'b'], 'ab', (r) => r.sleep(4), rt));
    },
    'b-impatient': async (s, rt) => {
      await rt.sleep(3);
      const start = Date.now();
      try {
        await s.lock.acquire('a', section(s, ['a'], 'impatient', (r) => r.yield(), rt), { timeout: 8 });
      } catch (error) {
        const after = Date.now() - start;
        if (!String((error as Error).message).includes('timed out')) s.problems.push(`impatient rejected with ${String(error)}`);
        else if (after < 8) s.problems.push(`impatient timed out after ${after} ms, before its 8 ms`);
        s.timedOut.push('impatient');
      }
    },
  },
  invariant: (s) => {
    for (const [k, n] of Object.entries(s.holders)) if (n > 1) return `${n} holders of key ${k}`;
    return s.problems.length === 0 || s.problems.join('; ');
  },
  final: (s) => {
    const wanted = ['a-1', 'b-1', 'a-2', 'ab', ...(s.timedOut.includes('impatient') ? [] : ['impatient'])];
    const sorted = (xs: string[]) => [...xs].sort().join(',');
    if (sorted(s.ran) !== sorted(wanted)) return `sections run: ${s.ran.join(',')}; expected ${wanted.join(',')}`;
    return !s.lock.isBusy() || 'the lock is still busy at the end';
  },
  outcome: (s) => `impatient ${s.timedOut.length > 0 ? 'timed out' : 'ran'}`,
  expected: 'ok',
});
