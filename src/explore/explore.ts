import type { ExecutionResult } from '../engine/execution.ts';
import type { Verdict } from '../engine/monitor.ts';
import { currentStore } from '../engine/context.ts';
import { HarnessUsageError } from '../runtime/virtual/host.ts';
import { meets } from '../workload/expectation.ts';
import { definitionOf, type Scenario, type ScenarioDefinition } from '../workload/scenario.ts';
import { exploreIsolated, replayIsolated } from './isolate/isolated.ts';
import { OutcomeHistogram } from './histogram.ts';
import { buildFailure } from './failure.ts';
import { minimiseSchedule, shortenLivelock } from './minimise.ts';
import { DEFAULT_STEP_TIMEOUT_MS, resolveOptions, resolveReplay, resolveReplayOptions, type ExploreOptions, type ReplayOptions, type ResolvedOptions } from './options.ts';
import { withRegressions } from './regressions.ts';
import type { ExploreResult, Failure } from './result.ts';
import type { Judged } from './run.ts';
import { withRunner, type Runner } from './runner.ts';
import type { StrategyLimits, StrategyName } from './strategies/index.ts';
import { TapeChooser } from './strategies/tape.ts';
import { decodeToken, encodeToken, scenarioId, TokenError, type TokenData } from './token.ts';
import { wallClock } from './wallClock.ts';
import { prove } from '../proof/prove.ts';

/**
 * Runs the scenario under many seeded interleavings and stops at the first
 * failure, which is re-run from its token to record its trace (so memory
 * stays flat however long the exploration). Rejects only when the scenario
 * cannot run at all.
 */
export function explore(scenario: Scenario, options?: ExploreOptions): Promise<ExploreResult> {
  return exploreNow(scenario, options, undefined);
}

/** explore() in a watched worker (the CLI's, cli/worker.ts): explores here, writing the heartbeat a watchdog in the parent thread reads. */
export function exploreWithHeartbeat(scenario: Scenario, options: ExploreOptions, heartbeat: Int32Array): Promise<ExploreResult> {
  return exploreNow(scenario, { ...options, isolate: false }, heartbeat);
}

function exploreNow(scenario: Scenario, options: ExploreOptions | undefined, heartbeat: Int32Array | undefined): Promise<ExploreResult> {
  let definition: ScenarioDefinition;
  let opts: ResolvedOptions;
  try {
    refuseNesting('explore');
    definition = checkedDefinition(scenario, 'explore');
    opts = { ...resolveOptions(options), heartbeat };
  } catch (error) {
    return Promise.reject(error);
  }
  if (opts.strategy === 'proof' && !opts.isolate) {
    // Proof mode explores an instrumented copy of the scenario (src/proof/prove.ts); unbounded unless runs says otherwise.
    return searchHere(scenario, definition, options?.runs === undefined ? { ...opts, runs: Number.MAX_SAFE_INTEGER } : opts);
  }
  const explored = (): Promise<ExploreResult> => (opts.isolate ? exploreIsolated(scenario, definition, opts) : searchHere(scenario, definition, opts));
  const search = (): Promise<ExploreResult> => explored().then((result) => heldToFinished(heldToMinRuns(result, opts.minRuns), opts.allowUnfinished));
  if (opts.regressions === undefined) return search();
  // The regression file's tokens are replayed as the search runs: isolated, under the watchdog, when it is.
  // In a watched worker (the CLI's, an isolated exploration's) the replays beat the same heartbeat, so a regression that hangs is seen.
  const replayIt = (s: Scenario, token: string): Promise<ExploreResult> =>
    opts.isolate ? replay(s, token, { isolate: true, stepTimeoutMs: opts.stepTimeoutMs }) : replayNow(s, token, undefined, heartbeat);
  return withRegressions(scenario, opts.regressions, search, replayIt);
}

/**
 * The search and its report, in this thread, with options already resolved:
 * what explore() adds around it (isolation, regressions, minRuns,
 * allowUnfinished) is its caller's. The isolated exploration's worker calls
 * it (exploreResolved), explore() itself, and proof mode, which explores an
 * instrumented copy of the scenario (src/proof/prove.ts).
 */
function searchHere(scenario: Scenario, definition: ScenarioDefinition, opts: ResolvedOptions): Promise<ExploreResult> {
  if (opts.strategy === 'proof') return prove(scenario, definition, opts, (run, o) => withRunner(run.scenario, run.definition, o, (runner) => exploreWith(runner, run.proof)));
  return withRunner(scenario, definition, opts, (runner) => exploreWith(runner));
}

