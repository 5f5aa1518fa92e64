/**
 * p-queue (pinned at 9.3.5), correct: three producers add tasks to a
 * `PQueue({ concurrency: 2 })` and wait for their results, while a fourth
 * thread waits for the queue to become idle. Each task waits (a harness
 * sleep or yield, a plain setTimeout) while it holds its slot. At most two
 * tasks are ever active and every task runs. When `onIdle()` resolves is
 * part of the outcome, not a check: it may resolve before a producer has
 * added its task at all, and a producer may add one while the watcher's
 * await is still settling.
 */
import PQueue from 'p-queue';
import { defineScenario, type Runtime } from 'interleave';

interface State {
  readonly queue: PQueue;
  active: number;
  done: number;
  /** How many tasks had finished when the watcher's onIdle() returned. */
  idleAt: number;
  readonly finished: string[];
}

const waits: ((rt: Runtime) => Promise<void>)[] = [(rt) => rt.sleep(3), (rt) => rt.yield(), () => new Promise((resolve) => setTimeout(resolve, 3))];

export default defineScenario<State>({
  name: 'p-queue',
  setup: () => ({ queue: new PQueue({ concurrency: 2 }), active: 0, done: 0, idleAt: -1, finished: [] }),
  threads: {
    ...Object.fromEntries(
      waits.map((wait, i) => [
        `producer-${i}`,
        async (s: State, rt: Runtime) => {
          await s.queue.add(async () => {
            s.active++;
            await wait(rt);
            s.active--;
            s.done++;
            s.finished.push(`t${i}`);
          });
        },
      ]),
    ),
    watcher: async (s: State, rt: Runtime) => {
      await rt.yield();
      await s.queue.onIdle();
      s.idleAt = s.done;
    },
  },
  invariant: (s) => s.active <= 2 || `${s.active} tasks active at once, over the concurrency of 2`,
  final: (s) => (s.done === 3 && s.active === 0) || `${s.done} of 3 tasks done, ${s.active} still active`,
  outcome: (s) => `finished ${s.finished.join(',')}; idle after ${s.idleAt}`,
  expected: 'ok',
});
