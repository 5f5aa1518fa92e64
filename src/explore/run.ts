import { exceptionVerdict } from '../check/exception.ts';
import { verdictOf } from '../check/classify.ts';
import type { Chooser } from '../engine/chooser.ts';
import type { VirtualClock } from '../engine/clock.ts';
import { errorLine, runExecution, type ExecutionResult } from '../engine/execution.ts';
import type { Verdict } from '../engine/monitor.ts';
import type { ScenarioDefinition } from '../workload/scenario.ts';
import { beginWatch, endWatch, flushRejections } from './escapes.ts';

export interface Judged {
  readonly result: ExecutionResult;
  readonly verdict: Verdict | undefined;
  /** The execution parked a thread on an ordinary promise, so it ran again with async context. */
  readonly neededContext?: boolean;
}

export class ScenarioCannotRun extends Error {
  override name = 'ScenarioCannotRun';
}

/**
 * Runs one execution and judges it: the engine's end, then what escaped it.
 * With `flush`, it also gives the event loop a turn so that a rejection the
 * execution left unhandled is reported and judged; the exploration loop
 * batches that turn over many passing executions instead (see explore.ts).
 * With `direct`, the execution starts without async context (the fast path
 * of the search, see engine/context.ts); runs that are reported — the
 * recorded re-run of a failure and every replay — keep async context
 * throughout, so what is reported is judged under the faithful model.
 */
export async function runJudged(
  scenarioName: string,
  definition: ScenarioDefinition,
  clock: VirtualClock,
  chooser: Chooser,
  maxSteps: number,
  replaying: boolean,
  record: boolean,
  fairSteps = defaultFairSteps(maxSteps),
  flush = true,
  direct = false,
): Promise<Judged> {
  let watch = beginWatch();
  let result = await runExecution(definition, { clock, chooser, maxSteps, fairSteps, replaying, record, direct });
  const neededContext = result.end.type === 'needs-context';
  if (neededContext) {
    // The same decisions again, with async context from the start; then on, with the same chooser.
    watch = beginWatch();
    result = await runExecution(definition, { clock, chooser, maxSteps, fairSteps, replaying, record, direct: false, prefix: result.tape });
  }
  const escapes = endWatch(watch);
  const rejected = flush ? await flushRejections() : [];
  if (result.end.type === 'setup-error') {
    const error = result.end.error;
    const where = error instanceof Error && error.stack ? `\n${error.stack.split('\n').slice(1, 4).join('\n')}` : '';
    throw new ScenarioCannotRun(`scenario '${scenarioName}' cannot run: its setup (or create) threw ${errorLine(error)}${where}`);
  }
  let verdict = verdictOf(result, maxSteps, () => definition.hints(result.state));
  if (result.end.type === 'stuck' && escapes.pendingIo.length > 0) {
    // Not a deadlock under the model: a thread waits for the outside world, which no schedule controls.
    verdict = {
      kind: 'nondeterminism',
      message:
        `the execution stopped at step ${result.step} with a thread waiting on real I/O (${escapes.pendingIo.join(', ')}) that the harness ` +
        `cannot control or replay. Keep real I/O out of scenarios: give the implementation a fake (an in-memory file, a stub client).`,
    };
  }
  if (verdict === undefined && rejected.length > 0) verdict = rejectionVerdict(rejected[0], result.step);
  if (verdict === undefined && escapes.realTimers > 0) {
    verdict = {
      kind: 'nondeterminism',
      message:
        `${escapes.realTimers} real timer(s) were created inside the execution, escaping virtual time (a setTimeout captured ` +
        `before Interleave loaded?); runs of one seed may differ. Import 'interleave' before the code under test.`,
    };
  }
  return { result, verdict, neededContext };
}

/** How long a fair round-robin continuation runs before a livelock is called: as long again as the budget, at least 1,000 steps. */
export function defaultFairSteps(maxSteps: number): number {
  return Math.max(maxSteps, 1000);
}

export function rejectionVerdict(reason: unknown, step: number): Verdict {
  return exceptionVerdict('a promise nobody awaited', reason, step, 'rejected, unhandled,');
}
