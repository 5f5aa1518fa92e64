import type { Chooser } from '../engine/chooser.ts';
import { VirtualClock } from '../engine/clock.ts';
import { currentStore } from '../engine/context.ts';
import type { ExecutionResult, Session } from '../engine/execution.ts';
import type { Verdict } from '../engine/monitor.ts';
import { watchResources } from '../engine/resources.ts';
import { HarnessUsageError } from '../runtime/virtual/host.ts';
import { meets } from '../workload/expectation.ts';
import { definitionOf, type Scenario, type ScenarioDefinition } from '../workload/scenario.ts';
import { turnEventLoop } from './escapes.ts';
import { exclusive } from './exclusive.ts';
import { exploreIsolated, replayIsolated } from './isolate/isolated.ts';
import { EXECUTION } from '../engine/heartbeat.ts';
import { OutcomeHistogram } from './histogram.ts';
import { buildFailure } from './failure.ts';
import { minimiseSchedule, shortenLivelock } from './minimise.ts';
import { DEFAULT_STEP_TIMEOUT_MS, resolveOptions, resolveReplayOptions, type ExploreOptions, type ReplayOptions, type ResolvedOptions } from './options.ts';
import { withRegressions } from './regressions.ts';
import type { ExploreResult, Failure } from './result.ts';
import { defaultFairSteps, judge, runJudged, type Judged } from './run.ts';
import { makeStrategy, type StrategyName } from './strategies/index.ts';
import { TapeChooser } from './strategies/tape.ts';
import { decodeToken, encodeToken, scenarioId, TokenError, type TokenData } from './token.ts';
import { wallClock } from './wallClock.ts';
import { prove, type ProofRun } from '../proof/prove.ts';


/** What an exploration or replay shares among its executions. */
interface Context {
  readonly scenario: Scenario;
  readonly definition: ScenarioDefinition;
  readonly clock: VirtualClock;
  readonly session: Session;
  readonly heartbeat: Int32Array | undefined;
  /** Proof mode: what its plan knows of the run's code (src/proof). */
  readonly proof?: ProofRun['proof'];
}

/**
 * Runs the scenario under many seeded interleavings and stops at the first
 * failure, which is re-run from its token to record its trace (so memory
 * stays flat however long the exploration). Rejects only when the scenario
 * cannot run at all.
 */
export function explore(scenario: Scenario, options?: ExploreOptions): Promise<ExploreResult> {
  return exploreNow(scenario, options, undefined);
}

/** The worker side of an isolated exploration: explores here, writing the heartbeat a watchdog in the parent reads. */
export function exploreWithHeartbeat(scenario: Scenario, options: ExploreOptions, heartbeat: Int32Array): Promise<ExploreResult> {
  return exploreNow(scenario, { ...options, isolate: false }, heartbeat);
}

