/**
 * The one place executions are run. explore() and its report (with the
 * minimiser), replay(), collectOutcomes() and both workers (the isolated
 * exploration's and the CLI's, which call explore and replay) run theirs
 * through a Runner: it holds what the executions of one exploration share —
 * the scenario, its resolved options (options.ts), a fresh virtual clock,
 * the session that listens for what they leave behind — and builds each
 * execution's engine options here, and nowhere else.
 */
import { EventLoopLaws, lawsChecked } from '../check/laws/eventLoopLaws.ts';
import type { Chooser, DecisionKind } from '../engine/chooser.ts';
import { VirtualClock } from '../engine/clock.ts';
import { runExecution, type Session } from '../engine/execution.ts';
import { EXECUTION, HeartbeatObserver } from '../engine/heartbeat.ts';
import type { Verdict } from '../engine/monitor.ts';
import { watchResources } from '../engine/resources.ts';
import type { Scenario, ScenarioDefinition } from '../workload/scenario.ts';
import { turnEventLoop } from './escapes.ts';
import { exclusive } from './exclusive.ts';
import { defaultFairSteps } from './fairSteps.ts';
import type { ResolvedOptions } from './options.ts';
import { judge, judgeEnded, type Judged } from './run.ts';
import { makeStrategy, type StrategyLimits, type StrategyName } from './strategies/index.ts';
import { wallClock } from './wallClock.ts';

/**
 * Runs `work` with a runner for the scenario: one exploration (or replay) at
 * a time in the process (exclusive.ts), with a fresh clock and session,
 * watching what its executions leave behind until it is done.
 */
export function withRunner<T>(scenario: Scenario, definition: ScenarioDefinition, opts: ResolvedOptions, work: (runner: Runner) => Promise<T>): Promise<T> {
  return exclusive(async () => {
    const stopWatching = watchResources();
    const session: Session = { open: true };
    try {
      return await work(new Runner(scenario, definition, opts, new VirtualClock(opts.startTime), session));
    } finally {
      session.open = false;
      stopWatching();
    }
  });
}

/** How a search went: what explore() and collectOutcomes() report of it beside their findings. */
export interface Searched {
  readonly strategy: StrategyName;
  readonly executions: number;
  readonly steps: number;
  /** The strategy ran out of schedules: it tried every one there is. */
  readonly exhausted: boolean;
  /** The options' signal stopped it. */
  readonly interrupted: boolean;
  /** When it began, by the wall clock. */
  readonly started: number;
}

/** What a search does with its executions. Each returns true to stop the search there. */
export interface SearchHooks {
  /** An execution as it ended, judged. One with no verdict is judged again once the event loop has turned (`settled`). */
  ended(judged: Judged, execution: number): boolean;
  /** An execution that ended with no verdict, judged again after a turn of the event loop, which reports the rejections it left unhandled. */
  settled(judged: Judged, verdict: Verdict | undefined, execution: number): boolean;
}

/** The event loop gets a turn at least this often in a search: real timers keep time and unhandled rejections are reported. */
const TURN_EVERY_EXECUTIONS = 64;
const TURN_EVERY_MS = 10;

/** How one execution runs: a search's, a re-run of a schedule (replaying), or a re-run that records its trace. */
interface Mode {
  readonly replaying: boolean;
  readonly record: boolean;
  /** Give the event loop a turn after the execution, so that a rejection it left unhandled is judged with it (a search batches its turns instead). */
  readonly flush: boolean;
}
const SEARCH: Mode = { replaying: false, record: false, flush: false };
const RERUN: Mode = { replaying: true, record: false, flush: true };
const RECORD: Mode = { replaying: true, record: true, flush: true };

export class Runner {
  /** The budgets the options give: steps before the fair continuation, and steps of it. */
  readonly maxSteps: number;
  readonly fairSteps: number;
  private readonly observer: HeartbeatObserver | undefined;

  constructor(
    readonly scenario: Scenario,
    readonly definition: ScenarioDefinition,
    readonly opts: ResolvedOptions,
    private readonly clock: VirtualClock,
    private readonly session: Session,
  ) {
    this.maxSteps = opts.maxSteps;
    this.fairSteps = opts.fairSteps ?? defaultFairSteps(opts.maxSteps);
    this.observer = opts.heartbeat === undefined ? undefined : new HeartbeatObserver(opts.heartbeat);
  }

  /**
   * Re-runs a schedule, unrecorded, under the budgets given, with a turn of
   * the event loop after it: the minimiser's and the livelock shortener's
   * runs (minimise.ts).
   */
  readonly rerun = (chooser: Chooser, maxSteps: number, fairSteps: number): Promise<Judged> => this.run(chooser, RERUN, maxSteps, fairSteps);

