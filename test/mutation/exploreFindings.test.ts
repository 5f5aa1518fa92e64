/**
 * What explore() and replay() do with particular findings
 * (explore/explore.ts): a livelock is cut short and its token carries the
 * smaller budgets; a run that outlives its budgets while progressing is
 * counted, not reported; a token for another scenario is refused naming
 * both ids; explorations do not nest. Scenarios of a few steps, a few
 * executions each.
 */
import { describe, expect, it } from 'vitest';
import { defineScenario, explore, replay, TokenError, type Runtime } from 'interleave';
import { decodeToken, encodeToken, scenarioId } from '../../src/explore/token.ts';
import { DEFAULT_START_TIME } from '../../src/engine/clock.ts';

/** Two threads, each waiting for the other to go first: a livelock under any fair schedule. */
const polite = defineScenario({
  name: 'polite',
  setup: () => ({ a: false, b: false }),
  threads: {
    a: async (s: { a: boolean; b: boolean }, rt: Runtime) => {
      while (!s.b) await rt.yield();
      s.a = true;
    },
    b: async (s: { a: boolean; b: boolean }, rt: Runtime) => {
      while (!s.a) await rt.yield();
      s.b = true;
    },
  },
});

describe('a livelock', () => {
  it('is reported with its cycle, cut to a short prefix and a few turns: the token carries the smaller budgets, and replays it', async () => {
    const result = await explore(polite, { strategy: 'random', runs: 5, seed: 1, maxSteps: 200 });
    const failure = result.failure!;
    expect(failure.kind).toBe('step-limit');
    expect(failure.trace.outcome.repeating?.length).toBeGreaterThan(0);
    const token = decodeToken(failure.replay);
    expect(token.maxSteps).toBeLessThanOrEqual(200);
    expect(token.fairSteps).toBeLessThan(1000);
    expect(failure.step).toBeLessThan(200 + 1000);
    const again = await replay(polite, failure.replay);
    expect(again.failure?.kind).toBe('step-limit');
    expect(again.failure?.step).toBe(failure.step);
  });
});

describe('a run that outlives its budgets while progressing', () => {
  it('is counted as unfinished, and the exploration still passes', async () => {
    const long = defineScenario({
      name: 'long',
      setup: () => ({ n: 0 }),
      threads: {
        counter: async (s: { n: number }, rt: Runtime) => {
          while (s.n < 100_000) {
            s.n++;
            await rt.yield();
          }
        },
      },
    });
    const result = await explore(long, { strategy: 'random', runs: 3, seed: 1, maxSteps: 10 });
    expect(result).toMatchObject({ ok: true, executions: 3, unfinished: 3 });
    expect(result.failure).toBeUndefined();
    // 10 steps, then 1,000 of fair continuation, each execution.
    expect(result.steps).toBe(3 * (10 + 1000));
  });
});

describe('tokens and scenarios', () => {
  it('a token for another scenario is refused, naming both by their ids', async () => {
    const token = encodeToken({ scenarioId: 0xabc, strategy: 'random', seed: 1, execution: 0, maxSteps: 10, fairSteps: 10, startTime: DEFAULT_START_TIME, tape: [] });
    const error = await replay(polite, token).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenError);
    const id = scenarioId('polite', ['a', 'b']).toString(16).padStart(8, '0');
    expect((error as Error).message).toBe(
      `replay token ${token.slice(0, 24)}… was recorded for another scenario (id 00000abc), not for 'polite' (id ${id}, threads a, b). Replay it against the scenario that printed it.`,
    );
  });

  it('explore() and replay() called from inside an execution are refused, saying why', async () => {
    const messages: string[] = [];
    const nests = defineScenario({
      name: 'nests',
      setup: () => ({}),
      threads: {
        t: async () => {
          messages.push(await explore(polite).then(() => 'ran', (e: Error) => e.message));
          messages.push(await replay(polite, 'IL1-x').then(() => 'ran', (e: Error) => e.message));
        },
      },
    });
    await explore(nests, { runs: 1, seed: 1 });
    expect(messages).toEqual([
      'explore() was called from code running inside an execution (a thread, its setup, or a timer callback of a scenario being explored). Explorations do not nest: call explore() from the test itself.',
      'replay() was called from code running inside an execution (a thread, its setup, or a timer callback of a scenario being explored). Explorations do not nest: call replay() from the test itself.',
    ]);
  });

  it('a scenario that is not one is refused by what it is', async () => {
    const refusal = (value: unknown) => explore(value as never).then(() => 'ran', (e: Error) => e.message);
    expect(await refusal(null)).toBe('explore() needs a scenario made by producerConsumer() or defineScenario(); got null.');
    expect(await refusal({})).toBe('explore() needs a scenario made by producerConsumer() or defineScenario(); got a plain object.');
    expect(await refusal('s')).toBe('explore() needs a scenario made by producerConsumer() or defineScenario(); got string.');
    const broken = defineScenario({ name: 'broken', setup: 5 as never, threads: {} });
    expect(await refusal(broken)).toMatch(/^scenario 'broken' cannot run: 'setup' must be a function/);
  });
});
