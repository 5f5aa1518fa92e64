/** Scenarios of a step or two that several mutation suites explore, so that each case takes milliseconds. */
import { defineScenario, type Runtime } from 'interleave';

/** Two threads that each yield once, then log their name: six schedules, outcomes `ab` and `ba`. */
export const twoYields = (final?: (s: { log: string[] }) => true | string, name = 'two yields') =>
  defineScenario({
    name,
    setup: () => ({ log: [] as string[] }),
    threads: {
      a: async (s: { log: string[] }, rt: Runtime) => {
        await rt.yield();
        s.log.push('a');
      },
      b: async (s: { log: string[] }, rt: Runtime) => {
        await rt.yield();
        s.log.push('b');
      },
    },
    outcome: (s) => s.log.join(''),
    ...(final === undefined ? {} : { final }),
  });

/** One thread counting to `n`, yielding after each count: n + 1 steps, outcome `n=<count>`. */
export const counter = (n: number) =>
  defineScenario({
    name: `count to ${n}`,
    setup: () => ({ n: 0 }),
    threads: {
      counter: async (s: { n: number }, rt: Runtime) => {
        for (let i = 0; i < n; i++) {
          s.n++;
          await rt.yield();
        }
      },
    },
    outcome: (s) => `n=${s.n}`,
  });
