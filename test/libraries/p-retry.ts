/**
 * p-retry 7.1.1 (correct): `pRetry(run, { retries, minTimeout, factor,
 * randomize: false })` calls `run(attemptNumber)` until it resolves,
 * waiting `minTimeout * factor ** (n - 1)` ms (a plain setTimeout) before
 * the n-th retry, and gives up after `retries` retries; an `AbortError`
 * thrown by `run` stops retrying at once. Used as its README shows, with
 * attempts that sleep and yield before failing.
 *
 * Checked (its documented guarantees): each retry starts no sooner than its
 * backoff delay after the failure before it; a task that fails twice then
 * succeeds resolves with its value after exactly three attempts; one that
 * always fails rejects with its last error after retries + 1 attempts; an
 * AbortError ends it after that attempt, with no further attempt ever made.
 */
import pRetry, { AbortError } from 'p-retry';
import { defineScenario } from 'interleave';

export const library = { name: 'p-retry', release: '7.1.1', does: 'retry a failing async call with exponential backoff', expected: 'ok' } as const;

interface Log {
  readonly starts: number[];
  readonly failures: number[];
  result?: string;
}

interface State {
  readonly logs: Record<string, Log>;
  readonly problems: string[];
}

const options = { retries: 3, minTimeout: 10, factor: 2, randomize: false };

function checkBackoff(name: string, log: Log, problems: string[]): void {
  for (let n = 1; n < log.starts.length; n++) {
    const wanted = options.minTimeout * options.factor ** (n - 1);
    const waited = log.starts[n]! - log.failures[n - 1]!;
    if (waited < wanted) problems.push(`${name}: retry ${n} started ${waited} ms after the failure, before its ${wanted} ms backoff`);
  }
}

export default defineScenario<State>({
  name: 'p-retry',
  setup: () => ({ logs: { flaky: { starts: [], failures: [] }, broken: { starts: [], failures: [] }, aborted: { starts: [], failures: [] } }, problems: [] }),
  threads: {
    flaky: async (s, rt) => {
      const log = s.logs.flaky!;
      log.result = await pRetry(async (attempt) => {
        log.starts.push(Date.now());
        await rt.sleep(4);
        await rt.yield();
        if (attempt < 3) {
          log.failures.push(Date.now());
          throw new Error(`attempt ${attempt} failed`);
        }
        return `ok after ${attempt}`;
      }, options);
    },
    broken: async (s, rt) => {
      const log = s.logs.broken!;
      try {
        await pRetry(async (attempt) => {
          log.starts.push(Date.now());
          await new Promise((resolve) => setTimeout(resolve, 3));
          log.failures.push(Date.now());
          throw new Error(`broken ${attempt}`);
        }, options);
        log.result = 'resolved';
      } catch (error) {
        log.result = (error as Error).message;
      }
    },
    aborted: async (s, rt) => {
      const log = s.logs.aborted!;
      await rt.yield();
      try {
        await pRetry(async (attempt) => {
          log.starts.push(Date.now());
          await rt.yield();
          log.failures.push(Date.now());
          if (attempt === 2) throw new AbortError('give up');
          throw new Error('retry me');
        }, options);
        log.result = 'resolved';
      } catch (error) {
        log.result = (error as Error).message;
      }
    },
  },
  final: (s) => {
    const problems = [...s.problems];
    for (const [name, log] of Object.entries(s.logs)) checkBackoff(name, log, problems);
    const { flaky, broken, aborted } = s.logs as Record<string, Log>;
    if (flaky!.result !== 'ok after 3' || flaky!.starts.length !== 3) problems.push(`flaky: ${flaky!.result} after ${flaky!.starts.length} attempts, expected ok after 3`);
    if (broken!.result !== 'broken 4' || broken!.starts.length !== 4) problems.push(`broken: ${broken!.result} after ${broken!.starts.length} attempts, expected 'broken 4' after 4`);
    if (aborted!.result !== 'give up' || aborted!.starts.length !== 2) problems.push(`aborted: ${aborted!.result} after ${aborted!.starts.length} attempts, expected 'give up' after 2`);
    return problems.length === 0 || problems.join('; ');
  },
  expected: 'ok',
});
