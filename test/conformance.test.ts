/**
 * The promise world's conformance check (test/conformance/differential.ts),
 * with small counts: the scenario library's promise-world scenarios (correct
 * and buggy plain-promise queues, real npm libraries pinned as
 * devDependencies) and the hand-off lock run on real Node with randomised
 * delays, and every real outcome must be one the harness produces. `npm run
 * conformance` runs it with large counts.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from 'interleave';
import { differential, summaryLine } from './conformance/differential.ts';
import { PROMISE_WORLD } from './conformance/scenarios.ts';
import { hangsOnlyForReal, readsWhichClock } from './conformance/fixtures.ts';

const SMALL = { realRuns: 120, harnessRuns: 3000, harnessBudget: 40_000, seed: 1 };

describe('real Node against the harness', () => {
  it.each(PROMISE_WORLD.map((s): [string, Scenario] => [s.name, s]))('%s: every real outcome is one the harness produces', async (_name, scenario) => {
    const d = await differential(scenario, SMALL);
    console.log(summaryLine(d));
    expect(d.missing, summaryLine(d)).toEqual([]);
    expect(d.unexplained, summaryLine(d)).toEqual([]);
    expect(d.harness.size + d.findings.size).toBeGreaterThan(0);
  });
});

describe('the check itself', () => {
  it('fails on a real outcome the harness cannot produce', async () => {
    const d = await differential(readsWhichClock, { ...SMALL, realRuns: 5, harnessBudget: 2000 });
    expect(d.missing).toEqual(['real clock']);
    expect(summaryLine(d)).toMatch(/DISAGREES: missing 'real clock'/);
  });

  it('fails on a real hang the harness has no finding for', async () => {
    const d = await differential(hangsOnlyForReal, { ...SMALL, realRuns: 2, harnessBudget: 2000 });
    expect(d.real.get('hang')).toBe(2);
    expect(d.unexplained).toEqual(['2 real run(s) hung, and the harness found no execution that never finishes']);
  });
});
