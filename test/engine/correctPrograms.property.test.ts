/**
 * No generated correct-by-construction program is ever reported: every wait
 * in a while loop under its lock, notifyAll after every change, locks taken
 * in one order and always released, semaphores balanced, shared data only
 * under its lock, waits only for what is sure to come (programArbitraries.ts);
 * in the promise world, a FIFO lock of plain resolvers, latches resolved by
 * threads that never wait, chains and timeouts; and the promise-world queue
 * of the scenario library under producers, consumers and items of any small
 * number. Each strategy, any seed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explore, producerConsumer, type Scenario } from 'interleave';
import { AsyncQueue } from '../../scenarios/promise-queue.ts';
import type { StrategyName } from '../../src/explore/strategies/strategy.ts';
import { scenarioOf } from './fixtures/generatedScenario.ts';
import { correctPromiseProgram, correctRuntimeProgram } from './fixtures/programArbitraries.ts';

const strategyArb = fc.constantFrom<StrategyName>('random', 'pct', 'portfolio', 'dfs');
const seedArb = fc.integer({ min: 0, max: 0xffffffff });

async function neverReported(scenario: Scenario, strategy: StrategyName, seed: number): Promise<void> {
  const result = await explore(scenario, { strategy, seed, runs: 200 });
  expect(result.failure?.message).toBeUndefined();
  expect(result.ok).toBe(true);
  expect(result.unfinished).toBe(0);
}

describe('correct by construction', () => {
  it('runtime-world programs are never reported (40 cases × 200 executions)', async () => {
    await fc.assert(
      fc.asyncProperty(correctRuntimeProgram, strategyArb, seedArb, (program, strategy, seed) => neverReported(scenarioOf(program), strategy, seed)),
      { numRuns: 40, seed: 20260250 },
    );
  });

  it('promise-world programs are never reported (40 cases × 200 executions)', async () => {
    await fc.assert(
      fc.asyncProperty(correctPromiseProgram, strategyArb, seedArb, (program, strategy, seed) => neverReported(scenarioOf(program), strategy, seed)),
      { numRuns: 40, seed: 20260251 },
    );
  });

  it('the promise-world queue of plain resolvers is never reported, in any small shape (20 cases × 200 executions)', async () => {
    const shapeArb = fc.record({ producers: fc.integer({ min: 1, max: 3 }), consumers: fc.integer({ min: 1, max: 3 }), itemsPerProducer: fc.integer({ min: 0, max: 3 }) });
    await fc.assert(
      fc.asyncProperty(shapeArb, strategyArb, seedArb, (shape, strategy, seed) =>
        // Unbounded: its capacity is every item there is.
        neverReported(producerConsumer({ name: 'promise queue', create: () => new AsyncQueue(), capacity: Math.max(1, shape.producers * shape.itemsPerProducer), ...shape }), strategy, seed),
      ),
      { numRuns: 20, seed: 20260252 },
    );
  });
});
