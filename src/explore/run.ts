import { exceptionVerdict } from '../check/exception.ts';
import { verdictOf } from '../check/classify.ts';
import type { ExecutionResult } from '../engine/execution.ts';
import type { Verdict } from '../engine/monitor.ts';
import { pendingIo, realTimers } from '../engine/resources.ts';
import { gradeOutcome, type OutcomeGrade } from '../workload/outcome.ts';
import type { ScenarioDefinition } from '../workload/scenario.ts';
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

/**
 * How an execution that ended is judged: the engine's end, then its outcome
 * and how the scenario's outcome classes grade it. (What escaped it is
 * judged again by `judge` once the event loop has turned.)
 */
export function judgeEnded(result: ExecutionResult, maxSteps: number, definition: ScenarioDefinition): Judged {
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
