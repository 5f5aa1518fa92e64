import { expect, TestRunner } from 'vitest';

/**
 * The little of vitest's test task the matchers read, typed by shape so the
 * declarations users compile against do not depend on vitest's internals.
 */
export interface TestTask {
  readonly name: string;
  /** The enclosing describe block; absent at a file's top level. */
  readonly suite?: { readonly name: string; readonly suite?: unknown } | undefined;
  /** The test's timeout in ms (its own, else `testTimeout`); 0 means none. */
  readonly timeout?: number | undefined;
  readonly result?: { readonly startTime?: number | undefined; readonly state?: string | undefined } | undefined;
  readonly context?: TaskContext | undefined;
  /** 'test' for a test; the file and the suites are tasks too. */
  readonly type?: string | undefined;
  /** The file's task, whose `tasks` (suites and tests, nested) tell which tests are running now. */
  readonly file?: { readonly tasks?: readonly TestTask[] | undefined } | undefined;
  readonly tasks?: readonly TestTask[] | undefined;
}

/** The test's context, as vitest 4 and 5 give it to the test function. */
export interface TaskContext {
  onTestFinished(fn: () => void): void;
  /** Aborted when vitest gives up on the test: it timed out, or the run was cancelled. */
  readonly signal?: AbortSignal | undefined;
  /** True once the test has used its own `expect` (the context's): calls through it name this very test. */
  readonly _local?: boolean | undefined;
}

/** `this` inside a matcher: vitest's matcher state, of which these fields are read. */
export interface MatcherContext {
  readonly task?: TestTask | undefined;
  readonly testPath?: string | undefined;
  readonly currentTestName?: string | undefined;
  readonly isNot?: boolean | undefined;
}

/** The test a matcher runs in, as far as vitest tells. */
export interface CurrentTest {
  /** Absolute path of the test file. */
  readonly file?: string;
  /** The describe blocks' names and the test's, outermost first: what `-t` matches, joined by spaces. */
  readonly names?: readonly string[];
  readonly timeoutMs?: number;
  /** When this attempt of the test began (epoch ms). */
  readonly startedAt?: number;
  readonly task?: TestTask;
  /**
   * True when the task may not be the test that called the matcher: through
   * the global `expect`, vitest names the test that started last, and other
   * tests are running side by side (it.concurrent). What is done for the
   * test then must not rely on which test it is (see replayToken.ts).
   */
  readonly ambiguous?: boolean;
  /** Aborted when vitest gives up on the test (a timeout): the matcher stops exploring. Absent when ambiguous. */
  readonly signal?: AbortSignal;
}

/**
 * Reads the test from the matcher's `this`; a matcher called as a plain
 * function (no `this`) asks vitest for the running test instead, so it still
 * prints a replay line for the right test and fits its budget to it.
 */
export function currentTest(context: MatcherContext | undefined): CurrentTest {
  const task = context?.task ?? (TestRunner.getCurrentTest() as TestTask | undefined);
  const file = context?.testPath ?? expect.getState().testPath;
  const test: { -readonly [K in keyof CurrentTest]: CurrentTest[K] } = {};
  if (file !== undefined && file !== '') test.file = file;
  if (task !== undefined) {
    test.task = task;
    test.names = namesOf(task);
    if (typeof task.timeout === 'number') test.timeoutMs = task.timeout;
    if (typeof task.result?.startTime === 'number') test.startedAt = task.result.startTime;
    // The global expect names the test that started last: with others running beside it, that may not be the caller.
    // A test that uses its context's expect is named by it, whichever started last.
    const named = context?.task !== undefined && (context.task !== TestRunner.getCurrentTest() || task.context?._local === true);
    if (!named && othersRunning(task)) test.ambiguous = true;
    else if (task.context?.signal instanceof AbortSignal) test.signal = task.context.signal;
  } else {
    const name = context?.currentTestName ?? expect.getState().currentTestName;
    // Only vitest's display form is known here: its " > " separators stand where -t expects spaces.
    if (name !== undefined && name !== '') test.names = name.split(' > ');
  }
  return test;
}

function namesOf(task: TestTask): string[] {
  const names = [task.name];
  for (let suite = task.suite; suite !== undefined; suite = suite.suite as TestTask['suite']) names.unshift(suite.name);
  return names;
}

/** Whether another test of the task's file is running now (vitest runs a file's concurrent tests side by side). */
function othersRunning(task: TestTask): boolean {
  const visit = (tasks: readonly TestTask[] | undefined): boolean =>
    tasks?.some((t) => (t !== task && t.type === 'test' && t.result?.state === 'run') || visit(t.tasks)) ?? false;
  return visit(task.file?.tasks);
}
