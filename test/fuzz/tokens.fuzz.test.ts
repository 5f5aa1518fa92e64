/**
 * Fuzzing replay tokens: random strings, valid tokens cut, extended,
 * edited and re-cased, and well-formed tokens carrying any schedule for the
 * right scenario. The API decodes or refuses with a TokenError naming the
 * token; replay() resolves (a schedule the scenario cannot follow is a
 * nondeterminism finding) or rejects with a TokenError, never anything
 * else, and never hangs; the CLI exits 0, 1 or 2 with one paragraph.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { explore, replay, TokenError } from 'interleave';
import { DEFAULT_START_TIME } from '../../src/engine/clock.ts';
import { decodeToken, encodeToken, scenarioId } from '../../src/explore/token.ts';
import { STRATEGY_NAMES } from '../../src/explore/strategies/strategy.ts';
import buggy from '../fixtures/cli/suite/buggy.ts';
import { splitCheckBuffer } from '../engine/fixtures/scenarios.ts';
import { cli, expectWellBehaved, withinTime } from './fixtures/inProcessCli.ts';
import { fuzzRuns, fuzzSeed } from './budget.ts';

const scenario = splitCheckBuffer();
let valid = '';
let cliToken = '';

beforeAll(async () => {
  valid = (await explore(scenario, { strategy: 'random', seed: 5, runs: 3000 })).failure!.replay;
  cliToken = (await explore(buggy.find((s) => s.name === 'two locks')!, { seed: 1, runs: 200 })).failure!.replay;
});

/** Edits of a valid token: a character changed, added or removed, a cut, a case flip, padding. */
const edit = fc.oneof(
  fc.tuple(fc.nat(), fc.string({ minLength: 1, maxLength: 1 })).map(([at, ch]) => (t: string) => t.slice(0, at % t.length) + ch + t.slice((at % t.length) + 1)),
  fc.tuple(fc.nat(), fc.string({ minLength: 1, maxLength: 3 })).map(([at, s]) => (t: string) => t.slice(0, at % (t.length + 1)) + s + t.slice(at % (t.length + 1))),
  fc.nat().map((at) => (t: string) => t.slice(0, at % t.length) + t.slice((at % t.length) + 1)),
  fc.nat().map((at) => (t: string) => t.slice(0, at % t.length)),
  fc.constant((t: string) => t.toLowerCase()),
  fc.constant((t: string) => t.toUpperCase()),
  fc.constantFrom(' ', '\n', '\t', '"', "'").map((pad) => (t: string) => `${pad}${t}${pad}`),
);
const tokenLike = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.stringMatching(/^IL1-[A-Za-z0-9_-]{0,40}$/),
  fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) => (base: string) => edits.reduce((t, e) => e(t), base)),
);

/** A refusal is a TokenError that names the token (its first characters) in one paragraph. */
function expectRefusal(error: unknown): void {
  expect(error).toBeInstanceOf(TokenError);
  const message = (error as TokenError).message;
  expect(message).toMatch(/replay token/);
  expect(message.trim()).not.toContain('\n\n');
}

describe('replay tokens, fuzzed', () => {
  it('random strings and edited tokens decode or are refused with a TokenError, and replay() does the same (300 cases)', async () => {
    await fc.assert(
      fc.asyncProperty(tokenLike, async (made) => {
        const token = typeof made === 'string' ? made : made(valid);
        let decoded = true;
        try {
          decodeToken(token);
        } catch (error) {
          expectRefusal(error);
          decoded = false;
        }
        const settled = await withinTime(
          replay(scenario, token).then(
            (result) => ({ result }),
            (error: unknown) => ({ error }),
          ),
          10_000,
          `replay of ${JSON.stringify(token)}`,
        );
        if ('error' in settled) expectRefusal(settled.error);
        else expect(decoded).toBe(true);
      }),
      { numRuns: fuzzRuns(300), seed: fuzzSeed(20260310) },
    );
  });

  it('a well-formed token for the scenario with any schedule and budgets replays to a result, never a crash or a hang (150 cases)', async () => {
    const id = scenarioId(scenario.name, scenario.threads);
    const data = fc.record({
      strategy: fc.constantFrom(...STRATEGY_NAMES),
      seed: fc.integer({ min: 0, max: 0xffffffff }),
      execution: fc.nat(),
      maxSteps: fc.oneof(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 1_000_000 })),
      fairSteps: fc.integer({ min: 1, max: 5000 }),
      startTime: fc.oneof(fc.constant(DEFAULT_START_TIME), fc.integer({ min: 0, max: 8.64e15 })),
      // Choices a tape can hold: -1 (a join's "none") and up.
      tape: fc.array(fc.integer({ min: -1, max: 40 }), { maxLength: 80 }),
    });
    await fc.assert(
      fc.asyncProperty(data, async (fields) => {
        const token = encodeToken({ scenarioId: id, ...fields });
        const result = await withinTime(replay(scenario, token), 10_000, `replay of ${token}`);
        expect(result.executions).toBe(1);
        // A schedule the scenario cannot follow is the scenario's nondeterminism or a finding of its own, named.
        if (result.failure !== undefined) expect(result.failure.replay).toBe(token);
      }),
      { numRuns: fuzzRuns(150), seed: fuzzSeed(20260311) },
    );
  });

  it('through the CLI, any token exits 0, 1 or 2, with one paragraph for 2 (40 cases)', async () => {
    await fc.assert(
      fc.asyncProperty(tokenLike, async (made) => {
        const token = typeof made === 'string' ? made : made(cliToken);
        const argv = ['replay', 'test/fixtures/cli/suite/buggy.ts', token];
        expectWellBehaved(await cli(argv), argv);
      }),
      { numRuns: fuzzRuns(40), seed: fuzzSeed(20260312) },
    );
  });
});