/** The worker side of an isolated exploration (isolate/worker.ts): the search and its report, with the options its parent resolved. */
export function exploreResolved(scenario: Scenario, opts: ResolvedOptions): Promise<ExploreResult> {
  let definition: ScenarioDefinition;
  try {
    definition = checkedDefinition(scenario, 'explore');
  } catch (error) {
    return Promise.reject(error);
  }
  return searchHere(scenario, definition, opts);
}

/** minRuns: a search that found nothing in fewer executions, without trying every schedule, does not meet its expectation. */
function heldToMinRuns(result: ExploreResult, minRuns: number): ExploreResult {
  if (minRuns === 0 || result.failure !== undefined || result.exhausted || result.executions >= minRuns) return result;
  return { ...result, expectationMet: false, tooFewRuns: { executions: result.executions, minRuns } };
}

/** Executions that ran out of steps while still progressing were not checked to their end: no pass, unless allowed. */
function heldToFinished(result: ExploreResult, allowUnfinished: boolean): ExploreResult {
  if (allowUnfinished || result.failure !== undefined || (result.unfinished ?? 0) === 0) return result;
  return { ...result, expectationMet: false };
}

async function exploreWith(runner: Runner, proof?: StrategyLimits['proof']): Promise<ExploreResult> {
  const { scenario, opts } = runner;
  let unfinished = 0;
  const histogram = new OutcomeHistogram();
  let found: Found | undefined;
  const searched = await runner.search(
    {
      ended(judged, execution) {
        if (judged.outcome !== undefined) histogram.add(judged.outcome, judged.grade);
        if (judged.unfinished === true) unfinished++;
        if (judged.verdict === undefined) return false;
        found = { result: judged.result, verdict: judged.verdict, execution };
        return true;
      },
      // An earlier execution's late rejection is reported before a later finding.
      settled(judged, verdict, execution) {
        if (verdict === undefined) return false;
        found = { result: judged.result, verdict, execution };
        return true;
      },
    },
    proof,
  );
  const base = {
    executions: searched.executions,
    steps: searched.steps,
    unfinished,
    seed: opts.seed,
    strategy: searched.strategy,
    ...(searched.interrupted ? { interrupted: true } : {}),
    ...(histogram.size > 0 ? { outcomes: histogram.table() } : {}),
  };
  if (found === undefined) {
    return { ok: true, expectationMet: meets(scenario.expected, undefined), ...base, elapsedMs: wallClock.now() - searched.started, exhausted: searched.exhausted };
  }
  const failure = await reportFailure(runner, searched.strategy, found);
  return { ok: false, failure, expectationMet: meets(scenario.expected, failure.kind), ...base, elapsedMs: wallClock.now() - searched.started, exhausted: false };
}

/** A failing execution found by the exploration. */
interface Found {
  readonly result: ExecutionResult;
  readonly verdict: Verdict;
  readonly execution: number;
}

/**
 * Turns a finding into the failure reported: minimised (or, for a livelock,
 * cut short), given its token, and re-run from that token to record its
 * trace; a re-run that disagrees is a nondeterminism finding.
 */
async function reportFailure(runner: Runner, strategy: StrategyName, original: Found): Promise<Failure> {
  const { scenario, definition, opts } = runner;
  const { result, verdict } = original;
  const livelock = verdict.kind === 'step-limit' ? await shortenLivelock(runner.rerun, result.tape, opts.maxSteps) : undefined;
  // A nondeterminism finding is about two runs disagreeing: there is nothing to minimise, and its re-run is only for the trace.
  const settled = verdict.kind === 'step-limit' || verdict.kind === 'nondeterminism';
  const minimised = settled ? undefined : await minimiseSchedule(runner.rerun, { result, verdict }, opts.maxSteps);
  const found: Judged = livelock?.judged ?? minimised ?? { result, verdict };
  const maxSteps = livelock?.maxSteps ?? opts.maxSteps;
  const fairSteps = livelock?.fairSteps ?? runner.fairSteps;
  const tape = found.result.tape;
  const id = scenarioId(scenario.name, scenario.threads);
  const recorded = await runner.record(new TapeChooser(tape), maxSteps, fairSteps);
  const token = encodeToken({
    scenarioId: id,
    strategy,
    seed: opts.seed,
    execution: original.execution,
    maxSteps,
    fairSteps,
    startTime: opts.startTime,
    tape,
    kinds: found.result.kinds,
    ...(recorded.result.code === undefined ? {} : { code: recorded.result.code }),
  });
  const same = recorded.verdict?.kind === found.verdict!.kind && recorded.result.step === found.result.step;
  const finalVerdict: Verdict = same
    ? recorded.verdict!
    : verdict.kind === 'nondeterminism'
      ? verdict
      : {
          kind: 'nondeterminism',
          message:
            `exploration found ${found.verdict!.kind} at step ${found.result.step}, but re-running the same schedule (to record it) gave ` +
            `${recorded.verdict === undefined ? 'no failure' : `${recorded.verdict.kind} at step ${recorded.result.step}`}: ` +
            `the scenario depends on something outside the harness (real time, Math.random, state kept between executions). First finding: ${found.verdict!.message}`,
        };
  return buildFailure(scenario, strategy, opts.seed, token, finalVerdict, recorded.result, { startTime: opts.startTime, capacity: definition.capacity });
}

