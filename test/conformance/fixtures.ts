/**
 * Promise-world scenarios of the conformance check that are not in the
 * scenario library: the hand-off lock of issue 6 (a release that runs the
 * next waiter's task), and controls that behave differently on real Node,
 * so that the check is seen to fail.
 */
import { defineScenario, type Runtime, type Scenario } from 'interleave';
import { DEFAULT_START_TIME } from '../../src/engine/clock.ts';

class HandoffLock {
  busy = false;
  readonly q: (() => void)[] = [];

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

interface Handoff {
  readonly lock: HandoffLock;
  readonly order: string[];
}

export const handoffLock: Scenario = defineScenario<Handoff>({
  name: 'hand-off lock, tasks that yield, sleep and set timeouts',
  setup: () => ({ lock: new HandoffLock(), order: [] }),
  threads: Object.fromEntries(
    (
      [
        ['a', (rt: Runtime) => rt.yield()],
        ['b', (rt: Runtime) => rt.sleep(2)],
        ['c', () => new Promise<void>((resolve) => setTimeout(resolve, 1))],
      ] as const
    ).map(([name, wait]) => [
      name,
      async (s: Handoff, rt: Runtime) => {
        await s.lock.run(async () => {
          s.order.push(`${name}+`);
          await wait(rt);
          s.order.push(`${name}-`);
        });
      },
    ]),
  ),
  outcome: (s) => s.order.join(' '),
  expected: 'ok',
});

/** Control: its outcome says whether the clock it read is the harness's; real Node gives an outcome the harness never can. */
export const readsWhichClock: Scenario = defineScenario({
  name: 'control: reads which clock it runs on',
  setup: () => ({ at: 0 }),
  threads: {
    t: async (s: { at: number }, rt: Runtime) => {
      await rt.yield();
      s.at = Date.now();
    },
  },
  outcome: (s) => (s.at === DEFAULT_START_TIME ? 'virtual clock' : 'real clock'),
});

/** Control: hangs on real Node only (it waits for a day that real time has long passed); the harness finds nothing to match. */
export const hangsOnlyForReal: Scenario = defineScenario({
  name: 'control: hangs only on real Node',
  setup: () => ({ done: false }),
  threads: {
    t: async (s: { done: boolean }, rt: Runtime) => {
      await rt.yield();
      if (Date.now() > DEFAULT_START_TIME + 86_400_000) await new Promise(() => {});
      s.done = true;
    },
  },
  outcome: (s) => (s.done ? 'done' : 'not done'),
});

/**
 * Control: an outcome only the harness can come to (it reads the virtual
 * clock's first instant, which no real run shows), while every real outcome
 * is one the harness produces too; no directed real run reproduces it and the
 * list does not explain it, so the reverse check fails on it.
 */
export const onlyInTheHarness: Scenario = defineScenario({
  name: 'control: an outcome only the harness comes to',
  setup: () => ({ order: [] as string[], virtual: false }),
  threads: Object.fromEntries(
    ['a', 'b'].map((name) => [
      name,
      async (s: { order: string[]; virtual: boolean }, rt: Runtime) => {
        await rt.yield();
        s.order.push(name);
        s.virtual = Date.now() === DEFAULT_START_TIME;
      },
    ]),
  ),
  outcome: (s) => (s.order.join(' ') === 'b a' && s.virtual ? 'b before a on the virtual clock' : 'done'),
});
