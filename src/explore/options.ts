import { randomInt } from 'node:crypto';
import type { StrategyName } from './strategies/strategy.ts';

export interface ExploreOptions {
  /** Default: the best available ('portfolio'). */
  strategy?: StrategyName | undefined;
  /** Executions to try; default 10,000. */
  runs?: number | undefined;
  /** Default: random per call (INTERLEAVE_SEED fixes it); always reported. */
  seed?: number | undefined;
  /** Steps per execution before a livelock is suspected; default 10,000. */
  maxSteps?: number | undefined;
  /** Wall-clock budget for the whole exploration, in ms. */
  timeLimitMs?: number | undefined;
}

export interface ResolvedOptions {
  readonly strategy: StrategyName;
  readonly runs: number;
  readonly seed: number;
  readonly maxSteps: number;
  readonly timeLimitMs: number;
}

const STRATEGIES: readonly StrategyName[] = ['random', 'pct', 'dfs', 'portfolio'];
const KNOWN = ['strategy', 'runs', 'seed', 'maxSteps', 'timeLimitMs'];

/** Checks explore()'s options, with one clear sentence per problem naming the option. */
export function resolveOptions(options: unknown, env: NodeJS.ProcessEnv = process.env): ResolvedOptions {
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw new TypeError(`explore() options must be an object such as { runs: 1000 }; got ${describeValue(options)}.`);
  }
  const o = (options ?? {}) as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => !KNOWN.includes(k));
  if (unknown.length > 0) throw new TypeError(`explore() got unknown option(s) ${unknown.map((k) => `'${k}'`).join(', ')}; the options are ${KNOWN.join(', ')}.`);
  const strategy = o.strategy ?? 'portfolio';
  if (!STRATEGIES.includes(strategy as StrategyName)) {
    throw new TypeError(`explore() option 'strategy' must be one of ${STRATEGIES.join(', ')}; got ${describeValue(strategy)}.`);
  }
  const whole = (key: string, fallback: number, min: number): number => {
    const value = o[key] ?? fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      throw new TypeError(`explore() option '${key}' must be a whole number >= ${min}; got ${describeValue(value)}.`);
    }
    return value;
  };
  const envSeed = env.INTERLEAVE_SEED;
  let seedDefault: number;
  if (envSeed !== undefined && envSeed !== '') {
    seedDefault = Number(envSeed);
    if (!Number.isInteger(seedDefault) || seedDefault < 0 || seedDefault > 0xffffffff) {
      throw new TypeError(`INTERLEAVE_SEED must be a whole number from 0 to 4294967295; got '${envSeed}'.`);
    }
  } else {
    seedDefault = randomInt(0, 0xffffffff);
  }
  const seed = whole('seed', seedDefault, 0);
  if (seed > 0xffffffff) throw new TypeError(`explore() option 'seed' must be at most 4294967295; got ${seed}.`);
  const timeLimitMs = o.timeLimitMs ?? Infinity;
  if (typeof timeLimitMs !== 'number' || Number.isNaN(timeLimitMs) || timeLimitMs <= 0) {
    throw new TypeError(`explore() option 'timeLimitMs' must be a number of milliseconds > 0; got ${describeValue(timeLimitMs)}.`);
  }
  return {
    strategy: strategy as StrategyName,
    runs: whole('runs', 10_000, 1),
    seed,
    maxSteps: whole('maxSteps', 10_000, 1),
    timeLimitMs,
  };
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}
