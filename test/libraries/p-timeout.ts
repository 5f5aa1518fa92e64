/**
 * p-timeout 7.0.2 (correct): `pTimeout(promise, { milliseconds, signal })`
 * decorates a promise so that it rejects with a TimeoutError once
 * `milliseconds` have passed, unless the promise settles first; an
 * AbortSignal rejects it early with the signal's reason; `.clear()` cancels
 * the timeout. Used as its README shows, on work made of plain setTimeout,
 * harness sleeps and yields.
 *
 * Checked (its documented guarantees): a TimeoutError never comes before
 * its milliseconds have passed; work whose only wait is a timer due before
 * the timeout's wins, and work due after it loses; an abort due before the
 * timeout rejects with the abort reason, not a timeout; a cleared timeout
 * never fires, so the work's own result comes through. Every timer here
 * has a duration no other timer of the scenario uses: Node keeps one list
 * per duration and, when the loop runs late, runs every due timer of the
 * list whose first timer is due earliest before the next list, so a timer
 * can fire before an earlier deadline of another duration (setTimeout(A,
 * 100) and setTimeout(B, 150) at 0 and setTimeout(C, 100) at 60 fire A, C,
 * B); with one timer per duration, the earlier deadline always fires first.
 * Work with a yield after its timer may lose to the timeout when the loop
 * runs late: the outcome shows which.
 */
import pTimeout, { TimeoutError } from 'p-timeout';
import { defineScenario, type Runtime } from 'interleave';

export const library = { name: 'p-timeout', release: '7.0.2', does: 'timeout a promise, with abort and clear', expected: 'ok' } as const;

interface State {
  readonly result: Record<string, string>;
  readonly problems: string[];
}

const later = <T>(ms: number, value: T): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), ms));

/** How a decorated promise settled, and how long after the call. */
async function settle(p: Promise<unknown>): Promise<{ how: string; after: number }> {
  const start = Date.now();
  try {
    const value = await p;
    return { how: `value ${String(value)}`, after: Date.now() - start };
  } catch (error) {
    const how = error instanceof TimeoutError ? 'timeout' : error instanceof Error ? error.name : String(error);
    return { how, after: Date.now() - start };
  }
}

export default defineScenario<State>({
  name: 'p-timeout',
  setup: () => ({ result: {}, problems: [] }),
  threads: {
    quick: async (s, rt) => {
      await rt.yield();
      const { how, after } = await settle(pTimeout(later(20, 'quick'), { milliseconds: 47 }));
      s.result.quick = how;
      if (how !== 'value quick') s.problems.push(`work due at 20 ms lost to a 47 ms timeout: ${how} after ${after} ms`);
    },
    slow: async (s, rt) => {
      const work = (async () => {
        await rt.sleep(80);
        return 'slow';
      })();
      const { how, after } = await settle(pTimeout(work, { milliseconds: 50 }));
      s.result.slow = how;
      if (how !== 'timeout') s.problems.push(`work of 80 ms under a 50 ms timeout ended with ${how}`);
      else if (after < 50) s.problems.push(`TimeoutError after ${after} ms, before its 50 ms`);
    },
    aborted: async (s, rt) => {
      await rt.sleep(5);
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 30);
      const { how, after } = await settle(pTimeout(later(100, 'late'), { milliseconds: 60, signal: controller.signal }));
      s.result.aborted = how;
      if (how !== 'AbortError') s.problems.push(`abort due at 30 ms, timeout at 60 ms, yet it ended with ${how} after ${after} ms`);
      else if (after < 30) s.problems.push(`aborted after ${after} ms, before the abort at 30 ms`);
    },
    cleared: async (s, rt) => {
      const work = (async () => {
        await later(65, null);
        await rt.yield();
        return 'cleared';
      })();
      const decorated = pTimeout(work, { milliseconds: 40 });
      decorated.clear();
      const { how } = await settle(decorated);
      s.result.cleared = how;
      if (how !== 'value cleared') s.problems.push(`a cleared timeout still decided: ${how}`);
    },
    yielding: async (s, rt) => {
      const work = (async () => {
        await rt.sleep(10);
        await rt.yield();
        return 'yielding';
      })();
      const { how, after } = await settle(pTimeout(work, { milliseconds: 55 }));
      s.result.yielding = how;
      if (how === 'timeout' && after < 55) s.problems.push(`TimeoutError after ${after} ms, before its 55 ms`);
    },
  },
  final: (s) => s.problems.length === 0 ? (Object.keys(s.result).length === 5 || `only ${Object.keys(s.result).join(',')} settled`) : s.problems.join('; '),
  outcome: (s) => `yielding: ${s.result.yielding ?? 'pending'}`,
  expected: 'ok',
});
