/**
 * The promise world's conformance check (test/conformance/differential.ts),
 * both directions, with small counts: the scenario library's promise-world
 * scenarios (correct and buggy plain-promise queues, real npm libraries
 * pinned as devDependencies) and the hand-off lock run on real Node with
 * realistic lateness (random delays, `setImmediate` hops, the loop blocked
 * for random durations); every real outcome must be one the harness
 * produces, and every outcome only the harness produces must be reproduced
 * by a directed real run or explained by the checked-in list. `npm run
 * conformance` runs it with large counts.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from 'interleave';
import { details, differential, summaryLine, tally } from './conformance/differential.ts';
import { PROMISE_WORLD } from './conformance/scenarios.ts';
import { hangsOnlyForReal, onlyInTheHarness, readsWhichClock } from './conformance/fixtures.ts';
import { runOnRealNode, seeded } from './conformance/realNode.ts';

const SMALL = { realRuns: 120, harnessRuns: 3000, harnessBudget: 40_000, seed: 1, attempts: 8 };

describe('real Node against the harness, both directions', () => {
  it.each(PROMISE_WORLD.map((s): [string, Scenario] => [s.name, s]))('%s: every real outcome is the harness\'s, every harness-only outcome explained', async (_name, scenario) => {
    const d = await differential(scenario, SMALL);
    console.log(summaryLine(d));
    const why = `${summaryLine(d)}\n${details(d)}`;
    expect(d.realOnly, why).toEqual([]);
    expect(tally(d).unexplained, why).toBe(0);
    expect(d.harness.size, why).toBeGreaterThan(0);
  });
});

describe('the check itself', () => {
  it('fails on a real outcome the harness cannot produce', async () => {
    const d = await differential(readsWhichClock, { ...SMALL, realRuns: 5, harnessBudget: 2000 });
    expect(d.realOnly).toEqual(['real clock']);
    expect(summaryLine(d)).toMatch(/DISAGREE: real outcome 'real clock' never produced by the harness/);
  });

  it('fails on a real hang the harness has no finding for', async () => {
    const d = await differential(hangsOnlyForReal, { ...SMALL, realRuns: 2, harnessBudget: 2000 });
    expect(d.real.get('hang')).toBe(2);
    expect(d.realOnly).toEqual(['hang']);
  });

  it('fails on an outcome only the harness produces that no directed real run reproduces and the list does not explain', async () => {
    const d = await differential(onlyInTheHarness, { ...SMALL, realRuns: 20, harnessBudget: 2000, attempts: 2 });
    expect(d.realOnly).toEqual([]);
    expect(d.harnessOnly.map((h) => [h.outcome, h.verdict.by])).toEqual([['b before a on the virtual clock', 'none']]);
    expect(tally(d).unexplained).toBe(1);
    expect(summaryLine(d)).toMatch(/DISAGREE: harness-only 'b before a on the virtual clock' unexplained \(2 directed real runs came to "done", and the list has no entry for it; token IL1-/);
  });

  it("counts a list entry only when its targeted real run comes to the outcome on real Node", async () => {
    const entry = {
      scenario: onlyInTheHarness.name,
      outcome: 'b before a on the virtual clock',
      mechanism: 'none: real Node never shows the virtual clock',
      realRun: () => runOnRealNode(onlyInTheHarness, seeded(7)),
    };
    const d = await differential(onlyInTheHarness, { ...SMALL, realRuns: 20, harnessBudget: 2000, attempts: 1, explained: [entry] });
    expect(d.harnessOnly[0]?.verdict).toEqual({ by: 'none', why: '1 directed real runs came to "done", and the list\'s targeted real run came to "done"' });
    const shown = await differential(onlyInTheHarness, { ...SMALL, realRuns: 20, harnessBudget: 2000, attempts: 1, explained: [{ ...entry, realRun: async () => entry.outcome }] });
    expect(shown.harnessOnly[0]?.verdict).toEqual({ by: 'list', mechanism: entry.mechanism });
    expect(tally(shown).unexplained).toBe(0);
  });
});
