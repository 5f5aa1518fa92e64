import { explore, replay } from '../explore/explore.ts';
import type { ExploreOptions } from '../explore/options.ts';
import type { ExploreResult } from '../explore/result.ts';
import { TokenError } from '../explore/token.ts';
import { count } from '../report/summary.ts';
import { renderTextReport } from '../report/text.ts';
import type { FailureKind } from '../trace/index.ts';
import type { Scenario } from '../workload/scenario.ts';
import { budgetFor, progress, unfinishedNote } from './budget.ts';
import { currentTest, type CurrentTest, type MatcherContext } from './currentTest.ts';
import { vitestReplayCommand } from './replayCommand.ts';
import { REPLAY_VARIABLE, requestedReplay, tokenClaimed, tokenForeign } from './replayToken.ts';

export interface MatcherResult {
  pass: boolean;
  message: () => string;
}

/**
 * What a matcher ran: an exploration within the budget, or the one execution
 * INTERLEAVE_REPLAY names; `done` says which, and how far it got. No result:
 * the token belongs to another scenario, and this one was not checked.
 */
interface Ran {
  readonly result?: ExploreResult;
  readonly done: string;
  /**
   * Where the failure's step is: an exploration reports the simplest
   * execution it could make of the one it found, which its token replays and
   * which may be longer than every execution it explored.
   */
  readonly where: string;
}

async function run(scenario: Scenario, options: ExploreOptions | undefined, test: CurrentTest): Promise<Ran> {
  const token = requestedReplay();
  if (token === undefined) {
    const budget = budgetFor(options, test);
    const result = await explore(scenario, stoppedWithTest(budget.options, test.signal));
    // vitest gave up on the test (it timed out): the exploration stopped at once instead of holding up the tests after it.
    const abandoned = test.signal?.aborted === true && result.interrupted === true;
    const done = abandoned ? `${progress(result, budget)}; stopped because vitest gave up on the test (${reasonOf(test.signal!)})` : progress(result, budget);
    return { result, done, where: ' of its replay' };
  }
  try {
    const result = await replay(scenario, token);
    tokenClaimed(test);
    return { result, done: `replaying the execution ${REPLAY_VARIABLE} names`, where: '' };
  } catch (error) {
    // The token was checked as well-formed, so a TokenError here means it was recorded for another scenario.
    if (!(error instanceof TokenError)) throw error;
    tokenForeign(test, scenario.name, error.message);
    return { done: `${REPLAY_VARIABLE} names an execution of another scenario`, where: '' };
  }
}

function allowsUnfinished(options: ExploreOptions | undefined): boolean {
  return options !== null && typeof options === 'object' && options.allowUnfinished === true;
}

/** explore()'s options, with the test's signal beside the caller's own: either stops the exploration. */
function stoppedWithTest(options: ExploreOptions | undefined, signal: AbortSignal | undefined): ExploreOptions | undefined {
  if (signal === undefined) return options;
  if (options === undefined) return { signal };
  // Options that are not an object go to explore() untouched, to be refused there; a signal that is not one, likewise.
  if (options === null || typeof options !== 'object' || Array.isArray(options)) return options;
  if (options.signal === undefined) return { ...options, signal };
  if (!(options.signal instanceof AbortSignal)) return options;
  return { ...options, signal: AbortSignal.any([options.signal, signal]) };
}

function reasonOf(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason.message : String(reason);
}

/** Neither a pass nor a failure, whichever way the matcher was asked (`.not` included). */
function notChecked(context: MatcherContext | undefined, scenario: Scenario, done: string): MatcherResult {
  return { pass: context?.isNot !== true, message: () => `'${scenario.name}' was not checked: ${done}` };
}

function report(scenario: Scenario, result: ExploreResult, test: CurrentTest): string {
  if (result.failure === undefined) return '';
  const text = renderTextReport(result.failure, { scenario: scenario.name, replayCommand: vitestReplayCommand(result.failure.replay, test) });
  return `\n\n${text.trimEnd()}`;
}

