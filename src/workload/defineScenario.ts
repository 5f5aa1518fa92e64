import { invariantMonitor } from '../check/invariant.ts';
import type { Runtime } from '../runtime/types.ts';
import { readExpectation } from './expectation.ts';
import { outcomeClassProblems, outcomeText, type OutcomeClasses } from './outcome.ts';
import { makeScenario, type Expectation, type Scenario } from './scenario.ts';

export interface ScenarioSpec<S> {
  name: string;
  /** Builds the shared state; runs inside each execution, so its timers are virtual. */
  setup: (rt: Runtime) => S;
  /** The threads, by name; each starts at a scheduling point of its own. */
  threads: Record<string, (state: S, rt: Runtime) => Promise<void>>;
  /** Checked after every step: `true` holds, a string is the violation. */
  invariant?: ((state: S) => true | string) | undefined;
  /**
   * What an execution came to, as a short string or a small value (which
   * workers were admitted, in what order they finished...): the outcome of
   * each execution that completes is counted, and `npm run conformance`
   * compares the harness's outcomes with real Node's.
   */
  outcome?: ((state: S) => unknown) | undefined;
  /**
   * How outcomes are graded, as jcstress does: acceptable, interesting or
   * forbidden classes, each with a description, and a catch-all. A
   * forbidden outcome is a finding (`forbidden-outcome`).
   */
  outcomes?: OutcomeClasses | undefined;
  /** Checked once the execution has ended; a violation has kind `invariant`. */
  final?: ((state: S) => true | string) | undefined;
  expected?: Expectation | undefined;
}

/** A scenario of named threads over shared state built by `setup`. */
export function defineScenario<S>(spec: ScenarioSpec<S>): Scenario {
  const problems: string[] = [];
  const s = (spec ?? {}) as Partial<ScenarioSpec<S>>;
  const name = typeof s.name === 'string' && s.name.trim() !== '' ? s.name : '(unnamed)';
  if (name === '(unnamed)') problems.push(`'name' must be a non-empty string; got ${JSON.stringify(s.name)}.`);
  if (typeof s.setup !== 'function') problems.push(`'setup' must be a function (rt) => state; got ${typeof s.setup}.`);
  const threads = s.threads !== null && typeof s.threads === 'object' ? Object.entries(s.threads) : [];
  if (threads.length === 0) problems.push(`'threads' must be an object with at least one thread function.`);
  for (const [threadName, body] of threads) {
    if (typeof body !== 'function') problems.push(`thread '${threadName}' must be a function (state, rt) => Promise<void>; got ${typeof body}.`);
    // Reports name timer callbacks `timer#N`: a thread so named would read as one.
    if (/^timer#\d+$/.test(threadName)) problems.push(`thread name '${threadName}' is reserved: reports name timer callbacks 'timer#N'. Rename the thread.`);
  }
  for (const key of ['invariant', 'final', 'outcome'] as const) {
    const shape = key === 'outcome' ? '(state) => string or a small value' : '(state) => true | string';
    if (s[key] !== undefined && typeof s[key] !== 'function') problems.push(`'${key}' must be a function ${shape}; got ${typeof s[key]}.`);
  }
  const expected = readExpectation(s.expected, problems);
  outcomeClassProblems(s.outcomes, problems);
  if (s.outcomes !== undefined && s.outcome === undefined) problems.push(`'outcomes' grades outcomes, so 'outcome' (state) => string is needed too.`);
  return makeScenario<S>(name, expected, {
    problems,
    threadNames: threads.map(([n]) => n),
    setup: (rt) => s.setup!(rt),
    bodies: threads.map(([, body]) => (state: S, rt: Runtime) => body(state, rt)),
    monitors: (state) => (s.invariant !== undefined || s.final !== undefined ? [invariantMonitor(state, s.invariant, s.final)] : []),
    hints: () => ({}),
    code: [s.setup, ...threads.map(([, body]) => body), s.invariant, s.final, s.outcome],
    ...(s.outcome === undefined ? {} : { outcome: (state: S) => outcomeText(s.outcome!(state)) }),
    ...(s.outcomes === undefined ? {} : { outcomeClasses: s.outcomes }),
  });
}
