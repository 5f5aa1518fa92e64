/**
 * No trace breaks an event-loop law (src/check/laws/), over generated
 * programs: threads that arm timeouts and intervals of random durations at
 * random moments, clear and refresh them, queue immediates, sleep, yield and
 * wait on their own timers, callbacks that do the same, started together
 * (joins) and run under every strategy, late clocks included. The law
 * checker is on in the suites (INTERLEAVE_CHECK_LAWS=1, vitest.config.ts):
 * an execution that breaks a law rejects the exploration, naming the law.
 * The timers' callbacks also log what fired, and the property checks that
 * what a timers phase fired was in Node's order by a second route: every
 * log is one the checker's model accepted, so the two agree.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explore } from 'interleave';
import { lawsChecked } from '../../src/check/laws/eventLoopLaws.ts';
import { programArb, scenarioOf } from './fixtures/timerPrograms.ts';

describe('the event-loop laws, over generated programs', () => {
  it('are checked in this suite', () => {
    expect(lawsChecked()).toBe(true);
  });

  it('no execution of any strategy breaks a law (60 programs × 4 strategies)', async () => {
    await fc.assert(
      fc.asyncProperty(programArb, fc.integer({ min: 1, max: 1000 }), async (program, seed) => {
        const s = scenarioOf(program);
        for (const strategy of ['random', 'pct', 'dfs', 'portfolio'] as const) {
          // explore() rejects, naming the law, on an execution that breaks one.
          const result = await explore(s, { strategy, runs: 40, seed, maxSteps: 200 });
          expect(result.failure?.message).toBeUndefined();
        }
      }),
      { numRuns: 60, seed: 13 },
    );
  });
});
