/**
 * Properties of the harness itself, with fast-check: no false alarms on
 * correct buffers of any small shape, found bugs replay exactly, and replay
 * tokens round-trip and reject corruption.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_START_TIME } from '../../src/engine/clock.ts';
import fc from 'fast-check';
import { explore, replay, traceToJson, TokenError, type Scenario } from 'interleave';
import { decodeToken, encodeToken, type TokenData } from '../../src/explore/token.ts';
import type { StrategyName } from '../../src/explore/strategies/strategy.ts';
import { correctMonitor, correctSemaphoreBuffer, correctSentinelRing, racyHeadRing, splitCheckBuffer, type Shape } from './fixtures/scenarios.ts';

const shapeArb: fc.Arbitrary<Shape> = fc.record({
  producers: fc.integer({ min: 1, max: 3 }),
  consumers: fc.integer({ min: 1, max: 3 }),
  itemsPerProducer: fc.integer({ min: 0, max: 3 }),
  capacity: fc.integer({ min: 1, max: 3 }),
});
const seedArb = fc.integer({ min: 0, max: 0xffffffff });

const CORRECT: Record<string, (shape: Shape) => Scenario> = {
  monitor: (shape) => correctMonitor(shape),
  'semaphore buffer': (shape) => correctSemaphoreBuffer(shape),
  'sentinel ring': (shape) => correctSentinelRing(shape),
  'ring claiming its slot atomically': (shape) => racyHeadRing('fixed', shape),
};

describe('correct buffers of any small shape', () => {
  it('are never reported (producers 1-3, consumers 1-3, items 0-3, capacity 1-3)', async () => {
    await fc.assert(
      fc.asyncProperty(shapeArb, seedArb, fc.constantFrom(...Object.keys(CORRECT)), async (shape, seed, which) => {
        const result = await explore(CORRECT[which]!(shape), { strategy: 'random', runs: 60, seed });
        expect(result.failure?.message).toBeUndefined();
        expect(result.ok).toBe(true);
        expect(result.executions).toBe(60);
      }),
      { numRuns: 40, seed: 20260101 },
    );
  });
});

describe('a bug found in any small shape', () => {
  it('is the same failure when found twice with one seed, and replays to an identical trace', async () => {
    const withItems = shapeArb.filter((s) => s.itemsPerProducer > 0);
    await fc.assert(
      fc.asyncProperty(withItems, seedArb, async (shape, seed) => {
        const scenario = splitCheckBuffer(shape);
        const first = await explore(scenario, { strategy: 'random', runs: 3000, seed });
        expect(first.failure?.kind).toBe('lost-wakeup');
        const second = await explore(scenario, { strategy: 'random', runs: 3000, seed });
        expect(second.failure?.replay).toBe(first.failure!.replay);
        const again = await replay(scenario, first.failure!.replay);
        expect(again.failure?.kind).toBe('lost-wakeup');
        expect(again.failure?.step).toBe(first.failure!.step);
        expect(traceToJson(again.failure!.trace)).toBe(traceToJson(first.failure!.trace));
      }),
      { numRuns: 20, seed: 20260102 },
    );
  });
});

const STRATEGIES: readonly StrategyName[] = ['random', 'pct', 'dfs', 'portfolio'];
const tokenDataArb: fc.Arbitrary<TokenData> = fc.record({
  scenarioId: fc.integer({ min: 0, max: 0xffffffff }),
  strategy: fc.constantFrom(...STRATEGIES),
  seed: fc.integer({ min: 0, max: 0xffffffff }),
  execution: fc.nat(),
  maxSteps: fc.integer({ min: 1, max: 1_000_000_000 }),
  fairSteps: fc.integer({ min: 1, max: 1_000_000_000 }),
  startTime: fc.oneof(fc.constant(DEFAULT_START_TIME), fc.integer({ min: 0, max: 8.64e15 })),
  tape: fc.oneof(fc.array(fc.integer({ min: -1, max: 8 }), { maxLength: 400 }), fc.array(fc.integer({ min: -1, max: 100_000 }), { maxLength: 40 })),
});

describe('replay tokens', () => {
  it('decode to exactly what was encoded, for any tape', () => {
    fc.assert(
      fc.property(tokenDataArb, (data) => {
        const token = encodeToken(data);
        expect(token).toMatch(/^IL1-[A-Za-z0-9_-]+$/);
        expect(decodeToken(token)).toEqual(data);
        expect(decodeToken(` ${token}\n`)).toEqual(data);
      }),
      { numRuns: 400, seed: 20260103 },
    );
  });

  it('stay short for long repetitive tapes (they are compressed)', () => {
    const tape = Array.from({ length: 2000 }, (_, i) => i % 2);
    const token = encodeToken({ scenarioId: 1, strategy: 'random', seed: 1, execution: 0, maxSteps: 10_000, fairSteps: 10_000, startTime: DEFAULT_START_TIME, tape });
    expect(token.length).toBeLessThan(120);
    expect(decodeToken(token).tape).toEqual(tape);
  });

  it('fail to decode when any character is changed, the last one (which carries spare bits) included', () => {
    const replacement = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=. é');
    fc.assert(
      fc.property(tokenDataArb, fc.nat(), replacement, (data, where, ch) => {
        const token = encodeToken(data);
        const at = where % token.length;
        fc.pre(token[at] !== ch);
        const corrupted = token.slice(0, at) + ch + token.slice(at + 1);
        expect(() => decodeToken(corrupted)).toThrow(TokenError);
      }),
      { numRuns: 1000, seed: 20260104 },
    );
  });

  it('fail to decode when cut short or extended', () => {
    fc.assert(
      fc.property(tokenDataArb, fc.nat(), fc.stringMatching(/^[A-Za-z0-9_-]{1,6}$/), (data, where, extra) => {
        const token = encodeToken(data);
        const cut = token.slice(0, where % token.length);
        expect(() => decodeToken(cut)).toThrow(TokenError);
        expect(() => decodeToken(token + extra)).toThrow(TokenError);
      }),
      { numRuns: 400, seed: 20260105 },
    );
  });
});
