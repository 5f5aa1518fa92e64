/**
 * A replay of a prefix of a tape is a prefix of the original execution: an
 * execution that follows the first k recorded choices of another, and then
 * any chooser at all (sticky or round-robin here), makes the same first k
 * choices and takes the same steps as far as those choices decide them.
 * This is what minimisation and livelock shortening rely on when they
 * follow a prefix and continue differently. Internal APIs: runExecution and
 * the TapeChooser, over generated programs of both worlds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RoundRobinChooser, StickyChooser, type Chooser, type Decision } from '../../src/engine/chooser.ts';
import { VirtualClock } from '../../src/engine/clock.ts';
import { runExecution, type ExecutionResult } from '../../src/engine/execution.ts';
import { RandomStrategy } from '../../src/explore/strategies/random.ts';
import { TapeChooser } from '../../src/explore/strategies/tape.ts';
import { definitionOf } from '../../src/workload/scenario.ts';
import { scenarioOf } from './fixtures/generatedScenario.ts';
import { anyPromiseProgram, anyRuntimeProgram } from './fixtures/programArbitraries.ts';
import type { Program } from './fixtures/program.ts';

/** The tape's choices while it lasts, then another chooser's. */
class TapeThen implements Chooser {
  private readonly tape: TapeChooser;

  constructor(
    prefix: readonly number[],
    private readonly then: Chooser,
  ) {
    this.tape = new TapeChooser(prefix);
  }

  choose(decision: Decision): number {
    return this.tape.remaining > 0 ? this.tape.choose() : this.then.choose(decision);
  }
}

const MAX_STEPS = 200;

function run(program: Program, chooser: Chooser, replaying: boolean): Promise<ExecutionResult> {
  return runExecution(definitionOf(scenarioOf(program))!, { clock: new VirtualClock(), chooser, maxSteps: MAX_STEPS, replaying, record: true });
}

/**
 * The steps the first k choices decide: those done before choice k was made. A step or time decision comes before the
 * steps it decides (a loop turn's phases run on without further choices); a join, offset or notify is made inside the
 * step it shapes, so that step is not decided yet.
 */
function decidedSteps(result: ExecutionResult, k: number): number {
  if (k >= result.tape.length) return result.steps.length;
  const at = result.decisionSteps[k]!;
  const kind = result.kinds[k]!;
  return kind === 'step' || kind === 'time' ? at : at - 1;
}

const WORLDS: readonly [string, fc.Arbitrary<Program>][] = [
  ['runtime world', anyRuntimeProgram],
  ['promise world', anyPromiseProgram],
];

describe.each(WORLDS)('a prefix of a tape, %s', (world, programArb) => {
  it('replays to a prefix of the execution it was cut from, whatever continues it (300 cases)', async () => {
    await fc.assert(
      fc.asyncProperty(programArb, fc.integer({ min: 0, max: 0xffffffff }), fc.nat(), fc.boolean(), async (program, seed, cut, sticky) => {
        const original = await run(program, new RandomStrategy(seed).nextExecution(), false);
        const k = cut % (original.tape.length + 1);
        const prefix = original.tape.slice(0, k);
        const replayed = await run(program, new TapeThen(prefix, sticky ? new StickyChooser() : new RoundRobinChooser()), true);
        expect(replayed.tape.slice(0, k)).toEqual(prefix);
        expect(replayed.kinds.slice(0, k)).toEqual(original.kinds.slice(0, k));
        const decided = decidedSteps(original, k);
        expect(JSON.stringify(replayed.steps.slice(0, decided))).toBe(JSON.stringify(original.steps.slice(0, decided)));
        if (k === original.tape.length) {
          // The whole tape: the same execution, to its end.
          expect(replayed.end.type).toBe(original.end.type);
          expect(replayed.step).toBe(original.step);
          expect(replayed.tape).toEqual(original.tape);
        }
      }),
      { numRuns: 300, seed: world === 'runtime world' ? 20260230 : 20260231 },
    );
  });
});
