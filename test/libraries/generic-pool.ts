/**
 * generic-pool 3.9.0 (correct): `createPool(factory, { max, min,
 * acquireTimeoutMillis, idleTimeoutMillis, evictionRunIntervalMillis })`
 * lends resources made by an async `factory.create` (`await
 * pool.acquire()`, `pool.release(r)`), queues borrowers when `max` are out,
 * rejects an acquire not served within `acquireTimeoutMillis` (a
 * TimeoutError), and an evictor (a plain setTimeout chain) destroys
 * resources idle for `idleTimeoutMillis`. Used as its README shows: five
 * users borrow a resource of a pool of 2 whose acquire timeout is 15 ms, hold
 * it across sleeps, yields and plain timers, and release it; a checker waits for the users, then for the idle resources to be
 * reaped, then drains and clears the pool.
 *
 * Checked (its documented guarantees): a resource is never lent to two
 * borrowers at once, nor destroyed while lent; never more than 2 resources
 * exist; an acquire that times out is rejected no sooner than 15 ms after
 * it began; every other user gets a resource; once all are released, the
 * idle resources are reaped (the pool shrinks to min 0) — the checker polls
 * for up to 2 virtual seconds, so a busy loop cannot make this fail.
 */
import { createPool, type Pool } from 'generic-pool';
import { defineScenario, type Runtime } from 'interleave';

export const library = { name: 'generic-pool', release: '3.9.0', does: 'resource pool with acquire timeout and idle eviction', expected: 'ok' } as const;

interface Resource {
  readonly id: number;
}

interface State {
  readonly pool: Pool<Resource>;
  readonly lent: Set<number>;
  live: number;
  readonly served: string[];
  readonly problems: string[];
  usersLeft: number;
  allDone: () => void;
  readonly done: Promise<void>;
  reaped: string;
}

const ACQUIRE_TIMEOUT = 15;

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
      const r = await s.pool.acquire();
      if (s.lent.has(r.id)) s.problems.push(`resource ${r.id} lent to user-${i} while already lent`);
      s.lent.add(r.id);
      await holds[i % holds.length]!(rt);
      s.lent.delete(r.id);
      await s.pool.release(r);
      s.served.push(`user-${i}`);
    } catch (error) {
      const after = Date.now() - start;
      if ((error as Error).name !== 'TimeoutError') s.problems.push(`user-${i}: acquire rejected with ${String(error)}`);
      else if (after < ACQUIRE_TIMEOUT) s.problems.push(`user-${i}: acquire timed out after ${after} ms, before its ${ACQUIRE_TIMEOUT} ms`);
      s.served.push(`user-${i} timed out`);
    } finally {
      if (--s.usersLeft === 0) s.allDone();
    }
  };
}

export default defineScenario<State>({
  name: 'generic-pool',
  setup: () => {
    let next = 0;
    let allDone = (): void => {};
    const done = new Promise<void>((resolve) => (allDone = resolve));
    const s = { lent: new Set<number>(), live: 0, served: [], problems: [], usersLeft: 5, allDone: () => allDone(), done, reaped: 'not checked' } as unknown as State;
    const pool = createPool<Resource>(
      {
        create: async () => {
          await new Promise((r) => setTimeout(r, 1));
          s.live++;
          return { id: next++ };
        },
        destroy: async (r) => {
          if (s.lent.has(r.id)) s.problems.push(`resource ${r.id} destroyed while lent`);
          s.live--;
        },
      },
      { max: 2, min: 0, acquireTimeoutMillis: ACQUIRE_TIMEOUT, idleTimeoutMillis: 30, evictionRunIntervalMillis: 10 },
    );
    return Object.assign(s, { pool });
  },
  threads: {
    'user-0': user(0),
    'user-1': user(1),
    'user-2': user(2),
    'user-3': user(3),
    'user-4': user(4),
    checker: async (s, rt) => {
      await s.done;
      for (let i = 0; i < 100 && s.pool.size > 0; i++) await rt.sleep(20);
      s.reaped = s.pool.size === 0 ? 'reaped' : `${s.pool.size} resources still in the pool after 2 s idle`;
      await s.pool.drain();
      await s.pool.clear();
    },
  },
  invariant: (s) => {
    if (s.live > 2) return `${s.live} resources exist, over max 2`;
    if (s.pool.borrowed > 2) return `${s.pool.borrowed} resources borrowed, over max 2`;
    return s.problems.length === 0 || s.problems.join('; ');
  },
  final: (s) => {
    if (s.reaped !== 'reaped') return s.reaped;
    if (s.live !== 0) return `${s.live} resources never destroyed`;
    return s.served.length === 5 || `users finished: ${s.served.join(', ')}`;
  },
  outcome: (s) => `timed out: ${s.served.filter((x) => x.includes('timed out')).length}`,
  expected: 'ok',
});

