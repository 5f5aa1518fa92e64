import { randomInt } from 'node:crypto';
import { DEFAULT_START_TIME } from '../engine/clock.ts';
import { isStrategyName, STRATEGY_NAMES, type StrategyName } from './strategies/strategy.ts';
import { TOKEN_MAX, type TokenData } from './token.ts';

export interface ExploreOptions {
  /** Default: the best available ('portfolio'). */
  strategy?: StrategyName | undefined;
  /** Executions to try; default 10,000. */
  runs?: number | undefined;
  /**
   * The fewest executions that count as a pass (at most `runs`; default none): an exploration that finds nothing
   * in fewer (its time limit ran out first, or `signal` stopped it) does not meet its expectation, and says how
   * many ran (`tooFewRuns`), as fast-check's `markInterruptAsFailure` does. One that tried every schedule there
   * is, or found a bug, is not held to it. For CI, where a slow machine would otherwise pass on a few executions.
   */
  minRuns?: number | undefined;
  /**
   * Whether executions that ran out of steps while still progressing (`unfinished`: past `maxSteps` and the fair
   * continuation after it, with no state come back) may pass. Default false: such a run did not check those
   * executions to their end, so its expectation is not met (`expectationMet: false`; the CLI says INCOMPLETE and
   * exits 1), though `ok` stays true — nothing was found. Raise `maxSteps` first; allow it when the scenario is
   * meant never to end.
   */
  allowUnfinished?: boolean | undefined;
  /** Default: random per call (INTERLEAVE_SEED fixes it); always reported. */
  seed?: number | undefined;
  /** Steps per execution before a livelock is suspected; default 10,000. */
  maxSteps?: number | undefined;
  /** Wall-clock budget for the whole exploration, in ms. */
  timeLimitMs?: number | undefined;
  /** dfs (alone or in the portfolio): the largest number of preemptions a schedule may have; default unbounded. */
  preemptions?: number | undefined;
  /** PCT: the depth of bug it aims at (d: d-1 priority change points per execution); default 3. */
  depth?: number | undefined;
  /** Where the virtual clock starts, in epoch milliseconds; default 2025-01-01T12:00:00Z (DEFAULT_START_TIME). */
  startTime?: number | undefined;
  /** Called as the exploration goes (at least every 10 ms of it, and once at its end): for progress bars. */
  onProgress?: ((progress: ExploreProgress) => void) | undefined;
  /** Stops the exploration early (Ctrl-C): it resolves with what it found so far, `interrupted: true`. */
  signal?: AbortSignal | undefined;
  /** A regression file (see regressions.ts): its tokens for this scenario are replayed first, and a failure found is appended. */
  regressions?: string | undefined;
  /**
   * Run the exploration in a worker thread that a watchdog can stop: a step
   * that runs longer than `stepTimeoutMs` (code that never yields: a
   * synchronous loop, an endless chain of promises) is then reported as a
   * `hang` finding instead of hanging the test. The worker imports the
   * module that defined the scenario and finds it among its exports, so the
   * scenario must be exported by a module other than the test file.
   */
  isolate?: boolean | undefined;
  /** With `isolate`: the longest a step may run, in wall-clock ms; default 5,000. */
  stepTimeoutMs?: number | undefined;
}

/** Options of `replay()`: a replay of a hang must run isolated too. */
export interface ReplayOptions {
  isolate?: boolean | undefined;
  stepTimeoutMs?: number | undefined;
}

/** How long a step may run under the watchdog before it is a hang. */
export const DEFAULT_STEP_TIMEOUT_MS = 5000;

export function resolveReplayOptions(options: unknown): ReplayOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new TypeError(`replay() options must be an object such as { isolate: true }; got ${describeValue(options)}.`);
  const o = options as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => k !== 'isolate' && k !== 'stepTimeoutMs');
  if (unknown.length > 0) throw new TypeError(`replay() got unknown option(s) ${unknown.map((k) => `'${k}'`).join(', ')}; the options are isolate, stepTimeoutMs.`);
  if (o.isolate !== undefined && typeof o.isolate !== 'boolean') throw new TypeError(`replay() option 'isolate' must be true or false; got ${describeValue(o.isolate)}.`);
  if (o.stepTimeoutMs !== undefined && !(typeof o.stepTimeoutMs === 'number' && o.stepTimeoutMs > 0)) {
    throw new TypeError(`replay() option 'stepTimeoutMs' must be a number of milliseconds > 0; got ${describeValue(o.stepTimeoutMs)}.`);
  }
  return o as ReplayOptions;
}

