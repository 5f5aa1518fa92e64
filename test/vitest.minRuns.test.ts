/**
 * `minRuns` (issue 14, item 4): a budget that ran out early is not a pass. An
 * exploration that finds nothing in fewer executions than `minRuns` (its
 * time limit ran out first, or it was stopped) fails, saying how many ran,
 * as fast-check's `markInterruptAsFailure` does; one that tried every
 * schedule there is, or found a bug, is not held to it.
 */
import { describe, expect, it } from 'vitest';
import { explore, producerConsumer } from 'interleave';
import 'interleave/vitest';
import { toHaveInterleavingBug, toSurviveInterleavings } from '../src/vitest/matchers.ts';
import { MonitorBuffer } from '../scenarios/monitor-buffer.ts';
import { racyCounter, safeCounter } from './fixtures/counters.ts';

/** Correct, and big enough that a million executions never fit in 100 ms. */
const bigBuffer = producerConsumer({
  name: 'monitor buffer, 3 producers, 3 consumers, 8 items each',
  create: (rt, { capacity }) => new MonitorBuffer(rt, capacity),
  capacity: 2,
  producers: 3,
  consumers: 3,
  itemsPerProducer: 8,
});
const short = { runs: 1_000_000, minRuns: 1_000_000, timeLimitMs: 100, seed: 1 };

describe('explore() with minRuns', () => {
  it('finds nothing in fewer executions than minRuns: the expectation is not met, and the result says how many ran', async () => {
    const result = await explore(bigBuffer, short);
    expect(result.ok).toBe(true);
    expect(result.failure).toBeUndefined();
    expect(result.executions).toBeLessThan(1_000_000);
    expect(result.expectationMet).toBe(false);
    expect(result.tooFewRuns).toEqual({ executions: result.executions, minRuns: 1_000_000 });
  });

  it('holds an exploration that reached minRuns, tried every schedule, or found a bug to nothing more', async () => {
    const enough = await explore(safeCounter, { runs: 50, minRuns: 50, seed: 1, strategy: 'random' });
    expect(enough).toMatchObject({ ok: true, expectationMet: true, executions: 50 });
    expect(enough.tooFewRuns).toBeUndefined();
    const exhausted = await explore(safeCounter, { runs: 10_000, minRuns: 10_000, strategy: 'dfs' });
    expect(exhausted).toMatchObject({ ok: true, exhausted: true, expectationMet: true });
    expect(exhausted.executions).toBeLessThan(10_000);
    expect(exhausted.tooFewRuns).toBeUndefined();
    const found = await explore(racyCounter(), { runs: 10_000, minRuns: 10_000, seed: 1 });
    expect(found.ok).toBe(false);
    expect(found.tooFewRuns).toBeUndefined();
  });

  it('refuses a minRuns that is not a whole number from 1 to runs', async () => {
    await expect(explore(safeCounter, { minRuns: 0 })).rejects.toThrow(/option 'minRuns' must be a whole number >= 1; got 0/);
    await expect(explore(safeCounter, { runs: 100, minRuns: 101 })).rejects.toThrow(
      /option 'minRuns' \(101\) is more than 'runs' \(100\): such an exploration could never pass/,
    );
    await expect(explore(safeCounter, { minRuns: 10_001 })).rejects.toThrow(/'runs' \(10000\)/);
  });
});

describe('the matchers with minRuns', () => {
  it('toSurviveInterleavings fails an exploration cut short before minRuns, with the count and what cut it short', async () => {
    const result = await toSurviveInterleavings(bigBuffer, short);
    expect(result.pass).toBe(false);
    expect(result.message()).toMatch(
      /^expected 'monitor buffer, 3 producers, 3 consumers, 8 items each' to survive every interleaving in at least 1,000,000 executions \(minRuns\), but only [\d,]+ ran: [\d,]+ of 1,000,000 executions \(not exhaustive: the time limit of 100ms ran out first\)/,
    );
  });

  it('.not and toHaveInterleavingBug: a search cut short proves no absence of bugs either', async () => {
    // .not expects a bug: none was found, so it fails as before, whatever minRuns says.
    await expect(expect(bigBuffer).not.toSurviveInterleavings(short)).rejects.toThrow(/to fail under some interleaving/);
    const none = await toHaveInterleavingBug(bigBuffer, 'deadlock', short);
    expect(none.pass).toBe(false);
    expect(none.message()).toMatch(/found none; only [\d,]+ executions ran, fewer than minRuns \(1,000,000\)/);
    // .not.toHaveInterleavingBug expects no bug: too few executions to say so.
    await expect(expect(bigBuffer).not.toHaveInterleavingBug('deadlock', short)).rejects.toThrow(/fewer than minRuns \(1,000,000\)/);
  });

  it('passes once minRuns executions ran', async () => {
    await expect(safeCounter).toSurviveInterleavings({ runs: 40, minRuns: 40, seed: 1, strategy: 'random' });
  });
});