function exploreNow(scenario: Scenario, options: ExploreOptions | undefined, heartbeat: Int32Array | undefined): Promise<ExploreResult> {
  let definition: ScenarioDefinition;
  let opts: ResolvedOptions;
  try {
    refuseNesting('explore');
    definition = checkedDefinition(scenario, 'explore');
    opts = resolveOptions(options);
  } catch (error) {
    return Promise.reject(error);
  }
  if (opts.strategy === 'proof' && !opts.isolate) {
    // Proof mode explores an instrumented copy of the scenario (src/proof/prove.ts); unbounded unless runs says otherwise.
    const bounded = options?.runs === undefined ? { ...opts, runs: Number.MAX_SAFE_INTEGER } : opts;
    return prove(scenario, definition, bounded, (run, o) =>
      exclusive(() => withSession(run.scenario, run.definition, o.startTime, heartbeat, (context) => exploreWith({ ...context, proof: run.proof }, o))),
    );
  }
  const explored = (): Promise<ExploreResult> =>
    opts.isolate ? exploreIsolated(scenario, definition, opts) : exclusive(() => withSession(scenario, definition, opts.startTime, heartbeat, (context) => exploreWith(context, opts)));
  const search = (): Promise<ExploreResult> => explored().then((result) => heldToFinished(heldToMinRuns(result, opts.minRuns), opts.allowUnfinished));
  if (opts.regressions === undefined) return search();
  // The regression file's tokens are replayed as the search runs: isolated, under the watchdog, when it is.
  // In a watched worker (the CLI's, an isolated exploration's) the replays beat the same heartbeat, so a regression that hangs is seen.
  const replayIt = (s: Scenario, token: string): Promise<ExploreResult> =>
    opts.isolate ? replay(s, token, { isolate: true, stepTimeoutMs: opts.stepTimeoutMs }) : replayNow(s, token, undefined, heartbeat);
  return withRegressions(scenario, opts.regressions, search, replayIt);
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

async function exploreWith(context: Context, opts: ResolvedOptions): Promise<ExploreResult> {
  const { scenario, definition } = context;
  const strategy = makeStrategy(opts.strategy, opts.seed, { maxSteps: opts.maxSteps, preemptions: opts.preemptions, depth: opts.depth, ...(context.proof === undefined ? {} : { proof: context.proof }) });
  const started = wallClock.now();
  const { scenario: { name: scenarioName }, clock, session, heartbeat } = context;
  // The time limit holds inside an execution too: a long one stops where it is, unfinished, rather than run on past it.
  const outOfTime = (): boolean => wallClock.now() - started >= opts.timeLimitMs;
  const run = (chooser: Chooser): Promise<Judged> => {
    if (heartbeat !== undefined) heartbeat[EXECUTION] = executions;
    return runJudged({ scenarioName, definition, clock, session, chooser, maxSteps: opts.maxSteps, replaying: false, record: false, flush: false, outOfTime, heartbeat });
  };
  let executions = 0;
  let steps = 0;
  let unfinished = 0;
  const histogram = new OutcomeHistogram();
  // Passing executions since the event loop's last turn: Node reports a rejection one of them left unhandled only on a turn.
  const batch: Found[] = [];
  let lastTurn = started;
  const turn = async (): Promise<Found | undefined> => {
    await turnEventLoop();
    lastTurn = wallClock.now();
    opts.onProgress?.({ executions, steps, elapsedMs: lastTurn - started, runs: opts.runs, timeLimitMs: opts.timeLimitMs });
    for (const suspect of batch.splice(0)) {
      const verdict = judge(suspect.result, opts.maxSteps, definition);
      if (verdict !== undefined) return { result: suspect.result, verdict, execution: suspect.execution };
    }
    return undefined;
  };

  let exhausted = false;
  let found: Found | undefined;
  // At least one execution always runs: a result never says ok about nothing.
  let interrupted = false;
  while (found === undefined && executions < opts.runs && (executions === 0 || wallClock.now() - started < opts.timeLimitMs)) {
    if (opts.signal?.aborted === true && executions > 0) {
      interrupted = true;
      break;
    }
    const chooser = strategy.nextExecution();
    if (chooser === undefined) {
      exhausted = true;
      break;
    }
    const judged = await run(chooser);
    executions++;
    if (judged.outcome !== undefined) histogram.add(judged.outcome, judged.grade);
    if (judged.unfinished === true) unfinished++;
    steps += judged.result.step;
    strategy.executionEnded?.(judged.result.step);
    // Built field by field, not spread: this runs once per execution, and an object spread here cost more than the execution itself.
    const entry: Found = { result: judged.result, verdict: judged.verdict as Verdict, execution: executions - 1 };
    if (judged.verdict !== undefined) found = entry;
    else {
      batch.push(entry);
      if (batch.length >= TURN_EVERY_EXECUTIONS || wallClock.now() - lastTurn >= TURN_EVERY_MS) found = await turn();
    }
  }
  // Earlier executions' rejections, if any, are judged before a later finding is reported.
  found = (await turn()) ?? found;
  opts.onProgress?.({ executions, steps, elapsedMs: wallClock.now() - started, runs: opts.runs, timeLimitMs: opts.timeLimitMs });
  const base = {
    executions,
    steps,
    unfinished,
    seed: opts.seed,
    strategy: strategy.name,
    ...(interrupted ? { interrupted } : {}),
    ...(histogram.size > 0 ? { outcomes: histogram.table() } : {}),
  };
  if (found === undefined) {
    return { ok: true, expectationMet: meets(scenario.expected, undefined), ...base, elapsedMs: wallClock.now() - started, exhausted };
  }
  const failure = await reportFailure(context, strategy.name, opts, found);
  return { ok: false, failure, expectationMet: meets(scenario.expected, failure.kind), ...base, elapsedMs: wallClock.now() - started, exhausted: false };
}

/** A failing execution found by the exploration. */
interface Found extends Judged {
  readonly verdict: Verdict;
  readonly execution: number;
}

/** The event loop gets a turn at least this often: real timers keep time and unhandled rejections are reported. */
const TURN_EVERY_EXECUTIONS = 64;
const TURN_EVERY_MS = 10;

function common(context: Context) {
  return { scenarioName: context.scenario.name, definition: context.definition, clock: context.clock, session: context.session, heartbeat: context.heartbeat };
}

/**
 * Turns a finding into the failure reported: minimised (or, for a livelock,
 * cut short), given its token, and re-run from that token to record its
 * trace; a re-run that disagrees is a nondeterminism finding.
 */
async function reportFailure(context: Context, strategy: StrategyName, opts: ResolvedOptions, original: Found): Promise<Failure> {
  const { scenario } = context;
  const { result, verdict } = original;
  const runner = (chooser: Chooser, maxSteps: number, fairSteps: number): Promise<Judged> =>
    runJudged({ ...common(context), chooser, maxSteps, fairSteps, replaying: true, record: false, flush: true });
  const livelock = verdict.kind === 'step-limit' ? await shortenLivelock(runner, result.tape, opts.maxSteps) : undefined;
  // A nondeterminism finding is about two runs disagreeing: there is nothing to minimise, and its re-run is only for the trace.
  const settled = verdict.kind === 'step-limit' || verdict.kind === 'nondeterminism';
  const minimised = settled ? undefined : await minimiseSchedule(runner, { result, verdict }, opts.maxSteps);
  const found = livelock?.judged ?? minimised ?? { result, verdict };
  const maxSteps = livelock?.maxSteps ?? opts.maxSteps;
  const fairSteps = livelock?.fairSteps ?? defaultFairSteps(opts.maxSteps);
  const tape = found.result.tape;
  const id = scenarioId(scenario.name, scenario.threads);
  const recorded = await runJudged({ ...common(context), chooser: new TapeChooser(tape), maxSteps, fairSteps, replaying: true, record: true, flush: true });
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
  return buildFailure(scenario, strategy, opts.seed, token, finalVerdict, recorded.result, { startTime: opts.startTime, capacity: context.definition.capacity });
}

/**
 * Re-runs the one execution a token recorded, with its trace. A run that
 * leaves the recorded schedule is a `nondeterminism` finding naming the step;
 * a malformed token, or one recorded for another scenario, rejects.
 */
export function replay(scenario: Scenario, token: string, options?: ReplayOptions): Promise<ExploreResult> {
  return replayNow(scenario, token, options, undefined);
}

/** The worker side of an isolated replay. */
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
  return exclusive(() =>
    withSession(scenario, definition, data.startTime, heartbeat, async (context) => {
      const started = wallClock.now();
      const tape = new TapeChooser(data.tape);
      const { result, verdict } = await runJudged({
        ...common(context),
        chooser: tape,
        maxSteps: data.maxSteps,
        fairSteps: data.fairSteps,
        replaying: true,
        record: true,
        flush: true,
        recordedKinds: data.kinds,
      });
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
    }),
  );
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

/** Runs `work` with a fresh clock and session, watching what executions leave behind until it is done. */
async function withSession<T>(
  scenario: Scenario,
  definition: ScenarioDefinition,
  startTime: number,
  heartbeat: Int32Array | undefined,
  work: (context: Context) => Promise<T>,
): Promise<T> {
  const stopWatching = watchResources();
  const session: Session = { open: true };
  try {
    return await work({ scenario, definition, clock: new VirtualClock(startTime), session, heartbeat });
  } finally {
    session.open = false;
    stopWatching();
  }
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
