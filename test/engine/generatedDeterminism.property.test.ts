/**
 * Properties of the harness over generated programs (fixtures/program.ts):
 * random threads over mutexes, conditions, semaphores, yields and sleeps in
 * the runtime world, and over plain resolvers, promise chains, setTimeout
 * and a lock made of them in the promise world, buggy forms included: what
 * an exploration reports is a function of its seed, every failure replays
 * from its token, and minimising a failure never changes its kind. Each
 * property's cases per run (per world) are in its name.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explore, replay } from 'interleave';
import { decodeToken } from '../../src/explore/token.ts';
import type { StrategyName } from '../../src/explore/strategies/strategy.ts';
import { firstFinding } from './fixtures/firstFinding.ts';
import { resultBytes, scenarioOf } from './fixtures/generatedScenario.ts';
import { anyPromiseProgram, anyRuntimeProgram } from './fixtures/programArbitraries.ts';
import type { Program } from './fixtures/program.ts';

const WORLDS: readonly [string, fc.Arbitrary<Program>, number][] = [
  ['runtime world', anyRuntimeProgram, 1],
  ['promise world', anyPromiseProgram, 2],
];
const seedArb = fc.integer({ min: 0, max: 0xffffffff });
const strategyArb = fc.constantFrom<StrategyName>('random', 'pct', 'portfolio', 'dfs');
const BUDGET = { runs: 150, maxSteps: 200 };

describe.each(WORLDS)('generated programs, %s', (_world, programArb, base) => {
  it('the same seed gives a byte-identical trace, or summary when nothing is found (30 cases)', async () => {
    await fc.assert(
      fc.asyncProperty(programArb, seedArb, strategyArb, async (program, seed, strategy) => {
        const scenario = scenarioOf(program);
        const first = await explore(scenario, { strategy, seed, ...BUDGET });
        const second = await explore(scenario, { strategy, seed, ...BUDGET });
        expect(resultBytes(second)).toBe(resultBytes(first));
      }),
      { numRuns: 30, seed: 20260200 + base },
    );
  });

  it('every failure found replays from its token to the same failure, trace for trace (40 cases)', async () => {
    await fc.assert(
      fc.asyncProperty(programArb, seedArb, strategyArb, async (program, seed, strategy) => {
        const scenario = scenarioOf(program);
        const found = await explore(scenario, { strategy, seed, ...BUDGET });
        if (found.failure === undefined) return;
        const again = await replay(scenario, found.failure.replay);
        expect(again.failure?.kind).toBe(found.failure.kind);
        expect(again.failure?.step).toBe(found.failure.step);
        expect(again.failure?.message).toBe(found.failure.message);
        expect(resultBytes(again)).toBe(resultBytes(found));
      }),
      { numRuns: 40, seed: 20260210 + base },
    );
  });

  it('minimising never changes the kind of failure first found, nor which execution found it (40 cases)', async () => {
    await fc.assert(
      fc.asyncProperty(programArb, seedArb, strategyArb, async (program, seed, strategy) => {
        const scenario = scenarioOf(program);
        const first = await firstFinding(scenario, strategy, seed, BUDGET.runs, BUDGET.maxSteps);
        const reported = await explore(scenario, { strategy, seed, ...BUDGET });
        expect(reported.failure?.kind).toBe(first?.kind);
        if (first === undefined) return;
        expect(decodeToken(reported.failure!.replay).execution).toBe(first.execution);
      }),
      { numRuns: 40, seed: 20260220 + base },
    );
  });
});
