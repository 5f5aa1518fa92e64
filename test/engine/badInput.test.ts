/**
 * Bad input through the public API: explore() returns a rejected promise (it
 * never throws synchronously) whose error, one paragraph, names the culprit.
 */
import { describe, expect, it } from 'vitest';
import { defineScenario, explore, producerConsumer, type ExploreOptions, type Scenario } from 'interleave';
import { MonitorBuffer } from './fixtures/buffers.ts';
import { correctMonitor } from './fixtures/scenarios.ts';

/** Calls explore, checks it did not throw synchronously, and returns the rejection's message. */
async function rejectionOf(call: () => Promise<unknown>): Promise<string> {
  let promise: Promise<unknown> | undefined;
  expect(() => {
    promise = call();
  }).not.toThrow();
  expect(promise).toBeInstanceOf(Promise);
  let caught: unknown;
  await promise!.then(
    () => expect.unreachable('explore() resolved'),
    (error: unknown) => {
      caught = error;
    },
  );
  expect(caught).toBeInstanceOf(Error);
  const message = (caught as Error).message;
  expect(message).not.toMatch(/\n\s*\n/); // one paragraph
  expect(message.length).toBeLessThan(600);
  return message;
}

const good = correctMonitor();

describe('explore() options of the wrong type', () => {
  const cases: [string, unknown, RegExp][] = [
    ['runs: -1', { runs: -1 }, /option 'runs' must be a whole number >= 1; got -1/],
    ['runs: 0', { runs: 0 }, /option 'runs'.*got 0/],
    ['runs: "many"', { runs: 'many' }, /option 'runs'.*got 'many'/],
    ['runs: 2.5', { runs: 2.5 }, /option 'runs'.*got 2\.5/],
    ['runs: NaN', { runs: Number.NaN }, /option 'runs'.*got NaN/],
    ['seed: 1.5', { seed: 1.5 }, /option 'seed'.*got 1\.5/],
    ['seed: -3', { seed: -3 }, /option 'seed'.*got -3/],
    ['seed: 2^40', { seed: 2 ** 40 }, /option 'seed'.*at most 4294967295/],
    ['seed: "42"', { seed: '42' }, /option 'seed'.*got '42'/],
    ['strategy: "nope"', { strategy: 'nope' }, /option 'strategy' must be one of random, pct, dfs, portfolio, proof; got 'nope'/],
    ['maxSteps: 0', { maxSteps: 0 }, /option 'maxSteps' must be a whole number >= 1; got 0/],
    ['maxSteps: Infinity', { maxSteps: Infinity }, /option 'maxSteps'.*got Infinity/],
    ['timeLimitMs: -5', { timeLimitMs: -5 }, /option 'timeLimitMs'.*got -5/],
    ['timeLimitMs: "1s"', { timeLimitMs: '1s' }, /option 'timeLimitMs'.*got '1s'/],
    ['an unknown option', { run: 10 }, /unknown option\(s\) 'run'; the options are strategy, runs, seed, maxSteps, timeLimitMs/],
    ['two unknown options', { runs: 5, iterations: 3, verbose: true }, /'iterations', 'verbose'/],
  ];
  it.each(cases)('%s rejects, naming the option', async (_label, options, pattern) => {
    const message = await rejectionOf(() => explore(good, options as ExploreOptions));
    expect(message).toMatch(pattern);
  });

  it.each([
    ['a number', 5, /options must be an object such as \{ runs: 1000 \}; got 5/],
    ['a string', 'fast', /options must be an object.*got 'fast'/],
    ['null', null, /options must be an object.*got null/],
    ['an array', [1000], /options must be an object.*got an array/],
    ['a function', () => 1, /options must be an object/],
  ])('options that are %s reject', async (_label, options, pattern) => {
    const message = await rejectionOf(() => explore(good, options as unknown as ExploreOptions));
    expect(message).toMatch(pattern);
  });

  it('leaves explore() usable: good options after bad ones still run', async () => {
    await rejectionOf(() => explore(good, { runs: -1 }));
    const result = await explore(good, { strategy: 'random', runs: 20, seed: 1 });
    expect(result.ok).toBe(true);
    expect(result.executions).toBe(20);
  });
});

