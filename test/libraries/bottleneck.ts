/**
 * bottleneck 2.19.5 (correct): `new Bottleneck({ maxConcurrent, minTime })`
 * schedules jobs (`limiter.schedule(fn)`) so that at most `maxConcurrent`
 * run at once and each launch comes at least `minTime` ms after the
 * previous one was planned (its datastore reserves the next launch time,
 * `nextRequest`, and waits with a plain setTimeout). Used as its README
 * shows, by three threads scheduling jobs after a yield, a sleep and a plain
 * timer; each job sleeps and yields.
 *
 * Checked (its documented guarantees): never more than 2 jobs running;
 * every job runs exactly once and its promise resolves with its result; the
 * k-th launch (in launch order) never comes sooner than k·minTime after the
 * first job was scheduled (launch times are reserved minTime apart; a busy
 * event loop can only make launches later).
 */
import Bottleneck from 'bottleneck';
import { defineScenario, type Runtime } from 'interleave';

export const library = { name: 'bottleneck', release: '2.19.5', does: 'job scheduler with maxConcurrent and minTime', expected: 'ok' } as const;

const MIN_TIME = 20;

interface State {
  readonly limiter: Bottleneck;
  running: number;
  firstScheduled: number;
  readonly launches: number[];
  readonly results: string[];
}

const before: ((rt: Runtime) => Promise<void>)[] = [
  (rt) => rt.yield(),
  (rt) => rt.sleep(15),
  () => new Promise((resolve) => setTimeout(resolve, 30)),
];

export default defineScenario<State>({
  name: 'bottleneck',
  setup: () => ({ limiter: new Bottleneck({ maxConcurrent: 2, minTime: MIN_TIME }), running: 0, firstScheduled: -1, launches: [], results: [] }),
  threads: Object.fromEntries(
    before.map((wait, t) => [
      `scheduler-${t}`,
      async (s: State, rt: Runtime) => {
        await wait(rt);
        const jobs = [0, 1].map((k) => {
          if (s.firstScheduled < 0) s.firstScheduled = Date.now();
          return s.limiter.schedule(async () => {
            s.running++;
            s.launches.push(Date.now());
            await rt.sleep(25 - 10 * k);
            await rt.yield();
            s.running--;
            return `t${t}j${k}`;
          });
        });
        s.results.push(...(await Promise.all(jobs)));
      },
    ]),
  ),
  invariant: (s) => {
    if (s.running > 2) return `${s.running} jobs running at once, over maxConcurrent 2`;
    const sorted = [...s.launches].sort((a, b) => a - b);
    for (let k = 0; k < sorted.length; k++) {
      const after = sorted[k]! - s.firstScheduled;
      if (after < k * MIN_TIME) return `launch ${k + 1} came ${after} ms after the first job was scheduled, sooner than ${k} × minTime ${MIN_TIME} ms`;
    }
    return true;
  },
  final: (s) => (s.results.length === 6 && new Set(s.results).size === 6 && s.launches.length === 6) || `results ${s.results.join(',')}, ${s.launches.length} launches`,
  expected: 'ok',
});
