import { exceptionVerdict } from '../check/exception.ts';
import { EventLoopLaws, lawsChecked } from '../check/laws/eventLoopLaws.ts';
import { verdictOf } from '../check/classify.ts';
import type { Chooser, DecisionKind } from '../engine/chooser.ts';
import type { VirtualClock } from '../engine/clock.ts';
import { runExecution, type ExecutionResult, type Session } from '../engine/execution.ts';
import type { Verdict } from '../engine/monitor.ts';
import { pendingIo, realTimers } from '../engine/resources.ts';
import { gradeOutcome, type OutcomeGrade } from '../workload/outcome.ts';
import type { ScenarioDefinition } from '../workload/scenario.ts';
import { turnEventLoop } from './escapes.ts';
import { defaultFairSteps } from './fairSteps.ts';

export { defaultFairSteps };

export interface Judged {
  readonly result: ExecutionResult;
  readonly verdict: Verdict | undefined;
  /** It ran past its step budget and the fair continuation, still progressing: neither a finding nor a full pass. */
  readonly unfinished?: boolean;
  /** The execution's outcome, when the scenario has one and the execution ran to its end. */
  readonly outcome?: string;
  /** How the scenario's outcome classes grade it. */
  readonly grade?: OutcomeGrade;
}

/** One execution to run and judge. */
export interface RunRequest {
  readonly scenarioName: string;
  readonly definition: ScenarioDefinition;
  readonly clock: VirtualClock;
  readonly chooser: Chooser;
  readonly maxSteps: number;
  /** Steps of fair continuation before a livelock is called; default `defaultFairSteps(maxSteps)`. */
  readonly fairSteps?: number;
  /** Replaying a tape: keep its chooser past `maxSteps`. */
  readonly replaying: boolean;
  /** Record a trace (and take the code's fingerprint). */
  readonly record: boolean;
  /** Replaying a token: the kind of each recorded choice, checked decision by decision. */
  readonly recordedKinds?: readonly DecisionKind[] | undefined;
  /**
   * Give the event loop a turn after the execution, so that a rejection it
   * left unhandled is reported and judged with it; the exploration loop
   * batches that turn over many passing executions instead (see explore.ts).
   */
  readonly flush: boolean;
  readonly session: Session;

  /** True once the exploration's time is up: the execution then stops where it is, unfinished. */
  readonly outOfTime?: () => boolean;
  /** Shared memory a watchdog in another thread reads (isolated explorations). */
  readonly heartbeat?: Int32Array | undefined;
}

/** Runs one execution and judges it: the engine's end, then what escaped it. */
export async function runJudged(request: RunRequest): Promise<Judged> {
  const { definition, maxSteps } = request;
  const laws = lawsChecked() ? new EventLoopLaws() : undefined;
  const result = await runExecution(definition, {
    clock: request.clock,
    chooser: request.chooser,
    maxSteps,
    fairSteps: request.fairSteps ?? defaultFairSteps(maxSteps),
    replaying: request.replaying,
    record: request.record,
    recordedKinds: request.recordedKinds,
    session: request.session,
    outOfTime: request.outOfTime,
    heartbeat: request.heartbeat,
    loopObserver: laws,
  });
  if (laws?.violation !== undefined) throw new Error(`internal: Interleave broke an event-loop law in '${request.scenarioName}' at or before step ${result.step}: ${laws.violation}`);
  if (request.flush) await turnEventLoop();
  const judged = judgeEnded(result, maxSteps, definition);
  // Judged: whatever its verdict, the execution's leftover timeouts and immediates now run out, as a passing one's do.
  await result.runOut();
  return judged;
}

function judgeEnded(result: ExecutionResult, maxSteps: number, definition: ScenarioDefinition): Judged {
  const verdict = judge(result, maxSteps, definition);
  if (result.end.type === 'unfinished' && verdict === undefined) return { result, verdict, unfinished: true };
  // An execution that ran to its end has an outcome, even one a detector then judged wrong (a duplicated item is an outcome too).
  const ended = result.end.type === 'completed' || (result.end.type === 'verdict' && result.end.atEnd);
  if (!ended || definition.outcome === undefined) return { result, verdict };
  let outcome: string;
  try {
    outcome = definition.outcome(result.state);
  } catch (error) {
    return { result, verdict: verdict ?? exceptionVerdict('outcome(state)', error, result.step) };
  }
  if (definition.outcomeClasses === undefined) return { result, verdict, outcome };
  const grade = gradeOutcome(definition.outcomeClasses, outcome);
  if (verdict !== undefined || grade.expectation !== 'forbidden') return { result, verdict, outcome, grade };
  return { result, verdict: forbiddenVerdict(outcome, grade.description), outcome, grade };
}

function forbiddenVerdict(outcome: string, description: string): Verdict {
  return { kind: 'forbidden-outcome', message: `the execution's outcome "${outcome}" is forbidden: ${description}.` };
}

/** The verdict of an execution, escapes included; called again once late rejections have been reported. */
export function judge(result: ExecutionResult, maxSteps: number, definition: ScenarioDefinition): Verdict | undefined {
  let verdict = verdictOf(result, maxSteps, () => definition.hints(result.state));
  const io = pendingIo(result.resources);
  if (result.end.type === 'stuck' && io.length > 0) {
    // Not a deadlock under the model: a thread waits for the outside world, which no schedule controls.
    verdict = {
      kind: 'nondeterminism',
      message:
        `the execution stopped at step ${result.step} with code of the execution waiting on real I/O (${io.join(', ')}) that the harness ` +
        `cannot control or replay. Keep real I/O out of scenarios: give the implementation a fake (an in-memory file, a stub client).`,
    };
  }
  if (verdict === undefined && result.rejections.length > 0) verdict = rejectionVerdict(result.rejections[0], result.step);
  const timers = realTimers(result.resources);
  if (verdict === undefined && timers > 0) {
    verdict = {
      kind: 'nondeterminism',
      message:
        `${timers} real timer(s) were created by the execution's code, escaping virtual time (a setTimeout captured ` +
        `before Interleave loaded?); runs of one seed may differ. Import 'interleave' before the code under test.`,
    };
  }
  return verdict;
}


export function rejectionVerdict(reason: unknown, step: number): Verdict {
  return exceptionVerdict('a promise nobody awaited', reason, step, 'rejected, unhandled,');
}
