import type { ExploreOptions } from '../explore/options.ts';
import type { ExploreResult } from '../explore/result.ts';
import { count, duration } from '../report/summary.ts';
import type { CurrentTest } from './currentTest.ts';

/**
 * The share of the test's timeout that exploration may take. The rest is for
 * what follows a finding (minimising it, re-running it to record its trace),
 * for the test's own code, and for a machine slower than the one that ran
 * it last: a matcher that makes its test time out reports nothing at all.
 */
export const TIMEOUT_SHARE = 0.6;

/** explore()'s run count when none is given (the contract's default). */
export const DEFAULT_RUNS = 10_000;

export interface Budget {
  /** What explore() is given. */
  readonly options: ExploreOptions | undefined;
  /** The run count: the options' or the default, a cap on the time limit. */
  readonly runs: number;
  /** Present when the time limit was derived from the test's timeout. */
  readonly derived?: { readonly timeoutMs: number; readonly timeLimitMs: number };
}

/**
 * The matcher's budget: the options as given, plus, unless they set
 * `timeLimitMs`, a time limit that fits the test's timeout: TIMEOUT_SHARE of
 * it, less the time the test has already run. The run count still caps it.
 * Options that are not an object go to explore() untouched, to be refused there.
 */
export function budgetFor(options: ExploreOptions | undefined, test: CurrentTest, now = Date.now()): Budget {
  const given = options !== null && typeof options === 'object' && !Array.isArray(options) ? options : undefined;
  const runs = typeof given?.runs === 'number' ? given.runs : DEFAULT_RUNS;
  const timeout = test.timeoutMs;
  if ((options !== undefined && given === undefined) || given?.timeLimitMs !== undefined || timeout === undefined || !(timeout > 0) || !Number.isFinite(timeout)) {
    return { options, runs };
  }
  const used = test.startedAt === undefined ? 0 : Math.max(0, now - test.startedAt);
  // At least a millisecond: explore() refuses 0, and a test already late still gets one execution.
  const timeLimitMs = Math.max(1, Math.floor(timeout * TIMEOUT_SHARE - used));
  return { options: { ...given, timeLimitMs }, runs, derived: { timeoutMs: timeout, timeLimitMs } };
}

/** A warning for executions that ran out of steps while still progressing: not a finding, not a full pass either. */
export function unfinishedNote(result: ExploreResult): string {
  const n = result.unfinished ?? 0;
  return n === 0 ? '' : `; warning: ${count(n, 'execution')} ran out of steps while still progressing (raise maxSteps)`;
}

/** How far an exploration got, for the matchers' messages: executions, and what stopped it. */
export function progress(result: ExploreResult, budget: Budget): string {
  const executions = count(result.executions, 'execution');
  const outcomes = result.outcomes === undefined ? '' : `, ${count(result.outcomes.length, 'distinct outcome')}`;
  const tail = `${count(result.steps, 'step')}${outcomes}, strategy ${result.strategy ?? '?'}, seed ${result.seed}${unfinishedNote(result)}`;
  if (result.failure !== undefined) return `${executions}, ${tail}`;
  if (result.proved === true) return `proved: ${count(result.partialOrders ?? result.executions, 'partial order')} (${executions}, every schedule there is; assumes ${result.assumption ?? '?'}), ${tail}`;
  if (result.exhausted) return `${executions} (every schedule there is), ${tail}`;
  if (result.executions >= budget.runs) return `${executions} (the run count, not exhaustive), ${tail}`;
  const limit = budget.derived?.timeLimitMs ?? budget.options?.timeLimitMs;
  const why =
    budget.derived !== undefined
      ? `the time limit of ${duration(budget.derived.timeLimitMs)} (${TIMEOUT_SHARE} of the test's ${duration(budget.derived.timeoutMs)} timeout, ` +
        `less what the test had used) ran out first; raise the test's timeout (testTimeout) or pass timeLimitMs for more`
      : limit === undefined
        ? 'it stopped early'
        : `the time limit of ${duration(limit)} ran out first`;
  return `${result.executions.toLocaleString('en-US')} of ${count(budget.runs, 'execution')} (not exhaustive: ${why}), ${tail}`;
}