/** How far an exploration has got. */
export interface ExploreProgress {
  readonly executions: number;
  readonly steps: number;
  readonly elapsedMs: number;
  /** The run count asked for, and the time limit (Infinity when none). */
  readonly runs: number;
  readonly timeLimitMs: number;
}

/**
 * The one bag of options after resolving: explore()'s options checked and
 * defaulted (resolveOptions), or a replay token's (resolveReplay). It travels
 * to the runner (runner.ts), which builds every execution from it.
 */
export interface ResolvedOptions {
  readonly strategy: StrategyName;
  readonly runs: number;
  /** 0 when not given: any number of executions counts. */
  readonly minRuns: number;
  readonly allowUnfinished: boolean;
  readonly seed: number;
  readonly maxSteps: number;
  readonly timeLimitMs: number;
  readonly preemptions: number;
  readonly depth: number | undefined;
  readonly startTime: number;
  readonly onProgress: ((progress: ExploreProgress) => void) | undefined;
  readonly signal: AbortSignal | undefined;
  readonly isolate: boolean;
  readonly stepTimeoutMs: number;
  readonly regressions: string | undefined;
  /** Steps of fair continuation before a livelock is called; default `defaultFairSteps(maxSteps)`. A replay takes its token's. */
  readonly fairSteps?: number | undefined;
  /** Shared memory a watchdog in another thread reads (see engine/heartbeat.ts): given in a watched worker, the CLI's or an isolated exploration's. */
  readonly heartbeat?: Int32Array | undefined;
}

const KNOWN = ['strategy', 'runs', 'seed', 'maxSteps', 'timeLimitMs', 'preemptions', 'depth', 'startTime', 'onProgress', 'signal', 'isolate', 'stepTimeoutMs', 'regressions', 'minRuns', 'allowUnfinished'];

