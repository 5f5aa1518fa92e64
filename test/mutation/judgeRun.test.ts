/**
 * How one execution is judged and given its outcome (explore/run.ts
 * judgeEnded, as the runner calls it), beside judge.test.ts: which executions have an outcome, which
 * verdict wins when several apply, and the flag for an execution that ran
 * out of steps still progressing.
 */
import { describe, expect, it } from 'vitest';
import { defineScenario, explore, type Runtime } from 'interleave';
import { real } from '../../src/engine/realTimers.ts';
import { collectOutcomes } from '../../src/explore/outcomes.ts';

describe('which executions have an outcome', () => {
  it('one stopped by a finding after a step has none: its state is half-way', async () => {
    const halfway = defineScenario({
      name: 'invariant broken at once',
      setup: () => ({ n: 0 }),
      threads: {
        a: async (s: { n: number }, rt: Runtime) => {
          s.n = 1;
          await rt.yield();
          s.n = 2;
        },
      },
      invariant: (s) => s.n !== 1 || 'n is 1',
      outcome: (s) => `n=${s.n}`,
    });
    const counts = await collectOutcomes(halfway, { runs: 4, seed: 1 });
    expect(counts).toEqual({ executions: 4, outcomes: new Map(), findings: new Map([['invariant', 4]]) });
  });

  it('one judged at its end has one, and its own finding is kept over a forbidden outcome', async () => {
    const both = defineScenario({
      name: 'final broken and outcome forbidden',
      setup: () => ({ n: 0 }),
      threads: {
        a: async (s: { n: number }, rt: Runtime) => {
          await rt.yield();
          s.n = 3;
        },
      },
      final: (s) => s.n === 0 || `n ended at ${s.n}`,
      outcome: (s) => `n=${s.n}`,
      outcomes: { forbidden: [{ match: 'n=3', description: 'three is too many' }] },
    });
    const result = await explore(both, { runs: 3, seed: 1 });
    expect(result.failure?.kind).toBe('invariant');
    expect(result.failure?.message).toMatch(/final violated: n ended at 3/);
    expect(result.outcomes?.map((r) => [r.outcome, r.count, r.expectation])).toEqual([['n=3', 1, 'forbidden']]);
  });

  it('an outcome function that throws is an exception naming it', async () => {
    const broken = defineScenario({
      name: 'outcome throws',
      setup: () => ({}),
      threads: { a: async (_s, rt: Runtime) => rt.yield() },
      outcome: () => {
        throw new RangeError('no outcome today');
      },
    });
    const result = await explore(broken, { runs: 3, seed: 1 });
    expect(result.failure?.kind).toBe('exception');
    expect(result.failure?.message).toMatch(/outcome\(state\) threw at step \d+: RangeError: no outcome today/);
  });
});

describe('an execution that ran out of steps', () => {
  it('is unfinished only when nothing else was found in it: a real timer it made is the finding, and it is not also counted unfinished', async () => {
    const escaping = defineScenario({
      name: 'long and escaping',
      setup: () => ({ n: 0 }),
      threads: {
        a: async (s: { n: number }, rt: Runtime) => {
          real.setTimeout(() => {}, 1);
          for (let i = 0; i < 100_000; i++) {
            s.n++;
            await rt.yield();
          }
        },
      },
    });
    const result = await explore(escaping, { runs: 3, seed: 1, maxSteps: 20 });
    expect(result.failure?.kind).toBe('nondeterminism');
    expect(result.unfinished).toBe(0);
    expect(result.executions).toBe(1);
  });
});
