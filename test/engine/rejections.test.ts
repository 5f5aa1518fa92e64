/**
 * Unhandled rejections are reported by Node only on an event-loop turn, which
 * the exploration takes once per batch of executions. Node reports each in
 * the async context of the promise that rejected, so the execution that left
 * it is known exactly (engine/resources.ts).
 */
import { describe, expect, it } from 'vitest';
import { defineScenario, explore, replay, type Runtime } from 'interleave';

describe('an unhandled rejection left by one schedule among many', () => {
  const flaky = defineScenario({
    name: 'flush fails only when the writer runs second',
    setup: () => ({ closed: false }),
    threads: {
      closer: async (s: { closed: boolean }, rt: Runtime) => {
        await rt.yield();
        s.closed = true;
      },
      writer: async (s: { closed: boolean }, rt: Runtime) => {
        await rt.yield();
        await rt.yield();
        // fire-and-forget: nobody awaits the flush, so its rejection goes unhandled
        void (async () => {
          if (s.closed) throw new Error('flush after close');
        })();
      },
    },
  });

  it('is pinned on the execution that made it, and its token replays to the same failure', async () => {
    const result = await explore(flaky, { strategy: 'random', runs: 2000, seed: 4 });
    expect(result.failure?.kind).toBe('exception');
    expect(result.failure!.message).toMatch(/a promise nobody awaited rejected, unhandled, at step \d+: Error: flush after close/);
    const again = await replay(flaky, result.failure!.replay);
    expect(again.failure?.kind).toBe('exception');
    expect(again.failure?.step).toBe(result.failure!.step);
  });

  it('is silent when the flush is awaited and its error handled', async () => {
    const handled = defineScenario({
      name: 'flush error handled',
      setup: () => ({ closed: false, errors: 0 }),
      threads: {
        closer: async (s: { closed: boolean; errors: number }, rt: Runtime) => {
          await rt.yield();
          s.closed = true;
        },
        writer: async (s: { closed: boolean; errors: number }, rt: Runtime) => {
          await rt.yield();
          await (async () => {
            if (s.closed) throw new Error('flush after close');
          })().catch(() => s.errors++);
        },
      },
    });
    const result = await explore(handled, { strategy: 'random', runs: 2000, seed: 4 });
    expect(result.ok).toBe(true);
    expect(result.executions).toBe(2000);
  });
});

describe('an unhandled rejection that does not happen again when re-run', () => {
  it('is reported as nondeterminism: pinned on the execution that made it, which does not reject again when re-run', async () => {
    let firstTime = true; // kept between executions: the scenario depends on it
    const once = defineScenario({
      name: 'rejects on the first execution only',
      setup: () => ({}),
      threads: {
        a: async (_s, rt: Runtime) => {
          await rt.yield();
          if (firstTime) {
            firstTime = false;
            void Promise.reject(new Error('only once'));
          }
        },
      },
    });
    const result = await explore(once, { strategy: 'random', runs: 100, seed: 1 });
    expect(result.failure?.kind).toBe('nondeterminism');
    expect(result.failure!.message).toMatch(
      /^\[nondeterminism\] rejects on the first execution only: exploration found exception at step 2, but re-running the same schedule \(to record it\) gave no failure: .*First finding: a promise nobody awaited rejected, unhandled, at step 2: Error: only once/s,
    );
  });
});
