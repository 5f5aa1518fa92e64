import type { Chooser } from '../engine/chooser.ts';
import { VirtualClock } from '../engine/clock.ts';
import { errorLine } from '../engine/execution.ts';
import type { Verdict } from '../engine/monitor.ts';
import { meets } from '../workload/expectation.ts';
import { definitionOf, type Scenario, type ScenarioDefinition } from '../workload/scenario.ts';
import { captureRejections, flushRejections } from './escapes.ts';
import { buildFailure } from './failure.ts';
import { minimiseSchedule, shortenLivelock } from './minimise.ts';
import { resolveOptions, type ExploreOptions, type ResolvedOptions } from './options.ts';
import type { ExploreResult, Failure } from './result.ts';
import { defaultFairSteps, runJudged, type Judged } from './run.ts';
import { makeStrategy, type StrategyName } from './strategies/index.ts';
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
  return exclusive(() =>
    captureRejections(async () => {
      const strategy = makeStrategy(opts.strategy, opts.seed, opts.maxSteps);
      const clock = new VirtualClock();
      const started = wallClock.now();
      // Direct mode until an execution shows that this scenario parks threads on ordinary promises (see engine/context.ts).
      let direct = true;
      const run = async (chooser: Chooser, replaying: boolean, flush: boolean): Promise<Judged> => {
        const judged = await runJudged(scenario.name, definition, clock, chooser, opts.maxSteps, replaying, false, defaultFairSteps(opts.maxSteps), flush, direct);
        if (judged.neededContext === true) direct = false;
        return judged;
      };
      // Passing executions since the event loop's last turn: one of them may have left a rejection unhandled.
      const batch: { readonly tape: readonly number[]; readonly execution: number }[] = [];
      let lastTurn = started;
      const turn = async (): Promise<Found | undefined> => {
        const rejected = await flushRejections();
        lastTurn = wallClock.now();
        const suspects = batch.splice(0);
        // With no execution since the last turn, the rejection is not this exploration's to judge.
        if (rejected.length === 0 || suspects.length === 0) return undefined;
        // Executions are deterministic: re-run the suspects one by one, each with its own turn, to find the culprit.
        let last: Judged | undefined;
        for (const suspect of suspects) {
          last = await run(new TapeChooser(suspect.tape), true, true);
          if (last.verdict !== undefined) return { ...last, verdict: last.verdict, execution: suspect.execution };
        }
        const first = suspects[0]!.execution;
        const latest = suspects[suspects.length - 1]!.execution;
        const message = `an unhandled rejection (${errorLine(rejected[0])}) was reported during executions ${first}–${latest}, but none of them rejected when re-run alone: the scenario depends on something outside the harness`;
        return { result: last!.result, verdict: { kind: 'nondeterminism', message }, execution: latest };
      };

      let executions = 0;
      let steps = 0;
      let exhausted = false;
      let found: Found | undefined;
      while (found === undefined && executions < opts.runs && wallClock.now() - started < opts.timeLimitMs) {
        const chooser = strategy.nextExecution();
        if (chooser === undefined) {
          exhausted = true;
          break;
        }
        const { result, verdict } = await run(chooser, false, false);
        executions++;
        steps += result.step;
        strategy.executionEnded?.(result.step);
        if (verdict !== undefined) {
          await flushRejections(); // earlier executions' rejections, if any, go: this finding is reported
          batch.length = 0;
          found = { result, verdict, execution: executions - 1 };
        } else {
          batch.push({ tape: result.tape, execution: executions - 1 });
          if (batch.length >= TURN_EVERY_EXECUTIONS || wallClock.now() - lastTurn >= TURN_EVERY_MS) found = await turn();
        }
      }
      found ??= await turn();
      const base = { executions, steps, seed: opts.seed, strategy: strategy.name };
      if (found === undefined) {
        return { ok: true, expectationMet: meets(scenario.expected, undefined), ...base, elapsedMs: wallClock.now() - started, exhausted };
      }
      const failure = await reportFailure(scenario, definition, clock, strategy.name, opts, found);
      return { ok: false, failure, expectationMet: meets(scenario.expected, failure.kind), ...base, elapsedMs: wallClock.now() - started, exhausted: false };
    }),
  );
}

/** A failing execution found by the exploration. */
interface Found extends Judged {
  readonly verdict: Verdict;
  readonly execution: number;
}

/** The event loop gets a turn at least this often: real timers keep time and unhandled rejections are reported. */
const TURN_EVERY_EXECUTIONS = 64;
const TURN_EVERY_MS = 10;

/**
 * Turns a finding into the failure reported: minimised (or, for a livelock,
 * cut short), given its token, and re-run from that token to record its
 * trace; a re-run that disagrees is a nondeterminism finding.
 */
async function reportFailure(
  scenario: Scenario,
  definition: ScenarioDefinition,
  clock: VirtualClock,
  strategy: StrategyName,
  opts: ResolvedOptions,
  original: Found,
): Promise<Failure> {
  const { result, verdict } = original;
  const livelock = verdict.kind === 'step-limit' ? await shortenLivelock(scenario.name, definition, clock, result.tape, opts.maxSteps) : undefined;
  // A nondeterminism finding is about two runs disagreeing: there is nothing to minimise, and its re-run is only for the trace.
  const settled = verdict.kind === 'step-limit' || verdict.kind === 'nondeterminism';
  const minimised = settled ? undefined : await minimiseSchedule(scenario.name, definition, clock, { result, verdict }, opts.maxSteps);
  const found = livelock?.judged ?? minimised ?? { result, verdict };
  const maxSteps = livelock?.maxSteps ?? opts.maxSteps;
  const fairSteps = livelock?.fairSteps ?? defaultFairSteps(opts.maxSteps);
  const tape = found.result.tape;
  const id = scenarioId(scenario.name, scenario.threads);
  const token = encodeToken({ scenarioId: id, strategy, seed: opts.seed, execution: original.execution, maxSteps, fairSteps, tape });
  const recorded = await runJudged(scenario.name, definition, clock, new TapeChooser(tape), maxSteps, true, true, fairSteps);
  const same = recorded.verdict?.kind === found.verdict!.kind && recorded.result.step === found.result.step;
  const finalVerdict: Verdict = same
    ? recorded.verdict!
    : verdict.kind === 'nondeterminism'
      ? verdict
      : {
        kind: 'nondeterminism',
        message:
          `exploration found ${found.verdict!.kind} at step ${found.result.step}, but re-running the same schedule (to record it, with async context) gave ` +
          `${recorded.verdict === undefined ? 'no failure' : `${recorded.verdict.kind} at step ${recorded.result.step}`}: ` +
          `the scenario depends on something outside the harness (real time, Math.random, state kept between executions). First finding: ${found.verdict!.message}`,
      };
  return buildFailure(scenario, strategy, opts.seed, token, finalVerdict, recorded.result);
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
  return exclusive(() => captureRejections(async () => {
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
  }));
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
