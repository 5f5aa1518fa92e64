/**
 * p-wait-for 6.0.0 (correct): `pWaitFor(condition, { interval, timeout })`
 * polls `condition` (sync or async) every `interval` ms until it returns
 * true, and rejects with a TimeoutError once `timeout` ms have passed
 * (through `AbortSignal.timeout`). Used as its README shows: one thread sets
 * a flag after sleeping and yielding, three waiters poll for it.
 *
 * Checked (its documented guarantees): a waiter's promise resolves only once
 * its condition has returned true (the flag is set when it resolves, and the
 * condition was called at least once after the flag was set); a waiter whose
 * condition never holds rejects with a TimeoutError, and never before its
 * timeout has passed; a waiter never resolves twice or both ways.
 */
import pWaitFor, { TimeoutError } from 'p-wait-for';
import { defineScenario, type Runtime } from 'interleave';

export const library = { name: 'p-wait-for', release: '6.0.0', does: 'poll a condition until true, with a timeout', expected: 'ok' } as const;

interface State {
  ready: boolean;
  readyAt: number;
  checksAfterReady: number;
  readonly outcome: Record<string, string>;
  readonly problems: string[];
}

export default defineScenario<State>({
  name: 'p-wait-for',
  setup: () => ({ ready: false, readyAt: -1, checksAfterReady: 0, outcome: {}, problems: [] }),
  threads: {
    setter: async (s, rt) => {
      await rt.sleep(25);
      await rt.yield();
      await new Promise((resolve) => setTimeout(resolve, 10));
      s.ready = true;
      s.readyAt = Date.now();
    },
    poller: async (s, rt) => {
      await rt.yield();
      await pWaitFor(() => {
        if (s.ready) s.checksAfterReady++;
        return s.ready;
      }, { interval: 10 });
      if (!s.ready) s.problems.push('poller resolved while the flag was still false');
      s.outcome.poller = 'resolved';
    },
    'async-poller': async (s, rt) => {
      await pWaitFor(async () => {
        await rt.yield();
        return s.ready;
      }, { interval: 7, before: false });
      if (!s.ready) s.problems.push('async-poller resolved while the flag was still false');
      s.outcome['async-poller'] = 'resolved';
    },
    'timed-out': async (s, rt) => {
      await rt.sleep(3);
      const start = Date.now();
      try {
        await pWaitFor(() => false, { interval: 10, timeout: 40 });
        s.problems.push('a condition that never holds resolved');
      } catch (error) {
        const after = Date.now() - start;
        if (!(error instanceof TimeoutError)) s.problems.push(`rejected with ${String(error)} instead of a TimeoutError`);
        else if (after < 40) s.problems.push(`TimeoutError after ${after} ms, before its 40 ms timeout`);
        s.outcome['timed-out'] = 'timeout';
      }
    },
  },
  final: (s) =>
    s.problems.length > 0
      ? s.problems.join('; ')
      : s.checksAfterReady === 1 || `poller's condition returned true ${s.checksAfterReady} times; it should stop polling after the first`,
  expected: 'ok',
});
