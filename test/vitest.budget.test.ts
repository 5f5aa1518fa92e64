/**
 * The matchers' default budget fits the test's timeout: a time limit of 0.6
 * of it, less what the test has used, with the run count as a cap; their
 * message says how far the exploration got and what stopped it.
 */
import { describe, expect, it } from 'vitest';
import { producerConsumer } from 'interleave';
import 'interleave/vitest';
import { budgetFor, DEFAULT_RUNS, TIMEOUT_SHARE } from '../src/vitest/budget.ts';
import { toSurviveInterleavings } from '../src/vitest/matchers.ts';
import { MonitorBuffer } from '../scenarios/monitor-buffer.ts';
import { safeCounter } from './fixtures/counters.ts';

/** Correct, and big enough that 10,000 executions take several seconds. */
const bigBuffer = producerConsumer({
  name: 'monitor buffer, 4 producers, 4 consumers, 16 items each',
  create: (rt, { capacity }) => new MonitorBuffer(rt, capacity),
  capacity: 2,
  producers: 4,
  consumers: 4,
  itemsPerProducer: 16,
});

describe('budgetFor', () => {
  const now = 1_000_000;

  it('derives the time limit from the timeout, less the time the test has used', () => {
    expect(TIMEOUT_SHARE).toBe(0.6);
    const budget = budgetFor(undefined, { timeoutMs: 5000, startedAt: now - 1000 }, now);
    expect(budget).toEqual({ options: { timeLimitMs: 2000 }, runs: DEFAULT_RUNS, derived: { timeoutMs: 5000, timeLimitMs: 2000 } });
  });

  it('keeps the other options, and the run count caps the time limit', () => {
    const budget = budgetFor({ runs: 300, seed: 4 }, { timeoutMs: 10_000, startedAt: now }, now);
    expect(budget.options).toEqual({ runs: 300, seed: 4, timeLimitMs: 6000 });
    expect(budget.runs).toBe(300);
  });

  it('leaves an explicit timeLimitMs alone', () => {
    expect(budgetFor({ timeLimitMs: 50 }, { timeoutMs: 5000, startedAt: now }, now)).toEqual({ options: { timeLimitMs: 50 }, runs: DEFAULT_RUNS });
  });

  it('derives nothing without a timeout (0 is none, as in vitest) or outside a test', () => {
    expect(budgetFor(undefined, { timeoutMs: 0 }, now)).toEqual({ options: undefined, runs: DEFAULT_RUNS });
    expect(budgetFor({ runs: 5 }, {}, now)).toEqual({ options: { runs: 5 }, runs: 5 });
  });

  it('still gives a test that is already late a millisecond, so it runs at least one execution', () => {
    expect(budgetFor(undefined, { timeoutMs: 1000, startedAt: now - 5000 }, now).options).toEqual({ timeLimitMs: 1 });
  });

  it('passes options that are not an object to explore() untouched, to be refused there', async () => {
    expect(budgetFor(42 as never, { timeoutMs: 1000 }, now).options).toBe(42);
    await expect(toSurviveInterleavings(safeCounter, 42 as never)).rejects.toThrow(/options must be an object/);
  });
});

describe('the matcher within its test', () => {
  it(
    'stops a big exploration before the test times out, passes, and says the time limit cut it short',
    async () => {
      const started = Date.now();
      const result = await toSurviveInterleavings(bigBuffer);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(result.pass).toBe(true);
      expect(result.message()).toMatch(
        /^expected '.*' to fail under some interleaving, but [\d,]+ of 10,000 executions \(not exhaustive: the time limit of (\d+ms|[\d.]+s) \(0\.6 of the test's 2\.00s timeout, less what the test had used\) ran out first; raise the test's timeout \(testTimeout\) or pass timeLimitMs for more\), [\d,]+ steps, [\d,]+ distinct outcomes?, strategy portfolio, seed \d+ found nothing$/,
      );
    },
    2000,
  );

  it('through expect(): a run count reached passes, and .not shows the account', async () => {
    await expect(bigBuffer).toSurviveInterleavings({ runs: 50 });
    await expect(expect(bigBuffer).not.toSurviveInterleavings({ runs: 50 })).rejects.toThrow(/but 50 executions \(the run count, not exhaustive\)/);
  });

  it('an explicit timeLimitMs replaces the derived one', async () => {
    const result = await toSurviveInterleavings(bigBuffer, { timeLimitMs: 100 });
    expect(result.pass).toBe(true);
    expect(result.message()).toMatch(/but [\d,]+ of 10,000 executions \(not exhaustive: the time limit of 100ms ran out first\)/);
  });

  it('an exhaustive search says so', async () => {
    const result = await toSurviveInterleavings(safeCounter, { strategy: 'dfs' });
    expect(result.message()).toMatch(/but \d+ executions \(every schedule there is\), /);
  });
});