/**
 * `await expect(scenario).toSurviveInterleavings({ runs })`: passes when
 * exploration finds no failure. Its failure message is the text report,
 * ending with the command that replays the failure through vitest, so the CI
 * log shows the bug and how to see it again.
 */
export async function toSurviveInterleavings(this: MatcherContext | void, scenario: Scenario, options?: ExploreOptions): Promise<MatcherResult> {
  const context = this ?? undefined;
  const test = currentTest(context);
  const { result, done, where } = await run(scenario, options, test);
  if (result === undefined) return notChecked(context, scenario, done);
  const failure = result.failure;
  const short = result.tooFewRuns;
  // Executions not checked to their end: no pass, unless the options allow them (a scenario meant never to end).
  const unfinished = failure === undefined && (result.unfinished ?? 0) > 0 && !allowsUnfinished(options);
  // A pass vitest prints nothing for: the warning goes to the console, so nobody takes it for a full pass.
  if (failure === undefined && !unfinished && (result.unfinished ?? 0) > 0 && context?.isNot !== true) console.warn(`interleave: '${scenario.name}'${unfinishedNote(result)}`);
  return {
    // Too few executions, or some unfinished, to call it a pass; under .not (a bug expected) no bug is no bug, however many ran.
    pass: failure === undefined && ((short === undefined && !unfinished) || context?.isNot === true),
    message: () =>
      failure !== undefined
        ? `expected '${scenario.name}' to survive every interleaving, but it failed with ${failure.kind} at step ${failure.step}${where} (${done})${report(scenario, result, test)}`
        : short !== undefined && context?.isNot !== true
          ? `expected '${scenario.name}' to survive every interleaving in at least ${count(short.minRuns, 'execution')} (minRuns), ` +
            `but only ${short.executions.toLocaleString('en-US')} ran: ${done}`
          : unfinished && context?.isNot !== true
            ? `expected '${scenario.name}' to survive every interleaving, but ${count(result.unfinished!, 'execution')} were unfinished: ` +
              `they ran out of steps while still progressing and were not checked to their end (raise maxSteps, or pass allowUnfinished: true ` +
              `if the scenario is meant never to end): ${done}`
            : result.proved === true
              ? `expected '${scenario.name}' to fail under some interleaving, but it was ${done}`
              : `expected '${scenario.name}' to fail under some interleaving, but ${done} found nothing`,
  };
}

/**
 * `await expect(scenario).toHaveInterleavingBug('deadlock', { runs })`: for
 * demonstrations, passes when exploration finds a failure of that kind (any
 * of several kinds, or any kind when none is given).
 */
export async function toHaveInterleavingBug(
  this: MatcherContext | void,
  scenario: Scenario,
  kind?: FailureKind | readonly FailureKind[],
  options?: ExploreOptions,
): Promise<MatcherResult> {
  const context = this ?? undefined;
  const test = currentTest(context);
  const { result, done, where } = await run(scenario, options, test);
  if (result === undefined) return notChecked(context, scenario, done);
  const kinds = kind === undefined ? undefined : typeof kind === 'string' ? [kind] : kind;
  const failure = result.failure;
  const found = failure !== undefined && (kinds === undefined || kinds.includes(failure.kind));
  const short = result.tooFewRuns;
  // Under .not (no bug expected), a search cut short before minRuns shows no absence of bugs: it fails too.
  const pass = found || (short !== undefined && context?.isNot === true);
  const wanted = kinds === undefined ? 'a bug' : `a bug of kind ${kinds.join(' or ')}`;
  const shortNote =
    short === undefined ? '' : `; only ${count(short.executions, 'execution')} ran, fewer than minRuns (${short.minRuns.toLocaleString('en-US')})`;
  return {
    pass,
    message: () =>
      failure === undefined
        ? `expected '${scenario.name}' ${context?.isNot === true ? 'not ' : ''}to show ${wanted}, ${context?.isNot === true ? 'and' : 'but'} ${done} found none${shortNote}`
        : `expected '${scenario.name}' ${found ? 'not ' : ''}to show ${wanted}, but it failed with ${failure.kind} at step ${failure.step}${where} (${done})${report(scenario, result, test)}`,
  };
}
