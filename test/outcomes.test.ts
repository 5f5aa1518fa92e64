/**
 * Outcomes, as jcstress counts them (issue 9): a scenario's `outcome(state)`
 * for every execution that runs to its end, the distinct outcomes with their
 * counts, graded by the scenario's classes; a forbidden outcome is a finding.
 */
import { describe, expect, it } from 'vitest';
import { defineScenario, explore, replay, type Runtime } from 'interleave';
import { renderOutcomeTable } from '../src/report/outcomes.ts';
import limiter from '../scenarios/limiter.ts';
import checkThenAct from '../scenarios/limiter-check-then-act.ts';
import promiseQueue from '../scenarios/promise-queue.ts';

const racy = (outcomes: object) =>
  defineScenario({
    name: 'racy counter with outcomes',
    setup: () => ({ count: 0 }),
    threads: Object.fromEntries(
      ['a', 'b'].map((name) => [
        name,
        async (s: { count: number }, rt: Runtime) => {
          const seen = s.count;
          await rt.yield();
          s.count = seen + 1;
        },
      ]),
    ),
    outcome: (s) => ({ count: s.count }),
    outcomes,
  });

describe('the outcome histogram', () => {
  it('counts every execution that ran to its end, most frequent first, and grades each outcome', async () => {
    const result = await explore(racy({ acceptable: [{ match: '{count:2}', description: 'both increments' }], interesting: [{ match: /count:1/, description: 'an increment lost' }] }), {
      runs: 500,
      seed: 1,
    });
    expect(result.ok).toBe(true);
    const rows = result.outcomes!;
    expect(rows.map((r) => r.outcome).sort()).toEqual(['{count:1}', '{count:2}']);
    expect(rows.reduce((n, r) => n + r.count, 0)).toBe(result.executions);
    expect(rows.reduce((n, r) => n + r.frequency, 0)).toBeCloseTo(1, 10);
    expect(rows[0]!.count).toBeGreaterThanOrEqual(rows[1]!.count);
    expect(Object.fromEntries(rows.map((r) => [r.outcome, [r.expectation, r.description]]))).toEqual({
      '{count:2}': ['acceptable', 'both increments'],
      '{count:1}': ['interesting', 'an increment lost'],
    });
  });

  it('reports a forbidden outcome as a failure with its trace, and its token replays it', async () => {
    const scenario = racy({ acceptable: [{ match: '{count:2}', description: 'both increments' }], forbidden: [{ match: '{count:1}', description: 'an increment lost' }] });
    const result = await explore(scenario, { runs: 500, seed: 1 });
    expect(result.failure?.kind).toBe('forbidden-outcome');
    expect(result.failure!.message).toMatch(/the execution's outcome "\{count:1\}" is forbidden: an increment lost/);
    expect(result.failure!.trace.steps.length).toBeGreaterThan(0);
    const again = await replay(scenario, result.failure!.replay);
    expect(again.failure?.kind).toBe('forbidden-outcome');
  });

  it('fails on an outcome no class covers when the scenario asks for it, and only then', async () => {
    const strict = await explore(racy({ acceptable: [{ match: '{count:2}', description: 'both increments' }], otherwise: 'forbidden', otherwiseDescription: 'anything else' }), { runs: 500, seed: 1 });
    expect(strict.failure?.kind).toBe('forbidden-outcome');
    expect(strict.failure!.message).toMatch(/is forbidden: anything else/);
    const lax = await explore(racy({ acceptable: [{ match: '{count:2}', description: 'both increments' }] }), { runs: 500, seed: 1 });
    expect(lax.ok).toBe(true);
    expect(lax.outcomes!.find((r) => r.outcome === '{count:1}')?.expectation).toBe('unclassified');
  });

  it('refuses outcome classes that are not classes, naming the field', async () => {
    await expect(explore(racy({ forbiden: [] }), { runs: 1 })).rejects.toThrow(/'outcomes' has an unknown field 'forbiden'/);
    await expect(explore(racy({ acceptable: [{ match: 3, description: 'x' }] }), { runs: 1 })).rejects.toThrow(/'outcomes.acceptable\[0\]' must be \{ match: a string, a RegExp or a function/);
  });

  it('gives producerConsumer a default outcome: which consumer took which items', async () => {
    const result = await explore(promiseQueue, { runs: 300, seed: 2 });
    expect(result.outcomes!.length).toBeGreaterThan(5);
    for (const row of result.outcomes!) expect(row.outcome).toMatch(/^consumer-0: (p\d#\d,?)+ · consumer-1: (p\d#\d,?)+$/);
  });

  it('prints as jcstress does: outcome, count, frequency, expectation, description', () => {
    const lines = renderOutcomeTable([
      { outcome: 'a', count: 3, frequency: 0.75, expectation: 'acceptable', description: 'fine' },
      { outcome: 'b', count: 1, frequency: 0.25, expectation: 'forbidden', description: 'bad' },
    ]);
    expect(lines[0]).toBe('Outcomes of 4 execution(s) that ran to their end (2 distinct):');
    expect(lines[2]).toMatch(/^\| outcome +\| count \| frequency \| expectation \| description \|$/);
    expect(lines[4]).toMatch(/^\| a +\| +3 \| +75\.0% \| acceptable +\| fine +\|$/);
    expect(lines[5]).toMatch(/^\| b +\| +1 \| +25\.0% \| forbidden +\| bad +\|$/);
  });
});

describe("the tutorial's limiter, all of it", () => {
  it('has many outcomes, the one the tutorial prints among them, every one acceptable', async () => {
    const result = await explore(limiter, { runs: 3000, seed: 42 });
    expect(result.ok).toBe(true);
    const rows = result.outcomes!;
    expect(rows.length).toBeGreaterThan(10);
    const tutorial = rows.find((r) => r.outcome === 'admitted 0,1 refused 2,3 finished 0,1 peak 2');
    expect(tutorial?.description).toMatch(/what the tutorial prints/);
    expect(rows.every((r) => r.expectation === 'acceptable')).toBe(true);
  });

  it('its check-then-act variant shows the forbidden outcome: more than 2 workers active with max 2', async () => {
    const result = await explore(checkThenAct, { runs: 3000, seed: 42 });
    expect(result.failure?.kind).toBe('forbidden-outcome');
    expect(result.failure!.message).toMatch(/peak [34]" is forbidden: more than 2 workers active at once/);
    expect(result.outcomes!.some((r) => r.expectation === 'forbidden')).toBe(true);
  });
});