/**
 * Re-runs the one execution a token recorded, with its trace. A run that
 * leaves the recorded schedule is a `nondeterminism` finding naming the step;
 * a malformed token, or one recorded for another scenario, rejects.
 */
export function replay(scenario: Scenario, token: string, options?: ReplayOptions): Promise<ExploreResult> {
  return replayNow(scenario, token, options, undefined);
}

/** replay() in a watched worker (the CLI's, or an isolated replay's): writing the heartbeat a watchdog in the parent thread reads. */
export function replayWithHeartbeat(scenario: Scenario, token: string, heartbeat: Int32Array): Promise<ExploreResult> {
  return replayNow(scenario, token, undefined, heartbeat);
}

function replayNow(scenario: Scenario, token: string, options: ReplayOptions | undefined, heartbeat: Int32Array | undefined): Promise<ExploreResult> {
  let definition: ScenarioDefinition;
  let data: TokenData;
  try {
    refuseNesting('replay');
    definition = checkedDefinition(scenario, 'replay');
    data = decodeToken(token);
    const id = scenarioId(scenario.name, scenario.threads);
    if (data.scenarioId !== id) {
      throw new TokenError(
        `replay token ${String(token).slice(0, 24)}… was recorded for another scenario (id ${hex(data.scenarioId)}), ` +
          `not for '${scenario.name}' (id ${hex(id)}, threads ${scenario.threads.join(', ')}). Replay it against the scenario that printed it.`,
      );
    }
    if (options !== undefined) resolveReplayOptions(options);
  } catch (error) {
    return Promise.reject(error);
  }
  if (options?.isolate === true) return replayIsolated(scenario, definition, token, data, options.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS);
  const opts = resolveReplay(data, heartbeat);
  return withRunner(scenario, definition, opts, async (runner) => {
    const started = wallClock.now();
    const tape = new TapeChooser(data.tape);
    const { result, verdict } = await runner.record(tape, runner.maxSteps, runner.fairSteps, data.kinds);
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
    const stale = staleSchedule(data, result, leftover, tape.remaining);
    if (stale !== undefined) return { ok: true, expectationMet: meets(scenario.expected, undefined), stale, ...base };
    const failure = buildFailure(scenario, data.strategy, data.seed, token.trim(), leftover, result, { startTime: data.startTime, capacity: definition.capacity });
    return { ok: false, failure, expectationMet: meets(scenario.expected, failure.kind), ...base };
  });
}

/**
 * A replay that left its recorded schedule, on code that is not the code
 * the token was recorded on (their fingerprints differ): the bug was fixed,
 * or the code changed under the token. That is no finding — the failure did
 * not recur on the part of the schedule that still applied — and it is said
 * so, rather than called nondeterminism, which stays for the same code
 * running differently.
 */
function staleSchedule(data: TokenData, result: ExecutionResult, verdict: Verdict, remaining: number): string | undefined {
  if (verdict.kind !== 'nondeterminism' || data.code === undefined || result.code === undefined || result.code === data.code) return undefined;
  const left = result.end.type === 'diverged' ? result.end.message : remaining > 0 ? `the execution ended at step ${result.step} with ${remaining} recorded choice(s) unused` : undefined;
  if (left === undefined) return undefined;
  return (
    `the recorded schedule no longer applies to this code: the code under test has changed since the token was recorded ` +
    `(${left}), and the failure it recorded did not recur on the ${result.step} step(s) that still applied. ` +
    `If the change was the fix, this is the pass it looks like; explore again to test the new code.`
  );
}

/** An exploration started from a thread of another would wait for that one to finish: forever. */
export function refuseNesting(verb: string): void {
  if (currentStore() !== undefined) {
    throw new HarnessUsageError(
      `${verb}() was called from code running inside an execution (a thread, its setup, or a timer callback of a scenario being explored). ` +
        `Explorations do not nest: call ${verb}() from the test itself.`,
    );
  }
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
