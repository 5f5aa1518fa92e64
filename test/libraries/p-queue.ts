/**
 * p-queue 9.3.5 (correct), its interval options: `new PQueue({ concurrency,
 * intervalCap, interval, strict })` runs at most `concurrency` tasks at once
 * and starts at most `intervalCap` tasks per `interval` ms — per fixed
 * window (a setInterval) by default, per sliding window with `strict: true`.
 * Used as its README shows, in two scenarios:
 *
 * - 'p-queue interval strict': three producers add tasks (after a yield, a
 *   sleep, a plain timer) to a queue of concurrency 2, 2 per 50 ms, sliding
 *   window; each task sleeps and yields. Checked: never more than 2 tasks
 *   running; never more than 2 starts in any (t − 50 ms, t] (strict mode
 *   decides at the moment of each start, on the real start times, so this
 *   holds however late timers fire); every task runs exactly once; onIdle()
 *   resolves only when nothing is queued or running.
 * - 'p-queue interval awaited adds': the pattern of p-queue issue #182,
 *   intervalCap 1 per 50 ms: three tasks added at once, then three added one
 *   after the other, each awaited, with a yield or a sleep between. Checked:
 *   the k-th task (k ≥ 1) never starts before k·50 ms of the first start's
 *   fixed windows have begun, and two tasks never start at the same instant
 *   (two starts at one instant would have to share a window of 50 ms).
 *
 * The second scenario's factory is reused by p-queue-8.1.1.ts, the release
 * where an awaited add skipped the interval.
 */
import PQueue from 'p-queue';
import { defineScenario, type Runtime, type Scenario } from 'interleave';

export const library = { name: 'p-queue', release: '9.3.5', does: 'promise queue with concurrency and interval caps', expected: 'ok' } as const;

const INTERVAL = 50;

interface StrictState {
  readonly queue: PQueue;
  active: number;
  readonly starts: number[];
  readonly done: string[];
  readonly problems: string[];
}

let epoch = 0;
const now = (): number => Date.now() - epoch;

const strict = defineScenario<StrictState>({
  name: 'p-queue interval strict',
  setup: () => {
    epoch = Date.now();
    return { queue: new PQueue({ concurrency: 2, intervalCap: 2, interval: INTERVAL, strict: true }), active: 0, starts: [], done: [], problems: [] };
  },
  threads: Object.fromEntries(
    [
      (rt: Runtime) => rt.yield(),
      (rt: Runtime) => rt.sleep(20),
      () => new Promise<void>((resolve) => setTimeout(resolve, 35)),
    ].map((before, p) => [
      `producer-${p}`,
      async (s: StrictState, rt: Runtime) => {
        await before(rt);
        const tasks = [0, 1].map((k) =>
          s.queue.add(async () => {
            s.active++;
            s.starts.push(now());
            await rt.sleep(10 + 5 * k);
            await rt.yield();
            s.active--;
            s.done.push(`p${p}t${k}`);
          }),
        );
        await Promise.all(tasks);
      },
    ]).concat([
      [
        'idle-watcher',
        async (s: StrictState, rt: Runtime) => {
          await rt.sleep(40);
          await s.queue.onIdle();
          if (s.queue.size !== 0 || s.queue.pending !== 0) s.problems.push(`onIdle() resolved with ${s.queue.size} queued and ${s.queue.pending} running`);
        },
      ],
    ]),
  ),
  invariant: (s) => {
    if (s.active > 2) return `${s.active} tasks running at once, over the concurrency of 2`;
    for (const t of s.starts) {
      const inWindow = s.starts.filter((u) => u > t - INTERVAL && u <= t).length;
      if (inWindow > 2) return `${inWindow} tasks started in the ${INTERVAL} ms up to ${t} ms (starts: ${s.starts.join(', ')}), over the strict cap of 2`;
    }
    return s.problems.length === 0 || s.problems.join('; ');
  },
  final: (s) => (s.done.length === 6 && new Set(s.done).size === 6) || `tasks done: ${s.done.join(',')}`,
  expected: 'ok',
});

interface AwaitedState {
  readonly queue: { add(task: () => Promise<void>): Promise<unknown> };
  readonly starts: { task: number; at: number }[];
}

/** p-queue issue #182's pattern: three tasks added at once, then three awaited one by one. */
export function awaitedAddsScenario(name: string, make: () => AwaitedState['queue'], expected: 'ok' | 'invariant'): Scenario {
  return defineScenario<AwaitedState>({
    name,
    setup: () => {
      epoch = Date.now();
      return { queue: make(), starts: [] };
    },
    threads: {
      user: async (s, rt) => {
        const task = (n: number) => async () => {
          s.starts.push({ task: n, at: now() });
          await rt.yield();
        };
        const first = [1, 2, 3].map((n) => s.queue.add(task(n)));
        await s.queue.add(task(4));
        await rt.yield();
        await s.queue.add(task(5));
        await rt.sleep(5);
        await s.queue.add(task(6));
        await Promise.all(first);
      },
    },
    invariant: (s) => {
      const first = s.starts[0]?.at ?? 0;
      for (let k = 1; k < s.starts.length; k++) {
        const { task, at } = s.starts[k]!;
        if (at === s.starts[k - 1]!.at) return `tasks ${s.starts[k - 1]!.task} and ${task} both started at ${at} ms, with intervalCap 1 per ${INTERVAL} ms`;
        if (k <= 3 && at - first < k * INTERVAL) return `task ${task} started ${at - first} ms after the first, before window ${k + 1} began at ${k * INTERVAL} ms`;
      }
      return true;
    },
    final: (s) => s.starts.map((x) => x.task).join(',') === '1,2,3,4,5,6' || `tasks started in the order ${s.starts.map((x) => x.task).join(',')}`,
    outcome: (s) => `starts at ${s.starts.map((x) => x.at).join(', ')}`,
    expected,
  });
}

const awaited = awaitedAddsScenario('p-queue interval awaited adds', () => new PQueue({ intervalCap: 1, interval: INTERVAL }), 'ok');

export default [strict, awaited];
