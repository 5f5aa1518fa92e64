/**
 * explore()'s options, resolved (explore/options.ts): the documented
 * defaults, INTERLEAVE_SEED, and each bound exactly at its edge, with the
 * sentence that names the option. badInput.test.ts checks the refusals
 * through explore(); these pin the edges and the defaults it cannot see.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_START_TIME } from '../../src/engine/clock.ts';
import { resolveOptions, resolveReplayOptions } from '../../src/explore/options.ts';
import { TOKEN_MAX } from '../../src/explore/token.ts';

const NO_ENV = {};
const refusal = (options: unknown, env: NodeJS.ProcessEnv = NO_ENV): string => {
  try {
    resolveOptions(options, env);
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    return (error as TypeError).message;
  }
  throw new Error(`${JSON.stringify(options)} was accepted`);
};

describe('the defaults', () => {
  it('are the portfolio, 10,000 runs and steps, no time limit, unbounded preemptions, PCT at its own depth, the realistic start instant', () => {
    const o = resolveOptions(undefined, NO_ENV);
    expect(o).toMatchObject({ strategy: 'portfolio', runs: 10_000, maxSteps: 10_000, timeLimitMs: Infinity, preemptions: Infinity, depth: undefined, startTime: DEFAULT_START_TIME });
    expect(o.onProgress).toBeUndefined();
    expect(o.signal).toBeUndefined();
    expect(o.isolate).toBe(false);
    expect(o.stepTimeoutMs).toBe(5000);
    expect(o.minRuns).toBe(0);
    expect(o.allowUnfinished).toBe(false);
    expect(resolveOptions({}, NO_ENV)).toMatchObject({ strategy: 'portfolio', runs: 10_000 });
  });

  it('draw a seed per call, a whole number from 0 to 2^32-1, unless INTERLEAVE_SEED fixes it', () => {
    const seeds = new Set(Array.from({ length: 20 }, () => resolveOptions({}, NO_ENV).seed));
    expect(seeds.size).toBeGreaterThan(1);
    for (const seed of seeds) expect(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff).toBe(true);
    expect(resolveOptions({}, { INTERLEAVE_SEED: '7' }).seed).toBe(7);
    expect(resolveOptions({}, { INTERLEAVE_SEED: '0' }).seed).toBe(0);
    expect(resolveOptions({}, { INTERLEAVE_SEED: '4294967295' }).seed).toBe(4294967295);
    // A blank variable is no variable, as the CLI reads it; an explicit seed wins over the environment.
    for (const blank of ['', ' ', '\t']) expect(Number.isInteger(resolveOptions({}, { INTERLEAVE_SEED: blank }).seed)).toBe(true);
    expect(new Set(Array.from({ length: 10 }, () => resolveOptions({}, { INTERLEAVE_SEED: ' ' }).seed)).size).toBeGreaterThan(1);
    expect(resolveOptions({}, { INTERLEAVE_SEED: ' 12 ' }).seed).toBe(12);
    expect(resolveOptions({ seed: 3 }, { INTERLEAVE_SEED: '7' }).seed).toBe(3);
  });

  it('pass what was given through as it is', () => {
    const onProgress = (): void => {};
    const signal = new AbortController().signal;
    const given = { strategy: 'dfs', runs: 5, minRuns: 5, allowUnfinished: true, seed: 9, maxSteps: 77, timeLimitMs: 12.5, preemptions: 2, depth: 4, startTime: 0, onProgress, signal, isolate: true, stepTimeoutMs: 250 } as const;
    expect(resolveOptions(given, NO_ENV)).toEqual(given);
  });
});

describe('INTERLEAVE_SEED out of range', () => {
  it.each(['-1', '4294967296', '1.5', 'abc', '0x10', '1e3', '+5'])('%j is refused, naming the variable, as the CLI refuses it', (value) => {
    expect(refusal({}, { INTERLEAVE_SEED: value })).toBe(`INTERLEAVE_SEED must be a whole number from 0 to 4294967295; got '${value}'.`);
  });
});

describe('each bound, at its edge', () => {
  it.each([
    ['runs', 1, 0],
    ['minRuns', 1, 0],
    ['maxSteps', 1, 0],
    ['seed', 0, -1],
    ['preemptions', 0, -1],
    ['depth', 1, 0],
    ['startTime', 0, -1],
  ])('%s: %d is accepted, %d refused as below its least', (key, least, below) => {
    expect(resolveOptions({ [key]: least }, NO_ENV)).toMatchObject({ [key]: least });
    expect(refusal({ [key]: below })).toBe(`explore() option '${key}' must be a whole number >= ${least}; got ${below}.`);
  });

  it.each([
    ['seed', 0xffffffff, ''],
    ['depth', 64, ''],
    ['startTime', 8.64e15, ''],
    ['runs', TOKEN_MAX, ' A replay token carries whole numbers up to 2^53.'],
    ['maxSteps', TOKEN_MAX, ' A replay token carries whole numbers up to 2^53.'],
  ])('%s: %d is accepted, one more refused as above its most', (key, most, why) => {
    expect(resolveOptions({ [key]: most }, NO_ENV)).toMatchObject({ [key]: most });
    const over = most === TOKEN_MAX ? 2 ** 53 : most + 1;
    expect(refusal({ [key]: over })).toBe(`explore() option '${key}' must be at most ${most}; got ${over}.${why}`);
  });

  it('timeLimitMs: any positive number of milliseconds, fractions and Infinity included; not 0, a negative, NaN or a string', () => {
    expect(resolveOptions({ timeLimitMs: 0.25 }, NO_ENV).timeLimitMs).toBe(0.25);
    expect(resolveOptions({ timeLimitMs: Infinity }, NO_ENV).timeLimitMs).toBe(Infinity);
    for (const bad of [0, -1, Number.NaN]) expect(refusal({ timeLimitMs: bad })).toBe(`explore() option 'timeLimitMs' must be a number of milliseconds > 0; got ${bad}.`);
    expect(refusal({ timeLimitMs: '5' })).toBe(`explore() option 'timeLimitMs' must be a number of milliseconds > 0; got '5'.`);
  });

  it('whole numbers only: a fraction, a string or an object is refused by its description; null, like undefined, is the default', () => {
    expect(resolveOptions({ runs: null, maxSteps: null, timeLimitMs: null }, NO_ENV)).toMatchObject({ runs: 10_000, maxSteps: 10_000, timeLimitMs: Infinity });
    expect(refusal({ runs: 1.5 })).toBe(`explore() option 'runs' must be a whole number >= 1; got 1.5.`);
    expect(refusal({ runs: '3' })).toBe(`explore() option 'runs' must be a whole number >= 1; got '3'.`);
    expect(refusal({ runs: {} })).toBe(`explore() option 'runs' must be a whole number >= 1; got an object.`);
    expect(refusal({ runs: [] })).toBe(`explore() option 'runs' must be a whole number >= 1; got an array.`);
  });
});

describe('options of the wrong shape', () => {
  it('names the strategies, and every known option when one is not', () => {
    expect(refusal({ strategy: 'bfs' })).toBe(`explore() option 'strategy' must be one of random, pct, dfs, portfolio, proof; got 'bfs'.`);
    expect(refusal({ strategy: 3 })).toBe(`explore() option 'strategy' must be one of random, pct, dfs, portfolio, proof; got 3.`);
    expect(refusal({ rusn: 1 })).toBe(
      `explore() got unknown option(s) 'rusn'; the options are strategy, runs, seed, maxSteps, timeLimitMs, preemptions, depth, startTime, onProgress, signal, isolate, stepTimeoutMs, regressions, minRuns, allowUnfinished.`,
    );
  });

  it('wants an AbortSignal and a function where it says so', () => {
    expect(refusal({ signal: {} })).toBe(`explore() option 'signal' must be an AbortSignal; got an object.`);
    expect(refusal({ onProgress: 'yes' })).toBe(`explore() option 'onProgress' must be a function (progress) => void; got 'yes'.`);
  });

  it('wants an object', () => {
    expect(refusal(null)).toBe('explore() options must be an object such as { runs: 1000 }; got null.');
    expect(refusal([1])).toBe('explore() options must be an object such as { runs: 1000 }; got an array.');
    expect(refusal(5)).toBe('explore() options must be an object such as { runs: 1000 }; got 5.');
  });
});

describe('the watchdog and regression options', () => {
  it('isolate is true or false, stepTimeoutMs a positive finite number (default 5,000), regressions a non-empty path', () => {
    expect(resolveOptions({}, NO_ENV)).toMatchObject({ isolate: false, stepTimeoutMs: 5000, regressions: undefined });
    expect(resolveOptions({ isolate: true, stepTimeoutMs: 0.5, regressions: 'r.txt' }, NO_ENV)).toMatchObject({ isolate: true, stepTimeoutMs: 0.5, regressions: 'r.txt' });
    expect(refusal({ isolate: 'yes' })).toBe(`explore() option 'isolate' must be true or false; got 'yes'.`);
    for (const bad of [0, -1, Infinity, NaN, '5']) {
      expect(refusal({ stepTimeoutMs: bad })).toBe(`explore() option 'stepTimeoutMs' must be a number of milliseconds > 0; got ${typeof bad === 'string' ? `'${bad}'` : String(bad)}.`);
    }
    for (const bad of ['', 3, null]) {
      expect(refusal({ regressions: bad })).toBe(`explore() option 'regressions' must be the path of a regression file; got ${typeof bad === 'string' ? `'${bad}'` : String(bad)}.`);
    }
  });
});

describe("replay()'s options", () => {
  const replayRefusal = (options: unknown): string => {
    try {
      resolveReplayOptions(options);
    } catch (error) {
      expect(error).toBeInstanceOf(TypeError);
      return (error as Error).message;
    }
    throw new Error('accepted');
  };

  it('takes isolate and stepTimeoutMs, as given', () => {
    const given = { isolate: true, stepTimeoutMs: 250 };
    expect(resolveReplayOptions(given)).toBe(given);
    expect(resolveReplayOptions({})).toEqual({});
    expect(resolveReplayOptions({ isolate: false })).toEqual({ isolate: false });
  });

  it('refuses anything else, naming the option', () => {
    for (const bad of [null, 3, 'x', []]) {
      expect(replayRefusal(bad)).toMatch(/^replay\(\) options must be an object such as \{ isolate: true \}; got /);
    }
    expect(replayRefusal({ isolate: true, seed: 1, runs: 2 })).toBe(`replay() got unknown option(s) 'seed', 'runs'; the options are isolate, stepTimeoutMs.`);
    expect(replayRefusal({ isolate: 1 })).toBe(`replay() option 'isolate' must be true or false; got 1.`);
    for (const bad of [0, -5, '10']) {
      expect(replayRefusal({ stepTimeoutMs: bad })).toBe(`replay() option 'stepTimeoutMs' must be a number of milliseconds > 0; got ${typeof bad === 'string' ? `'${bad}'` : String(bad)}.`);
    }
  });
});
