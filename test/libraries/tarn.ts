/**
 * tarn 3.1.2 (correct): `new Pool({ create, destroy, min, max,
 * acquireTimeoutMillis, idleTimeoutMillis, reapIntervalMillis })` lends
 * resources made by an async `create` (`await pool.acquire().promise`,
 * `pool.release(r)`), queues acquires when `max` are out, rejects one not
 * served within `acquireTimeoutMillis` (a TimeoutError), and reaps resources
 * idle for `idleTimeoutMillis` (a setInterval, stopped when the pool is
 * empty). Used as its README shows (the pool under knex): five users borrow
 * from a pool of 2 whose acquire timeout is 15 ms, hold the resource across
 * sleeps, yields and plain timers, and release it; a checker waits for them,
 * then for the idle resources to be reaped, then destroys the pool.
 *
 * Checked (its documented guarantees): a resource is never lent twice at
 * once, nor destroyed while lent; never more than 2 resources exist, nor
 * more than 2 used; a timed-out acquire is rejected no sooner than 15 ms
 * after it began and never gets a resource afterwards; every user finishes;
 * once all are released the idle resources are reaped (the checker polls
 * for up to 2 virtual seconds) and destroy() leaves none alive.
 */
import { Pool, TimeoutError } from 'tarn';
import { defineScenario, type Runtime } from 'interleave';

export const library = { name: 'tarn', release: '3.1.2', does: 'resource pool with acquire timeout and idle reaping', expected: 'ok' } as const;

const ACQUIRE_TIMEOUT = 15;

interface Resource {
  readonly id: number;
}

interface State {
  readonly pool: Pool<Resource>;
  readonly lent: Set<number>;
  live: number;
  readonly finished: string[];
  readonly problems: string[];
  usersLeft: number;
  allDone: () => void;
  readonly done: Promise<void>;
  reaped: string;
}

const holds: ((rt: Runtime) => Promise<unknown>)[] = [
  (rt) => rt.sleep(12),
  (rt) => rt.yield(),
  () => new Promise((r) => setTimeout(r, 9)),
  async (rt) => {
    await rt.yield();
    await rt.sleep(4);
  },
];

function user(i: number) {
  return async (s: State, rt: Runtime) => {
    if (i % 2 === 1) await rt.yield();
    if (i === 4) await rt.sleep(2);
    const start = Date.now();
    try {
      const r = await s.pool.acquire().promise;
      if (s.lent.has(r.id)) s.problems.push(`resource ${r.id} lent to user-${i} while already lent`);
      s.lent.add(r.id);
      await holds[i % holds.length]!(rt);
      s.lent.delete(r.id);
      s.pool.release(r);
      s.finished.push(`user-${i}`);
    } catch (error) {
      const after = Date.now() - start;
      if (!(error instanceof TimeoutError)) s.problems.push(`user-${i}: acquire rejected with ${String(error)}`);
      else if (after < ACQUIRE_TIMEOUT) s.problems.push(`user-${i}: acquire timed out after ${after} ms, before its ${ACQUIRE_TIMEOUT} ms`);
      s.finished.push(`user-${i} timed out`);
    } finally {
      if (--s.usersLeft === 0) s.allDone();
    }
  };
}

export default defineScenario<State>({
  name: 'tarn',
  setup: () => {
    let next = 0;
    let allDone = (): void => {};
    const done = new Promise<void>((resolve) => (allDone = resolve));
    const s = { lent: new Set<number>(), live: 0, finished: [], problems: [], usersLeft: 5, allDone: () => allDone(), done, reaped: 'not checked' } as unknown as State;
    const pool = new Pool<Resource>({
      create: async () => {
        await new Promise((r) => setTimeout(r, 1));
        s.live++;
        return { id: next++ };
      },
      destroy: (r) => {
        if (s.lent.has(r.id)) s.problems.push(`resource ${r.id} destroyed while lent`);
        s.live--;
      },
      min: 0,
      max: 2,
      acquireTimeoutMillis: ACQUIRE_TIMEOUT,
      idleTimeoutMillis: 30,
      reapIntervalMillis: 10,
    });
    return Object.assign(s, { pool });
  },
  threads: {
    ...Object.fromEntries([0, 1, 2, 3, 4].map((i) => [`user-${i}`, user(i)])),
    checker: async (s, rt) => {
      await s.done;
      for (let i = 0; i < 100 && s.pool.numFree() + s.pool.numUsed() > 0; i++) await rt.sleep(20);
      const left = s.pool.numFree() + s.pool.numUsed();
      s.reaped = left === 0 ? 'reaped' : `${left} resources still in the pool after 2 s idle`;
      await s.pool.destroy();
    },
  },
  invariant: (s) => {
    if (s.live > 2) return `${s.live} resources exist, over max 2`;
    if (s.pool.numUsed() > 2) return `${s.pool.numUsed()} resources used, over max 2`;
    return s.problems.length === 0 || s.problems.join('; ');
  },
  final: (s) => {
    if (s.reaped !== 'reaped') return s.reaped;
    if (s.live !== 0) return `${s.live} resources never destroyed`;
    return s.finished.length === 5 || `users finished: ${s.finished.join(', ')}`;
  },
  outcome: (s) => `timed out: ${s.finished.filter((x) => x.includes('timed out')).length}`,
  expected: 'ok',
});
