/**
 * replay(): bad tokens reject with one clear paragraph; a run that leaves its
 * recorded schedule is a nondeterminism finding naming the step.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_START_TIME } from '../../src/engine/clock.ts';
import { defineScenario, explore, replay, TokenError, type Mutex, type Runtime, type Scenario } from 'interleave';
import { decodeToken, encodeToken, scenarioId } from '../../src/explore/token.ts';
import { STRATEGY_CODES } from '../../src/explore/strategies/strategy.ts';
import { splitCheckBuffer } from './fixtures/scenarios.ts';

/** One paragraph: no blank line, and not a wall of text. */
function expectOneParagraph(error: unknown): void {
  expect(error).toBeInstanceOf(Error);
  const message = (error as Error).message;
  expect(message).not.toMatch(/\n\s*\n/);
  expect(message.trim().length).toBeGreaterThan(20);
  expect(message.length).toBeLessThan(600);
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    expectOneParagraph(error);
    return error as Error;
  }
  throw new Error('expected a rejection');
}

async function tokenOf(scenario: Scenario): Promise<string> {
  const result = await explore(scenario, { strategy: 'random', runs: 2000, seed: 1 });
  expect(result.failure).toBeDefined();
  return result.failure!.replay;
}

describe('replay() with a bad token', () => {
  const scenario = splitCheckBuffer();

  it('rejects a malformed token, saying what is wrong with it', async () => {
    const cases: [string, RegExp][] = [
      ['', /does not start with 'IL1-'/],
      ['hello world', /'hello world' is not a valid Interleave replay token: it does not start with 'IL1-'/],
      ['IL1-', /characters outside base64url|too short/],
      ['IL1-abc$def', /characters outside base64url/],
      ['IL1-AAAA', /too short/],
    ];
    for (const [token, pattern] of cases) {
      const error = await rejection(replay(scenario, token));
      expect(error).toBeInstanceOf(TokenError);
      expect(error.message).toMatch(pattern);
      expect(error.message).toMatch(/Tokens start with 'IL1-'/);
    }
  });

  it('rejects a token that was cut short or edited, by its checksum', async () => {
    const token = await tokenOf(scenario);
    const cut = token.slice(0, -3);
    expect((await rejection(replay(scenario, cut))).message).toMatch(/checksum does not match|too short/);
    const middle = 4 + Math.floor((token.length - 4) / 2);
    const edited = token.slice(0, middle) + (token[middle] === 'A' ? 'B' : 'A') + token.slice(middle + 1);
    expect((await rejection(replay(scenario, edited))).message).toMatch(/checksum does not match/);
  });

  it('keeps what a strategy code means: each code is pinned, whatever the order of the strategy list', () => {
    expect(STRATEGY_CODES).toEqual({ random: 0, pct: 1, dfs: 2, portfolio: 3, proof: 4 });
    for (const [strategy, code] of Object.entries(STRATEGY_CODES)) {
      const token = encodeToken({ scenarioId: 7, strategy: strategy as keyof typeof STRATEGY_CODES, seed: 1, execution: 0, maxSteps: 10, fairSteps: 1000, startTime: DEFAULT_START_TIME, tape: [] });
      expect(decodeToken(token).strategy).toBe(strategy);
      expect(Buffer.from(token.slice(4), 'base64url')[3]).toBe(code); // version, flags, scenario id (one byte), strategy
    }
  });

  it('rejects a token of another version', async () => {
    const token = await tokenOf(scenario);
    const bytes = Buffer.from(token.slice(4), 'base64url');
    bytes[0] = 9; // version byte; fix the checksum so that only the version is wrong
    const payload = bytes.subarray(0, bytes.length - 2);
    let h = 0x811c9dc5;
    for (const b of payload) h = Math.imul(h ^ b, 0x01000193) >>> 0;
    const sum = (h ^ (h >>> 16)) & 0xffff;
    bytes[bytes.length - 2] = sum >> 8;
    bytes[bytes.length - 1] = sum & 0xff;
    const error = await rejection(replay(scenario, `IL1-${bytes.toString('base64url')}`));
    expect(error.message).toMatch(/version 9, and this Interleave reads version 4/);
  });

  it('refuses a token of version 1 (whole threads, before continuations), saying how to get a new one', async () => {
    // A version-1 token as the previous release printed it (monitor-check-then-wait, seed 42).
    const error = await rejection(replay(scenario, 'IL1-AQHb1n2ml5dZi2GC3wQ_bkZGRgYIYAQA6B0'));
    expect(error).toBeInstanceOf(TokenError);
    expect(error.message).toMatch(/recorded by an earlier Interleave \(token version 1.*Run the exploration again with the same seed/);
  });

  it('rejects a token recorded for another scenario, naming both', async () => {
    const token = await tokenOf(scenario);
    const other = defineScenario({ name: 'another scenario', setup: () => ({}), threads: { t: async () => {} } });
    const error = await rejection(replay(other, token));
    expect(error).toBeInstanceOf(TokenError);
    expect(error.message).toMatch(/was recorded for another scenario/);
    expect(error.message).toContain(`'another scenario'`);
    // Same name, different threads: still another scenario.
    const renamed = splitCheckBuffer({ producers: 2, consumers: 1, itemsPerProducer: 1, capacity: 1 });
    expect(renamed.name).toBe(scenario.name);
    expect((await rejection(replay(renamed, token))).message).toMatch(/another scenario/);
  });

  it('rejects a token that is not a string, naming its type', async () => {
    for (const [value, type] of [
      [42, 'number'],
      [undefined, 'undefined'],
      [null, 'object'],
      [{ token: 'IL1-x' }, 'object'],
    ] as const) {
      const promise = replay(scenario, value as unknown as string);
      expect(promise).toBeInstanceOf(Promise);
      const error = await rejection(promise);
      expect(error.message).toMatch(new RegExp(`expected a string, got ${type}`));
    }
  });

  it('rejects a scenario that is not one, before looking at the token', async () => {
    const error = await rejection(replay({ name: 'fake', threads: [] } as unknown as Scenario, 'IL1-AAAA'));
    expect(error.message).toMatch(/replay\(\) needs a scenario made by producerConsumer\(\) or defineScenario\(\); got a plain object/);
  });
});

describe('a run that diverges from its token', () => {
  /** A scenario whose behaviour depends on state kept outside it, between runs. */
  function dependsOnOutside(outside: { extraYields: number }) {
    return defineScenario({
      name: 'depends on a counter outside the scenario',
      setup: () => ({ a: false, b: false }),
      threads: {
        a: async (s, rt: Runtime) => {
          for (let i = 0; i < outside.extraYields; i++) await rt.yield();
          s.a = true;
        },
        b: async (s, rt: Runtime) => {
          await rt.yield();
          s.b = true;
        },
      },
      final: () => 'always fails, so that every execution has a token',
    });
  }

  it('is a nondeterminism finding naming the step where the run left the schedule (more steps than recorded)', async () => {
    const outside = { extraYields: 0 };
    const s = dependsOnOutside(outside);
    const found = await explore(s, { strategy: 'random', runs: 10, seed: 1 });
    expect(found.failure?.kind).toBe('invariant');
    const token = found.failure!.replay;
    const faithful = await replay(s, token);
    expect(faithful.failure?.kind).toBe('invariant');

    outside.extraYields = 3;
    const diverged = await replay(s, token);
    expect(diverged.ok).toBe(false);
    expect(diverged.failure?.kind).toBe('nondeterminism');
    const step = /step (\d+)/.exec(diverged.failure!.message);
    expect(step, diverged.failure!.message).not.toBeNull();
    expect(Number(step![1])).toBe(diverged.failure!.step);
    expect(diverged.failure!.step).toBeGreaterThan(0);
    // Named at the first decision past the recorded ones: the next step, or the step after a check phase that ran its
    // immediates (the extra yields) on without a choice.
    expect(diverged.failure!.step).toBeLessThanOrEqual(found.failure!.step + 3);
    expect(diverged.failure!.trace.outcome.kind).toBe('nondeterminism');
  });

  it('is a nondeterminism finding when the run ends, passing, before its recorded schedule does', async () => {
    const outside = { extraLocks: 4 };
    const s = defineScenario({
      name: 'fails only while a has extra work',
      setup: (rt) => ({ ma: rt.mutex('ma') }),
      threads: {
        a: async (st: { ma: Mutex }) => {
          for (let i = 0; i < outside.extraLocks; i++) {
            await st.ma.lock();
            st.ma.unlock();
          }
        },
        b: async (_s, rt: Runtime) => rt.yield(),
      },
      final: () => (outside.extraLocks > 0 ? 'a had extra work' : true),
    });
    // a starts (a pick of its start, 0, and "nothing else in this macrotask" though b's start could, -1), then takes its
    // lock four times (its continuations 4, 8, 12, 16, each with a -1), while b's start waits; then b starts and yields and
    // the loop's turn resumes it, choices with one answer that no tape holds: seven steps. Continuation ids are
    // 2·(k·threads + thread) for a thread's k-th (a's start 0, b's 2).
    const tape = [0, -1, 4, -1, 8, -1, 12, -1, 16, -1];
    const token = encodeToken({ scenarioId: scenarioId(s.name, s.threads), strategy: 'random', seed: 0, execution: 0, maxSteps: 100, fairSteps: 1000, startTime: DEFAULT_START_TIME, tape });
    const faithful = await replay(s, token);
    expect(faithful.failure?.kind).toBe('invariant');
    expect(faithful.failure?.step).toBe(7);
    outside.extraLocks = 0;
    const diverged = await replay(s, token);
    expect(diverged.ok).toBe(false);
    expect(diverged.failure?.kind).toBe('nondeterminism');
    expect(diverged.failure!.message).toMatch(/the execution ended at step 3, but the token recorded 8 more choice\(s\)/);
    expect(diverged.failure!.step).toBe(3);
  });

  it('is a nondeterminism finding when the run ends early with a finding of its own', async () => {
    const outside = { extraLocks: 4 };
    const s = defineScenario({
      name: 'always fails at its end',
      setup: (rt) => ({ ma: rt.mutex('ma') }),
      threads: {
        a: async (st: { ma: Mutex }) => {
          for (let i = 0; i < outside.extraLocks; i++) {
            await st.ma.lock();
            st.ma.unlock();
          }
        },
        b: async (_s, rt: Runtime) => rt.yield(),
      },
      final: () => 'always fails',
    });
    const tape = [0, -1, 4, -1, 8, -1, 12, -1, 16, -1];
    const token = encodeToken({ scenarioId: scenarioId(s.name, s.threads), strategy: 'random', seed: 0, execution: 0, maxSteps: 100, fairSteps: 1000, startTime: DEFAULT_START_TIME, tape });
    expect((await replay(s, token)).failure?.step).toBe(7);
    outside.extraLocks = 0;
    const diverged = await replay(s, token);
    expect(diverged.failure?.kind).toBe('nondeterminism');
    expect(diverged.failure!.message).toMatch(/the execution ended at step 3 \(with invariant\), but the token recorded 8 more choice\(s\)/);
  });

  it('is a nondeterminism finding when the recorded schedule picks a thread that cannot step', async () => {
    // Thread `a` finishes at once instead of taking its lock: the tape's later picks of `a` are impossible.
    const outside = { extraLocks: 3 };
    const s = defineScenario({
      name: 'depends on a counter outside the scenario, with locks',
      setup: (rt) => ({ ma: rt.mutex('ma'), mb: rt.mutex('mb') }),
      threads: {
        a: async (st: { ma: Mutex; mb: Mutex }) => {
          for (let i = 0; i < outside.extraLocks; i++) {
            await st.ma.lock();
            st.ma.unlock();
          }
        },
        b: async (st: { ma: Mutex; mb: Mutex }) => {
          await st.mb.lock();
          st.mb.unlock();
        },
        c: async (st: { ma: Mutex; mb: Mutex }) => {
          await st.mb.lock();
          st.mb.unlock();
        },
      },
      final: () => 'always fails, so that every execution has a token',
    });
    const id = scenarioId(s.name, s.threads);
    // Start a, start b (each with "nothing else in this macrotask", -1), then a, a, a: the three locks of `a` (its
    // continuations 6, 12, 18, each with a -1 of its own; ids are 2·(k·threads + thread)), then c's start (4) and b's lock
    // (8); c's lock is then the only choice, on no tape. Without a's locks, step 3 must choose between c's start and b's lock.
    const tape = [0, -1, 2, -1, 6, -1, 12, -1, 18, -1, 4, -1, 8, -1];
    const token = encodeToken({ scenarioId: id, strategy: 'random', seed: 0, execution: 0, maxSteps: 100, fairSteps: 1000, startTime: DEFAULT_START_TIME, tape });
    const faithful = await replay(s, token);
    expect(faithful.failure?.kind).toBe('invariant');
    outside.extraLocks = 0;
    const diverged = await replay(s, token);
    expect(diverged.failure?.kind).toBe('nondeterminism');
    expect(diverged.failure!.message).toMatch(/at step 3 the recorded schedule picks a's continuation #1, but only c at start, b at lock\(mb\) could step/);
    expect(diverged.failure!.step).toBe(3);
  });

  it('found during exploration itself (the re-run that records the trace disagrees) is reported as nondeterminism', async () => {
    let runs = 0;
    const s = defineScenario({
      name: 'fails on its first run only',
      setup: () => ({ first: ++runs === 1 }),
      threads: {
        t: async (st, rt) => {
          await rt.yield();
          if (st.first) throw new Error('first run');
        },
      },
    });
    const result = await explore(s, { strategy: 'random', runs: 10, seed: 1 });
    expect(result.failure?.kind).toBe('nondeterminism');
    expect(result.failure!.message).toMatch(/exploration found exception at step \d+, but re-running the same schedule \(to record it\) gave no failure/);
  });

  it('decodes to what was encoded (the token carries the seed, the strategy and the step budget)', async () => {
    const result = await explore(splitCheckBuffer(), { strategy: 'random', runs: 2000, seed: 77, maxSteps: 321 });
    const data = decodeToken(result.failure!.replay);
    expect(data.seed).toBe(77);
    expect(data.strategy).toBe('random');
    expect(data.maxSteps).toBe(321);
    expect(data.scenarioId).toBe(scenarioId(splitCheckBuffer().name, splitCheckBuffer().threads));
    expect(data.tape.length).toBeGreaterThanOrEqual(result.failure!.step);
  });
});
