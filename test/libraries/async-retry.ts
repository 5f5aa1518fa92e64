/**
 * async-retry 1.3.3 (correct): `retry(async (bail, attempt) => ..., {
 * retries, minTimeout, factor, randomize: false })` re-runs the function
 * after a backoff (the `retry` package's setTimeout) until it resolves, and
 * `bail(error)` stops retrying. Used as its README shows, with attempts that
 * sleep and yield.
 *
 * Checked (its documented guarantees): a retry never starts sooner than its
 * backoff (`minTimeout * factor ** (n - 1)`) after the failure before it; a
 * function that fails twice resolves on the third attempt with its value; a
 * bailed one rejects with the bail error and is never called again; one
 * that always fails rejects after retries + 1 attempts.
 */
import retry from 'async-retry';
import { defineScenario } from 'interleave';

export const library = { name: 'async-retry', release: '1.3.3', does: 'retry with exponential backoff and bail', expected: 'ok' } as const;

interface Log {
  readonly starts: number[];
  readonly failures: number[];
  result?: string;
}

interface State {
  readonly logs: Record<string, Log>;
}

const options = { retries: 3, minTimeout: 10, factor: 2, randomize: false };

export default defineScenario<State>({
  name: 'async-retry',
  setup: () => ({ logs: { flaky: { starts: [], failures: [] }, bailed: { starts: [], failures: [] }, broken: { starts: [], failures: [] } } }),
  threads: {
    flaky: async (s, rt) => {
      const log = s.logs.flaky!;
      log.result = await retry(async (_bail, attempt) => {
        log.starts.push(Date.now());
        await rt.sleep(3);
        await rt.yield();
        if (attempt < 3) {
          log.failures.push(Date.now());
          throw new Error(`attempt ${attempt}`);
        }
        return `ok after ${attempt}`;
      }, options);
    },
    bailed: async (s, rt) => {
      const log = s.logs.bailed!;
      await rt.yield();
      try {
        await retry(async (bail, attempt) => {
          log.starts.push(Date.now());
          await new Promise((resolve) => setTimeout(resolve, 2));
          log.failures.push(Date.now());
          if (attempt === 2) {
            bail(new Error('bailed'));
            return;
          }
          throw new Error('again');
        }, options);
        log.result = 'resolved';
      } catch (error) {
        log.result = (error as Error).message;
      }
    },
    broken: async (s, rt) => {
      const log = s.logs.broken!;
      try {
        await retry(async (_bail, attempt) => {
          log.starts.push(Date.now());
          await rt.yield();
          log.failures.push(Date.now());
          throw new Error(`broken ${attempt}`);
        }, options);
        log.result = 'resolved';
      } catch (error) {
        log.result = (error as Error).message;
      }
    },
  },
  final: (s) => {
    const problems: string[] = [];
    for (const [name, log] of Object.entries(s.logs)) {
      for (let n = 1; n < log.starts.length; n++) {
        const wanted = options.minTimeout * options.factor ** (n - 1);
        const waited = log.starts[n]! - log.failures[n - 1]!;
        if (waited < wanted) problems.push(`${name}: retry ${n} started ${waited} ms after the failure, before its ${wanted} ms backoff`);
      }
    }
    const { flaky, bailed, broken } = s.logs as Record<string, Log>;
    if (flaky!.result !== 'ok after 3' || flaky!.starts.length !== 3) problems.push(`flaky: ${flaky!.result} after ${flaky!.starts.length} attempts`);
    if (bailed!.result !== 'bailed' || bailed!.starts.length !== 2) problems.push(`bailed: ${bailed!.result} after ${bailed!.starts.length} attempts`);
    if (broken!.result !== 'broken 4' || broken!.starts.length !== 4) problems.push(`broken: ${broken!.result} after ${broken!.starts.length} attempts`);
    return problems.length === 0 || problems.join('; ');
  },
  expected: 'ok',
});