/** Checks explore()'s options, with one clear sentence per problem naming the option. */
export function resolveOptions(options: unknown, env: NodeJS.ProcessEnv = process.env): ResolvedOptions {
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw new TypeError(`explore() options must be an object such as { runs: 1000 }; got ${describeValue(options)}.`);
  }
  const o = (options ?? {}) as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => !KNOWN.includes(k));
  if (unknown.length > 0) throw new TypeError(`explore() got unknown option(s) ${unknown.map((k) => `'${k}'`).join(', ')}; the options are ${KNOWN.join(', ')}.`);
  const strategy = o.strategy ?? 'portfolio';
  if (!isStrategyName(strategy)) {
    throw new TypeError(`explore() option 'strategy' must be one of ${STRATEGY_NAMES.join(', ')}; got ${describeValue(strategy)}.`);
  }
  const whole = (key: string, fallback: number, min: number, max = TOKEN_MAX): number => {
    const value = o[key] ?? fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      throw new TypeError(`explore() option '${key}' must be a whole number >= ${min}; got ${describeValue(value)}.`);
    }
    if (value > max) {
      const why = max === TOKEN_MAX ? ' A replay token carries whole numbers up to 2^53.' : '';
      throw new TypeError(`explore() option '${key}' must be at most ${max}; got ${value}.${why}`);
    }
    return value;
  };
  const envSeed = env.INTERLEAVE_SEED;
  let seedDefault: number;
  // Read as the CLI reads it: blank is unset, and only decimal digits are a seed (Number() would take ' ' for 0, and '0x10' or '1e3').
  if (envSeed !== undefined && envSeed.trim() !== '') {
    seedDefault = /^\d+$/.test(envSeed.trim()) ? Number(envSeed) : NaN;
    if (!Number.isInteger(seedDefault) || seedDefault < 0 || seedDefault > 0xffffffff) {
      throw new TypeError(`INTERLEAVE_SEED must be a whole number from 0 to 4294967295; got '${envSeed}'.`);
    }
  } else {
    seedDefault = randomInt(0, 0xffffffff);
  }
  const seed = whole('seed', seedDefault, 0, 0xffffffff);
  const timeLimitMs = o.timeLimitMs ?? Infinity;
  if (typeof timeLimitMs !== 'number' || Number.isNaN(timeLimitMs) || timeLimitMs <= 0) {
    throw new TypeError(`explore() option 'timeLimitMs' must be a number of milliseconds > 0; got ${describeValue(timeLimitMs)}.`);
  }
  const preemptions = o.preemptions === undefined ? Infinity : whole('preemptions', 0, 0);
  const depth = o.depth === undefined ? undefined : whole('depth', 3, 1, 64);
  // A realistic clock never reads near 0; startTime may be anything a Date can show, 0 included when asked for.
  const startTime = whole('startTime', DEFAULT_START_TIME, 0, 8.64e15);
  if (o.isolate !== undefined && typeof o.isolate !== 'boolean') throw new TypeError(`explore() option 'isolate' must be true or false; got ${describeValue(o.isolate)}.`);
  const stepTimeoutMs = o.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
  if (typeof stepTimeoutMs !== 'number' || !(stepTimeoutMs > 0) || !Number.isFinite(stepTimeoutMs)) {
    throw new TypeError(`explore() option 'stepTimeoutMs' must be a number of milliseconds > 0; got ${describeValue(stepTimeoutMs)}.`);
  }
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) {
    throw new TypeError(`explore() option 'signal' must be an AbortSignal; got ${describeValue(o.signal)}.`);
  }
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') {
    throw new TypeError(`explore() option 'onProgress' must be a function (progress) => void; got ${describeValue(o.onProgress)}.`);
  }
  if (o.regressions !== undefined && (typeof o.regressions !== 'string' || o.regressions === '')) {
    throw new TypeError(`explore() option 'regressions' must be the path of a regression file; got ${describeValue(o.regressions)}.`);
  }
  const runs = whole('runs', 10_000, 1);
  const minRuns = o.minRuns === undefined ? 0 : whole('minRuns', 0, 1);
  if (minRuns > runs) {
    throw new TypeError(
      `explore() option 'minRuns' (${minRuns}) is more than 'runs' (${runs}): such an exploration could never pass. Raise runs, or lower minRuns.`,
    );
  }
  if (o.allowUnfinished !== undefined && typeof o.allowUnfinished !== 'boolean') {
    throw new TypeError(`explore() option 'allowUnfinished' must be true or false; got ${describeValue(o.allowUnfinished)}.`);
  }
  return {
    strategy,
    runs,
    minRuns,
    allowUnfinished: o.allowUnfinished === true,
    seed,
    maxSteps: whole('maxSteps', 10_000, 1),
    timeLimitMs,
    preemptions,
    depth,
    startTime,
    onProgress: o.onProgress as ((progress: ExploreProgress) => void) | undefined,
    signal: o.signal as AbortSignal | undefined,
    isolate: o.isolate === true,
    stepTimeoutMs,
    regressions: o.regressions as string | undefined,
  };
}

/** A replay's options, from its token: its strategy, seed, budgets and start time, one execution, in this thread. */
export function resolveReplay(data: TokenData, heartbeat: Int32Array | undefined): ResolvedOptions {
  return {
    strategy: data.strategy,
    runs: 1,
    minRuns: 0,
    allowUnfinished: false,
    seed: data.seed,
    maxSteps: data.maxSteps,
    fairSteps: data.fairSteps,
    timeLimitMs: Infinity,
    preemptions: Infinity,
    depth: undefined,
    startTime: data.startTime,
    onProgress: undefined,
    signal: undefined,
    isolate: false,
    stepTimeoutMs: DEFAULT_STEP_TIMEOUT_MS,
    regressions: undefined,
    heartbeat,
  };
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}