  /**
   * Re-runs a schedule and records its trace: a failure's, to report it, and
   * a replay's. `recordedKinds`, from a token, checks each choice's kind as
   * it is made, so that a replay out of step is caught where it slips.
   */
  record(chooser: Chooser, maxSteps = this.maxSteps, fairSteps = this.fairSteps, recordedKinds?: readonly DecisionKind[]): Promise<Judged> {
    return this.run(chooser, RECORD, maxSteps, fairSteps, recordedKinds);
  }

  /**
   * The search: executions of the options' strategy, one after another,
   * until a hook stops it, the strategy has no schedule left, `runs` have
   * run, the time limit is up or the signal aborts (one execution always
   * runs: a search never says ok about nothing). A passing execution's
   * event-loop turn is batched: the loop turns every TURN_EVERY_EXECUTIONS
   * executions or TURN_EVERY_MS, and once at the end, and the passing
   * executions since the last turn are judged again (`settled`).
   */
  async search(hooks: SearchHooks, proof?: StrategyLimits['proof']): Promise<Searched> {
    const { opts } = this;
    const strategy = makeStrategy(opts.strategy, opts.seed, { maxSteps: opts.maxSteps, preemptions: opts.preemptions, depth: opts.depth, ...(proof === undefined ? {} : { proof }) });
    const started = wallClock.now();
    // The time limit holds inside an execution too: a long one stops where it is, unfinished, rather than run on past it.
    const outOfTime = (): boolean => wallClock.now() - started >= opts.timeLimitMs;
    let executions = 0;
    let steps = 0;
    let stopped = false;
    // Passing executions since the event loop's last turn: Node reports a rejection one of them left unhandled only on a turn.
    const batch: { readonly judged: Judged; readonly execution: number }[] = [];
    let lastTurn = started;
    const turn = async (): Promise<void> => {
      await turnEventLoop();
      lastTurn = wallClock.now();
      opts.onProgress?.({ executions, steps, elapsedMs: lastTurn - started, runs: opts.runs, timeLimitMs: opts.timeLimitMs });
      for (const { judged, execution } of batch.splice(0)) {
        if (hooks.settled(judged, judge(judged.result, opts.maxSteps, this.definition), execution)) {
          stopped = true;
          return;
        }
      }
    };
    let exhausted = false;
    let interrupted = false;
    while (!stopped && executions < opts.runs && (executions === 0 || wallClock.now() - started < opts.timeLimitMs)) {
      if (opts.signal?.aborted === true && executions > 0) {
        interrupted = true;
        break;
      }
      const chooser = strategy.nextExecution();
      if (chooser === undefined) {
        exhausted = true;
        break;
      }
      if (opts.heartbeat !== undefined) opts.heartbeat[EXECUTION] = executions;
      const judged = await this.run(chooser, SEARCH, opts.maxSteps, this.fairSteps, undefined, outOfTime);
      const execution = executions++;
      steps += judged.result.step;
      strategy.executionEnded?.(judged.result.step);
      if (hooks.ended(judged, execution)) stopped = true;
      else if (judged.verdict === undefined) {
        batch.push({ judged, execution });
        if (batch.length >= TURN_EVERY_EXECUTIONS || wallClock.now() - lastTurn >= TURN_EVERY_MS) await turn();
      }
    }
    // Earlier executions' rejections, if any, are judged before the search ends.
    await turn();
    opts.onProgress?.({ executions, steps, elapsedMs: wallClock.now() - started, runs: opts.runs, timeLimitMs: opts.timeLimitMs });
    return { strategy: strategy.name, executions, steps, exhausted, interrupted, started };
  }

  /** Runs one execution and judges it: the engine's end, then what escaped it. Every execution's engine options are built here. */
  private async run(chooser: Chooser, mode: Mode, maxSteps: number, fairSteps: number, recordedKinds?: readonly DecisionKind[], outOfTime?: () => boolean): Promise<Judged> {
    const { definition } = this;
    const laws = lawsChecked() ? new EventLoopLaws() : undefined;
    const result = await runExecution(definition, {
      clock: this.clock,
      chooser,
      maxSteps,
      fairSteps,
      replaying: mode.replaying,
      record: mode.record,
      recordedKinds,
      session: this.session,
      outOfTime,
      observer: this.observer,
      loopObserver: laws,
    });
    if (laws?.violation !== undefined) throw new Error(`internal: Interleave broke an event-loop law in '${this.scenario.name}' at or before step ${result.step}: ${laws.violation}`);
    if (mode.flush) await turnEventLoop();
    const judged = judgeEnded(result, maxSteps, definition);
    // Judged: whatever its verdict, the execution's leftover timeouts and immediates now run out, as a passing one's do.
    await result.runOut();
    return judged;
  }
}
