import { VirtualClock } from '../engine/clock.ts';
import { meets } from '../workload/expectation.ts';
import { definitionOf, type Scenario, type ScenarioDefinition } from '../workload/scenario.ts';
import { buildFailure } from './failure.ts';
import { resolveOptions, type ExploreOptions } from './options.ts';
import type { ExploreResult } from './result.ts';
import { minimiseSchedule, shortenLivelock } from './minimise.ts';
import { defaultFairSteps, runJudged } from './run.ts';
import { makeStrategy } from './strategies/index.ts';
import { TapeChooser } from './strategies/tape.ts';
import { decodeToken, encodeToken, scenarioId, TokenError, type TokenData } from './token.ts';
import { wallClock } from './wallClock.ts';

/**
 * Explorations run one at a time in a process: unhandled rejections and the
 * real-timer check are process-wide, and must be attributed to one execution.
 */
let queue: Promise<unknown> = Promise.resolve();
function exclusive<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work);
  queue = run.catch(() => undefined);
  return run;
}

/**
 * Runs the scenario under many seeded interleavings and stops at the first
 * failure, which is re-run from its token to record its trace (so memory
 * stays flat however long the exploration). Rejects only when the scenario
 * cannot run at all.
 */
export function explore(scenario: Scenario, options?: ExploreOptions): Promise<ExploreResult> {
  let definition: ScenarioDefinition;
  let opts: ReturnType<typeof resolveOptions>;
  try {
    definition = checkedDefinition(scenario, 'explore');
    opts = resolveOptions(options);
  } catch (error) {
    return Promise.reject(error);
  }
  return exclusive(async () => {
    const strategy = makeStrategy(opts.strategy, opts.seed);
    const id = scenarioId(scenario.name, scenario.threads);
    const clock = new VirtualClock();
    const started = wallClock.now();
    let executions = 0;
    let steps = 0;
    let exhausted = false;
    while (executions < opts.runs && wallClock.now() - started < opts.timeLimitMs) {
      const chooser = strategy.nextExecution();
      if (chooser === undefined) {
        exhausted = true;
        break;
      }
      const { result, verdict } = await runJudged(scenario.name, definition, clock, chooser, opts.maxSteps, false, false);
      executions++;
      steps += result.step;
      strategy.executionEnded?.(result.step);
      if (verdict === undefined) continue;
      const livelock = verdict.kind === 'step-limit' ? await shortenLivelock(scenario.name, definition, clock, result.tape, opts.maxSteps) : undefined;
      const minimised = verdict.kind === 'step-limit' ? undefined : await minimiseSchedule(scenario.name, definition, clock, { result, verdict }, opts.maxSteps);
      const found = livelock?.judged ?? minimised ?? { result, verdict };
      const maxSteps = livelock?.maxSteps ?? opts.maxSteps;
      const fairSteps = livelock?.fairSteps ?? defaultFairSteps(opts.maxSteps);
      const tape = found.result.tape;
      const token = encodeToken({ scenarioId: id, strategy: strategy.name, seed: opts.seed, execution: executions - 1, maxSteps, fairSteps, tape });
      const recorded = await runJudged(scenario.name, definition, clock, new TapeChooser(tape), maxSteps, true, true, fairSteps);
      const same = recorded.verdict?.kind === found.verdict!.kind && recorded.result.step === found.result.step;
      const finalVerdict = same
        ? recorded.verdict!
        : {
            kind: 'nondeterminism' as const,
            message:
              `exploration found ${found.verdict!.kind} at step ${found.result.step}, but re-running the same schedule gave ` +
              `${recorded.verdict === undefined ? 'no failure' : `${recorded.verdict.kind} at step ${recorded.result.step}`}: ` +
              `the scenario depends on something outside the harness (real time, Math.random, state kept between executions). First finding: ${found.verdict!.message}`,
          };
      const failure = buildFailure(scenario, strategy.name, opts.seed, token, finalVerdict, recorded.result);
      return {
        ok: false,
        failure,
        expectationMet: meets(scenario.expected, failure.kind),
        executions,
        steps,
        elapsedMs: wallClock.now() - started,
        seed: opts.seed,
        exhausted: false,
        strategy: strategy.name,
      };
    }
    return {
      ok: true,
      expectationMet: meets(scenario.expected, undefined),
      executions,
      steps,
      elapsedMs: wallClock.now() - started,
      seed: opts.seed,
      exhausted,
      strategy: strategy.name,
    };
  });
}

/**
 * Re-runs the one execution a token recorded, with its trace. A run that
 * leaves the recorded schedule is a `nondeterminism` finding naming the step;
 * a malformed token, or one recorded for another scenario, rejects.
 */
export function replay(scenario: Scenario, token: string): Promise<ExploreResult> {
  let definition: ScenarioDefinition;
  let data: TokenData;
  try {
    definition = checkedDefinition(scenario, 'replay');
    data = decodeToken(token);
    const id = scenarioId(scenario.name, scenario.threads);
    if (data.scenarioId !== id) {
      throw new TokenError(
        `replay token ${String(token).slice(0, 24)}… was recorded for another scenario (id ${hex(data.scenarioId)}), ` +
          `not for '${scenario.name}' (id ${hex(id)}, threads ${scenario.threads.join(', ')}). Replay it against the scenario that printed it.`,
      );
    }
  } catch (error) {
    return Promise.reject(error);
  }
  return exclusive(async () => {
    const started = wallClock.now();
    const tape = new TapeChooser(data.tape);
    const { result, verdict } = await runJudged(scenario.name, definition, new VirtualClock(), tape, data.maxSteps, true, true, data.fairSteps);
    // A faithful replay uses up every recorded choice; one that ends early left its schedule, whatever it found.
    const leftover =
      tape.remaining > 0 && verdict?.kind !== 'nondeterminism'
        ? {
            kind: 'nondeterminism' as const,
            message:
              `the execution ended at step ${result.step}${verdict === undefined ? '' : ` (with ${verdict.kind})`}, but the token recorded ` +
              `${tape.remaining} more choice(s): the run left its recorded schedule`,
          }
        : verdict;
    const base = { executions: 1, steps: result.step, elapsedMs: wallClock.now() - started, seed: data.seed, exhausted: false, strategy: data.strategy };
    if (leftover === undefined) return { ok: true, expectationMet: meets(scenario.expected, undefined), ...base };
    const failure = buildFailure(scenario, data.strategy, data.seed, token.trim(), leftover, result);
    return { ok: false, failure, expectationMet: meets(scenario.expected, failure.kind), ...base };
  });
}

function checkedDefinition(scenario: Scenario, verb: string): ScenarioDefinition {
  const definition = definitionOf(scenario);
  if (definition === undefined) {
    throw new TypeError(
      `${verb}() needs a scenario made by producerConsumer() or defineScenario(); got ${scenario === null ? 'null' : typeof scenario === 'object' ? 'a plain object' : typeof scenario}.`,
    );
  }
  if (definition.problems.length > 0) {
    throw new TypeError(`scenario '${scenario.name}' cannot run: ${definition.problems.join(' ')}`);
  }
  return definition;
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}