describe('a scenario that is not one', () => {
  it.each([
    ['a plain object', { name: 'x', threads: ['a'], expected: 'ok' }, /explore\(\) needs a scenario made by producerConsumer\(\) or defineScenario\(\); got a plain object/],
    ['null', null, /needs a scenario .*; got null/],
    ['undefined', undefined, /needs a scenario .*; got undefined/],
    ['a string', 'buffer.ts', /needs a scenario .*; got string/],
    ['a copy of a real scenario', { ...correctMonitor() }, /got a plain object/],
  ])('%s rejects', async (_label, scenario, pattern) => {
    const message = await rejectionOf(() => explore(scenario as unknown as Scenario, { runs: 1 }));
    expect(message).toMatch(pattern);
  });
});

describe('a scenario spec with a bad field', () => {
  const threads = { t: async () => {} };
  it.each([
    ['setup not a function', () => defineScenario({ name: 's', setup: { items: [] } as never, threads }), /'setup' must be a function \(rt\) => state; got object/],
    ['setup missing', () => defineScenario({ name: 's', threads } as never), /'setup' must be a function.*got undefined/],
    ['no threads', () => defineScenario({ name: 's', setup: () => ({}), threads: {} }), /'threads' must be an object with at least one thread function/],
    ['a thread not a function', () => defineScenario({ name: 's', setup: () => ({}), threads: { worker: 'run' as never } }), /thread 'worker' must be a function/],
    ['invariant not a function', () => defineScenario({ name: 's', setup: () => ({}), threads, invariant: true as never }), /'invariant' must be a function/],
    ['final not a function', () => defineScenario({ name: 's', setup: () => ({}), threads, final: 'ok' as never }), /'final' must be a function/],
    ['expected not a kind', () => defineScenario({ name: 's', setup: () => ({}), threads, expected: 'crash' as never }), /'expected' must be 'ok', a failure kind or a non-empty list of them.*got "crash"/],
    ['an empty name', () => defineScenario({ name: '', setup: () => ({}), threads }), /'name' must be a non-empty string/],
  ])('defineScenario with %s: explore rejects naming the field', async (_label, make, pattern) => {
    expect(make).not.toThrow(); // the problem is reported by explore(), where a test awaits it
    const message = await rejectionOf(() => explore(make(), { runs: 1 }));
    expect(message).toMatch(pattern);
    expect(message).toMatch(/cannot run/);
  });

  const spec = { name: 'pc', create: (rt: never, c: { capacity: number }) => new MonitorBuffer(rt, c.capacity), producers: 1, consumers: 1, itemsPerProducer: 1, capacity: 1 };
  it.each([
    ['capacity -1', { capacity: -1 }, /'capacity' must be a whole number >= 0; got -1/],
    ['capacity 1.5', { capacity: 1.5 }, /'capacity'.*got 1\.5/],
    ['capacity "2"', { capacity: '2' }, /'capacity'.*got "2"/],
    ['producers 0', { producers: 0 }, /'producers' must be a whole number >= 1; got 0/],
    ['consumers -2', { consumers: -2 }, /'consumers'.*got -2/],
    ['itemsPerProducer NaN', { itemsPerProducer: Number.NaN }, /'itemsPerProducer'/],
    ['create not a function', { create: { put: async () => {}, take: async () => 0 } }, /'create' must be a function/],
    ['put not a function', { put: 'put' }, /'put' must be a function/],
    ['size not a function', { size: 3 }, /'size' must be a function/],
  ])('producerConsumer with %s: explore rejects naming the field', async (_label, override, pattern) => {
    const message = await rejectionOf(() => explore(producerConsumer({ ...spec, ...(override as object) } as never), { runs: 1 }));
    expect(message).toMatch(pattern);
  });

  it('names every problem of a spec at once', async () => {
    const message = await rejectionOf(() => explore(producerConsumer({ ...spec, capacity: -1, producers: 0 } as never), { runs: 1 }));
    expect(message).toMatch(/'capacity'/);
    expect(message).toMatch(/'producers'/);
  });
});
