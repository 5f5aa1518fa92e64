/**
 * fastq (pinned at 1.20.3), correct: three threads push jobs into
 * `fastq.promise(worker, 1)` and await their results. The worker yields
 * to the harness inside each job, and fastq hands the next job over from a
 * `process.nextTick` callback, so the queue's own machinery runs between
 * the harness's points. One job at a time, every job done, each result the
 * right one.
 */
import fastq from 'fastq';
import { defineScenario, type Runtime } from 'interleave';

interface State {
  readonly queue: fastq.queueAsPromised<number, number>;
  active: number;
  readonly order: number[];
  readonly results: Record<string, number>;
}

export default defineScenario<State>({
  name: 'fastq',
  setup: (rt) => {
    const state: { active: number; order: number[] } = { active: 0, order: [] };
    const queue = fastq.promise(async (job: number) => {
      state.active++;
      state.order.push(job);
      await rt.yield();
      state.active--;
      return job * 10;
    }, 1);
    return Object.assign(state, { queue, results: {} });
  },
  threads: Object.fromEntries(
    [1, 2, 3].map((job) => [
      `client-${job}`,
      async (s: State) => {
        s.results[`client-${job}`] = await s.queue.push(job);
      },
    ]),
  ),
  invariant: (s) => s.active <= 1 || `${s.active} jobs active at once, with concurrency 1`,
  final: (s) =>
    [1, 2, 3].every((job) => s.results[`client-${job}`] === job * 10) || `results ${JSON.stringify(s.results)}, expected each job's own times 10`,
  outcome: (s) => `ran ${s.order.join(',')}`,
  expected: 'ok',
});
