/**
 * Fuzzing explore()'s options: objects whose known keys hold values of any
 * type (in range, out of range, of the wrong type, hostile), with unknown
 * keys now and then, and things that are not objects at all. Each call
 * resolves with a result, or rejects with a TypeError of one paragraph that
 * names the option at fault; none hangs, and a refused call leaves the next
 * exploration unharmed. An `onProgress` that throws is the caller's own
 * code, called from the caller's side: its error reaches the caller as it
 * is, as a throwing callback of Array.prototype.forEach does.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explore, type ExploreResult } from 'interleave';
import { correctMonitor } from '../engine/fixtures/scenarios.ts';
import { withinTime } from './fixtures/inProcessCli.ts';
import { fuzzRuns, fuzzSeed } from './budget.ts';

const scenario = correctMonitor({ producers: 1, consumers: 1, itemsPerProducer: 1, capacity: 1 });
/** Every option but `isolate`, which starts a worker per call: the watchdog's own suite covers it. */
const KEYS = ['strategy', 'runs', 'seed', 'maxSteps', 'timeLimitMs', 'preemptions', 'depth', 'startTime', 'onProgress', 'signal', 'stepTimeoutMs'] as const;

/** Values of every type; numbers near the edges each option has. */
const anyValue = fc.oneof(
  fc.constantFrom(0, 1, -1, 0.5, 2 ** 32, 2 ** 53, 2 ** 53 + 2, 8.64e15, 8.64e15 + 1, NaN, Infinity, -Infinity, -0, 64, 65),
  fc.integer({ min: -5, max: 30 }),
  fc.constantFrom('random', 'pct', 'dfs', 'portfolio', 'bfs', '', '10'),
  fc.constantFrom(null, undefined, true, false, [], {}, Symbol('s'), 10n),
  fc.constantFrom(
    () => undefined,
    'abort-signal',
    'aborted-signal',
    'throwing-callback',
    Object.create(null) as object,
    new Proxy({}, { get: () => { throw new Error('hostile'); } }),
  ),
);

/** Runs are kept small when valid, so that a case takes milliseconds. */
const optionsArb = fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(fc.constantFrom(...KEYS), anyValue, { maxKeys: 4 }).map((o) => ({ ...o, runs: o.runs ?? 20 })) },
  fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 6 })), anyValue, { maxKeys: 3 }),
  anyValue,
);

/** What a throwing onProgress throws: the caller's own error. */
class CallersOwn extends Error {}

function concrete(value: unknown): unknown {
  if (value === 'throwing-callback') {
    return () => {
      throw new CallersOwn('the progress bar broke');
    };
  }
  if (value === 'abort-signal') return new AbortController().signal;
  if (value === 'aborted-signal') return AbortSignal.abort();
  return value;
}

function materialise(options: unknown): unknown {
  if (options === null || typeof options !== 'object' || Array.isArray(options) || Object.getPrototypeOf(options) !== Object.prototype) return concrete(options);
  const o = Object.fromEntries(Object.entries(options).map(([k, v]) => [k, concrete(v)]));
  // A valid run count stays small; an invalid one stays as generated.
  if (typeof o.runs === 'number' && Number.isInteger(o.runs) && o.runs > 30) o.runs = 30;
  return o;
}

describe('explore() options, fuzzed', () => {
  it('any options give a result, or a TypeError of one paragraph naming the option (200 cases)', async () => {
    await fc.assert(
      fc.asyncProperty(optionsArb, async (generated) => {
        const options = materialise(generated);
        const settled = await withinTime(
          explore(scenario, options as never).then(
            (result: ExploreResult) => ({ result }),
            (error: unknown) => ({ error }),
          ),
          15_000,
          'explore()',
        );
        if ('result' in settled) {
          expect(settled.result.ok).toBe(true);
          expect(settled.result.executions).toBeGreaterThan(0);
          return;
        }
        const error = settled.error as Error;
        if (error instanceof CallersOwn) return;
        expect(error).toBeInstanceOf(TypeError);
        expect(error.message.trim()).not.toContain('\n\n');
        expect(error.message).toMatch(/explore\(\) (options|option '\w+'|got unknown option)|INTERLEAVE_SEED/);
        if (options !== null && typeof options === 'object' && !Array.isArray(options)) {
          const named = Object.keys(options).some((k) => error.message.includes(`'${k}'`));
          expect(named, error.message).toBe(true);
        }
      }),
      { numRuns: fuzzRuns(200), seed: fuzzSeed(20260330) },
    );
    // Refused calls leave nothing behind: the next exploration runs as usual.
    const after = await explore(scenario, { runs: 5, seed: 1 });
    expect(after.executions).toBe(5);
  });
});
