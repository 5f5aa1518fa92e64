/**
 * dfs at small sizes reaches every terminal outcome that random finds: when
 * it has run every schedule of a generated program (fewer executions than
 * its budget), each outcome random's executions came to (who finished in
 * which order, and the shared total), and each kind of finding they made,
 * is among dfs's. A miss would be a schedule the exhaustive search cannot
 * see. Programs of two threads of one or two operations, in both worlds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collectOutcomes } from '../../src/explore/outcomes.ts';
import { scenarioOf } from './fixtures/generatedScenario.ts';
import { smallPromiseProgram, smallRuntimeProgram } from './fixtures/programArbitraries.ts';
import type { Program } from './fixtures/program.ts';

const DFS_RUNS = 2000;
const WORLDS: readonly [string, fc.Arbitrary<Program>, number][] = [
  ['runtime world', smallRuntimeProgram, 20260240],
  ['promise world', smallPromiseProgram, 20260241],
];

describe.each(WORLDS)('dfs against random, %s', (_world, programArb, seed) => {
  it('an exhausted dfs has every outcome and every kind of finding that 200 random executions have (20 cases)', async () => {
    let exhausted = 0;
    await fc.assert(
      fc.asyncProperty(programArb, fc.integer({ min: 0, max: 0xffffffff }), async (program, randomSeed) => {
        const scenario = scenarioOf(program);
        const dfs = await collectOutcomes(scenario, { strategy: 'dfs', runs: DFS_RUNS, maxSteps: 200, seed: 0 });
        if (dfs.executions >= DFS_RUNS) return; // not exhausted: it proves nothing either way
        exhausted++;
        const random = await collectOutcomes(scenario, { strategy: 'random', runs: 200, maxSteps: 200, seed: randomSeed });
        expect([...random.outcomes.keys()].filter((o) => !dfs.outcomes.has(o))).toEqual([]);
        expect([...random.findings.keys()].filter((k) => !dfs.findings.has(k))).toEqual([]);
      }),
      { numRuns: 20, seed },
    );
    // Most programs this small are exhausted; the property must not pass by skipping them all.
    expect(exhausted).toBeGreaterThan(15);
  });
});
