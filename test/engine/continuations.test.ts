/**
 * Continuations are what the scheduler chooses among (DESIGN §1). A lock or
 * limiter whose release runs the next waiter's task directly (p-limit,
 * p-queue and async-lock all do) runs that task inside the releasing
 * thread's step; when the task waits at a harness point, that continuation
 * stays schedulable even after the releasing thread's body has returned.
 * These scenarios finish on realRuntime and on plain Node, so any finding
 * would be a false alarm.
 */
import { describe, expect, it } from 'vitest';
import pLimit from 'p-limit';
import pLimit3 from 'p-limit-3';
import PQueue from 'p-queue';
import { defineScenario, explore, realRuntime, replay, type Runtime } from 'interleave';

/** The library-free repro: release() calls the next queued task directly, in the releaser's async context. */
class HandoffLock {
  busy = false;
  q: (() => void)[] = [];

  run(fn: () => Promise<void>): Promise<void> {
    return new Promise((res) => {
      const go = (): void => {
        void fn().then(() => {
          res();
          this.release();
        });
      };
      if (!this.busy) {
        this.busy = true;
        go();
      } else this.q.push(go);
    });
  }

  release(): void {
    const next = this.q.shift();
    if (next) next();
    else this.busy = false;
  }
}

type Wait = (rt: Runtime) => Promise<void>;
const waits: [string, Wait][] = [
  ['rt.yield()', (rt) => rt.yield()],
  ['rt.sleep(5)', (rt) => rt.sleep(5)],
  ['setTimeout', () => new Promise((resolve) => setTimeout(resolve, 5))],
];

function handoffScenario(wait: Wait, expectFinal: 'ok' | 'fails' = 'ok') {
  return defineScenario({
    name: 'hand-off lock',
    setup: () => ({ lock: new HandoffLock(), done: 0 }),
    threads: Object.fromEntries(
      ['a', 'b'].map((name) => [
        name,
        async (s: { lock: HandoffLock; done: number }, rt: Runtime) => {
          await s.lock.run(() => wait(rt));
          s.done++;
        },
      ]),
    ),
    final: (s) => (expectFinal === 'ok' ? s.done === 2 || `done ${s.done}` : `done ${s.done} (a final that always fails, to get a trace)`),
  });
}

describe('a release that runs the next waiter’s task (HandoffLock)', () => {
  it.each(waits)('finishes under every schedule when the task waits in %s', async (_label, wait) => {
    const result = await explore(handoffScenario(wait), { runs: 2000, seed: 1 });
    expect(result.failure?.message).toBeUndefined();
    expect(result.ok).toBe(true);
  });

  it('finishes on realRuntime too (the control: the code is correct)', async () => {
    const s = { lock: new HandoffLock(), done: 0 };
    await Promise.all(['a', 'b'].map(async () => {
      await s.lock.run(() => realRuntime.yield());
      s.done++;
    }));
    expect(s.done).toBe(2);
  });

  it('says in the trace when a continuation runs after its thread’s body returned, and whose it is', async () => {
    const result = await explore(handoffScenario((rt) => rt.yield(), 'fails'), { strategy: 'random', runs: 50, seed: 3 });
    expect(result.failure?.kind).toBe('invariant');
    const again = await replay(handoffScenario((rt) => rt.yield(), 'fails'), result.failure!.replay);
    const steps = again.failure!.trace.steps;
    // The second task ran in the first thread's async context (release() called it): its yield belongs to that thread.
    const late = steps.find((s) => s.note?.includes('continuation left running') === true || s.note?.includes('while this continuation was pending') === true);
    expect(late, JSON.stringify(steps.map((s) => [s.actor, s.resumed, s.note]))).toBeDefined();
    expect(Object.values(steps.at(-1)!.threadsAfter).every((t) => t === 'done')).toBe(true);
  });
});

describe('real limiters whose tasks wait at harness points', () => {
  const limiters: [string, () => <T>(task: () => Promise<T>) => Promise<T>][] = [
    ['p-limit 7 (keeps the caller’s async context)', () => pLimit(1)],
    ['p-limit 3 (runs the next task in the releaser’s context)', () => pLimit3(1) as <T>(task: () => Promise<T>) => Promise<T>],
    [
      'p-queue 9',
      () => {
        const queue = new PQueue({ concurrency: 1 });
        return <T,>(task: () => Promise<T>) => queue.add(task) as Promise<T>;
      },
    ],
  ];

  it.each(limiters)('%s: three threads, tasks that sleep, never a false deadlock', async (_label, make) => {
    const scenario = defineScenario({
      name: 'limited tasks',
      setup: () => ({ limit: make(), active: 0, most: 0, done: 0 }),
      threads: Object.fromEntries(
        ['t0', 't1', 't2'].map((name) => [
          name,
          async (s: { limit: ReturnType<typeof make>; active: number; most: number; done: number }, rt: Runtime) => {
            await s.limit(async () => {
              s.active++;
              s.most = Math.max(s.most, s.active);
              await rt.sleep(5);
              await rt.yield();
              s.active--;
            });
            s.done++;
          },
        ]),
      ),
      invariant: (s) => s.active <= 1 || `${s.active} tasks active at once`,
      final: (s) => (s.done === 3 && s.most === 1) || `done ${s.done}, most active at once ${s.most}`,
    });
    const result = await explore(scenario, { runs: 2000, seed: 5 });
    expect(result.failure?.message).toBeUndefined();
    expect(result.ok).toBe(true);
  });
});

describe('the detector still fires on a real bug of the same shape', () => {
  it('a hand-off lock that forgets to hand off is a deadlock', async () => {
    class ForgetfulLock extends HandoffLock {
      override release(): void {
        this.q.shift(); // drops the next waiter instead of running it
        this.busy = false;
      }
    }
    const scenario = defineScenario({
      name: 'forgetful hand-off lock',
      setup: () => ({ lock: new ForgetfulLock(), done: 0 }),
      threads: Object.fromEntries(
        ['a', 'b'].map((name) => [
          name,
          async (s: { lock: ForgetfulLock; done: number }, rt: Runtime) => {
            await s.lock.run(() => rt.yield());
            s.done++;
          },
        ]),
      ),
    });
    const result = await explore(scenario, { runs: 2000, seed: 1 });
    expect(result.failure?.kind).toBe('deadlock');
    expect(result.failure!.message).toMatch(/waits in a promise nothing will resolve/);
  });
});
