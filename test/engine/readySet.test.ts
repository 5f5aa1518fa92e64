/**
 * The ready set (engine/readySet.ts) is kept by events — continuations
 * created and resumed, harness objects reporting changes — so that a step
 * never scans every thread. Here, every step of many executions of every
 * library scenario and fixture checks it against a full scan.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Scenario } from 'interleave';
import { VirtualClock } from '../../src/engine/clock.ts';
import { runExecution } from '../../src/engine/execution.ts';
import { RandomStrategy } from '../../src/explore/strategies/random.ts';
import { PctStrategy } from '../../src/explore/strategies/pct.ts';
import { definitionOf } from '../../src/workload/scenario.ts';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { BUGGY } from './fixtures/buggy.ts';

const dir = new URL('../../scenarios/', import.meta.url);
const library = await Promise.all(
  readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map(async (f) => (await import(new URL(f, dir).href)).default as Scenario),
);

describe('the ready set', () => {
  it.each([...library, ...BUGGY.map((b) => b.scenario)].map((s): [string, Scenario] => [s.name, s]))('%s: equals a scan of the pending continuations after every step', async (_name, scenario) => {
    const definition = definitionOf(scenario)!;
    const strategies = [new RandomStrategy(3), new PctStrategy(xoroshiro128plus(3), 3)];
    for (let i = 0; i < 60; i++) {
      const chooser = strategies[i % 2]!.nextExecution();
      const result = await runExecution(definition, { clock: new VirtualClock(), chooser, maxSteps: 300, fairSteps: 300, replaying: false, record: false, checkReady: true });
      expect(result.end.type === 'setup-error' ? 'setup-error' : 'ran').toBe('ran');
    }
  });
});
