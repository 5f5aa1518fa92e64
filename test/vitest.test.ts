/**
 * The vitest side: `interleave/vitest` registers matchers whose failure
 * message is the text report with the replay command.
 */
import { describe, expect, it } from 'vitest';
import 'interleave/vitest';
import { producerConsumer } from 'interleave';
import { toHaveInterleavingBug, toSurviveInterleavings } from '../src/vitest/matchers.ts';
import { racyCounter as counterWithoutLock, safeCounter } from './fixtures/counters.ts';
import correctUnderLock, { microtaskLoop, syncLoop } from './fixtures/hang/scenarios.ts';

const racyCounter = counterWithoutLock();

describe('toSurviveInterleavings', () => {
  it('passes on a correct scenario', async () => {
    await expect(safeCounter).toSurviveInterleavings({ runs: 500, seed: 1 });
  });

  it('fails on a buggy one with the text report and the replay token in its message', async () => {
    const result = await toSurviveInterleavings(racyCounter, { runs: 500, seed: 1 });
    expect(result.pass).toBe(false);
    const message = result.message();
    expect(message).toContain("expected 'counter without a lock' to survive every interleaving");
    expect(message).toContain('= Interleave: invariant in scenario');
    expect(message).toMatch(/\| step \| a +\| b +\|/);
    // It ends with the command that replays this very test's failure through vitest.
    const token = /Replay token: (IL1-[A-Za-z0-9_-]+)/.exec(message)![1];
    expect(message.endsWith(
      `Replay it:    INTERLEAVE_REPLAY=${token} npx vitest run test/vitest.test.ts -t '^toSurviveInterleavings fails on a buggy one with the text report and the replay token in its message$'`,
    )).toBe(true);
    // And through expect(): the assertion error carries the same message.
    await expect(expect(racyCounter).toSurviveInterleavings({ runs: 500, seed: 1 })).rejects.toThrow(/IL1-[A-Za-z0-9_-]+/);
  });
});

describe('toHaveInterleavingBug', () => {
  it('passes when the bug of the named kind is found', async () => {
    await expect(racyCounter).toHaveInterleavingBug('invariant', { runs: 500, seed: 2 });
    await expect(racyCounter).toHaveInterleavingBug(['deadlock', 'invariant'], { runs: 500, seed: 2 });
    await expect(racyCounter).toHaveInterleavingBug(undefined, { runs: 500, seed: 2 });
  });

  it('fails when no bug, or a bug of another kind, is found', async () => {
    const none = await toHaveInterleavingBug(safeCounter, 'invariant', { runs: 300, seed: 3 });
    expect(none.pass).toBe(false);
    expect(none.message()).toMatch(/to show a bug of kind invariant, but \d+ executions \(every schedule there is\), .* found none/);
    const other = await toHaveInterleavingBug(racyCounter, 'deadlock', { runs: 500, seed: 3 });
    expect(other.pass).toBe(false);
    expect(other.message()).toMatch(/failed with invariant at step \d+/);
    await expect(expect(safeCounter).toHaveInterleavingBug('deadlock', { runs: 200, seed: 4 })).rejects.toThrow(/found none/);
  });

  it('works on producerConsumer scenarios', async () => {
    const leaky = producerConsumer({
      name: 'forgets to unlock when full',
      create: (rt, { capacity }) => {
        const lock = rt.mutex('lock');
        const items: unknown[] = [];
        return {
          get size() {
            return items.length;
          },
          async put(item: unknown) {
            await lock.lock();
            if (items.length >= capacity) return; // returns holding the lock, and drops the item
            items.push(item);
            lock.unlock();
          },
          async take() {
            for (;;) {
              await lock.lock();
              if (items.length > 0) {
                const item = items.shift();
                lock.unlock();
                return item;
              }
              lock.unlock();
              await rt.yield();
            }
          },
        };
      },
      capacity: 1,
      producers: 2,
      consumers: 1,
      itemsPerProducer: 2,
    });
    await expect(leaky).toHaveInterleavingBug(['deadlock', 'lost-item'], { runs: 2000, seed: 5 });
  });
});

describe('the matchers, isolated (issue 7: the watchdog, when asked)', () => {
  it('toHaveInterleavingBug finds a hang in code that never yields, with isolate and stepTimeoutMs', async () => {
    await expect(syncLoop).toHaveInterleavingBug('hang', { isolate: true, stepTimeoutMs: 400, runs: 20, seed: 1 });
  }, 30_000);

  it('toSurviveInterleavings fails on it with the hang in its message, instead of hanging the test', async () => {
    const result = await toSurviveInterleavings(microtaskLoop, { isolate: true, stepTimeoutMs: 400, runs: 20, seed: 1 });
    expect(result.pass).toBe(false);
    expect(result.message()).toMatch(/hang: chainer \(resumed from yield\) ran in step \d+/);
  }, 30_000);

  it('toSurviveInterleavings passes a correct scenario isolated', async () => {
    await expect(correctUnderLock).toSurviveInterleavings({ isolate: true, runs: 200, seed: 1 });
  }, 30_000);
});
