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
  readonly result?: { readonly startTime?: number | undefined } | undefined;
  readonly context?: { onTestFinished(fn: () => void): void } | undefined;
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
