/**
 * p-limit (pinned at 7.3.3), correct: four workers run their tasks through
 * `pLimit(2)`. A task's release runs the next queued task directly, in the
 * queuing caller's async context, so a task's waits (a harness sleep, a
 * harness yield, a plain setTimeout) are continuations that outlive the
 * releasing step. At most two tasks are ever active; every task runs.
 */
import pLimit from 'p-limit';
import { defineScenario, type Runtime } from 'interleave';

interface State {
  readonly limit: ReturnType<typeof pLimit>;
  active: number;
  readonly started: string[];
  readonly finished: string[];
}

const waits: ((rt: Runtime) => Promise<void>)[] = [
  (rt) => rt.sleep(5),
  (rt) => rt.yield(),
  () => new Promise((resolve) => setTimeout(resolve, 5)),
  (rt) => rt.sleep(1),
];

export default defineScenario<State>({
  name: 'p-limit',
  setup: () => ({ limit: pLimit(2), active: 0, started: [], finished: [] }),
  threads: Object.fromEntries(
    waits.map((wait, i) => [
      `worker-${i}`,
      async (s: State, rt: Runtime) => {
        await s.limit(async () => {
          s.active++;
          s.started.push(`w${i}`);
          await wait(rt);
          s.active--;
          s.finished.push(`w${i}`);
        });
      },
    ]),
  ),
  invariant: (s) => s.active <= 2 || `${s.active} tasks active at once, over the limit of 2`,
  final: (s) => (s.finished.length === 4 && s.active === 0) || `${s.finished.length} of 4 tasks finished, ${s.active} still active`,
  outcome: (s) => `started ${s.started.join(',')}; finished ${s.finished.join(',')}`,
  expected: 'ok',
});
