/**
 * Hostile values are findings (issue 7): whatever the code under test throws
 * or rejects with, and whatever a callback the harness calls throws, becomes
 * an exception finding naming the thread or the callback, with a safe
 * description of the value. Nothing it does crashes the harness.
 */
import { describe, expect, it } from 'vitest';
import { defineScenario, explore, producerConsumer, type Runtime } from 'interleave';

function throwing(value: () => unknown) {
  return defineScenario({
    name: 'throws a hostile value',
    setup: () => ({}),
    threads: {
      victim: async (_s: object, rt: Runtime) => {
        await rt.yield();
        throw value();
      },
    },
  });
}

const revoked = (): unknown => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
};

describe('values a thread throws', () => {
  it.each([
    ['an object without a prototype', () => Object.create(null) as unknown, /victim threw at step \d+: \{\}/],
    ['an object whose toString throws', () => ({ toString: () => { throw new Error('no'); } }), /victim threw at step \d+: \{toString:\[function toString\]\}/],
    ['a revoked proxy', revoked, /victim threw at step \d+: \[a value that cannot be inspected\]/],
    [
      'an Error whose message getter throws',
      () => Object.defineProperty(new Error('x'), 'message', { get: () => { throw new Error('gotcha'); } }),
      /victim threw at step \d+: Error: \[message getter threw\]/,
    ],
    ['a symbol', () => Symbol('odd'), /victim threw at step \d+: Symbol\(odd\)/],
  ])('%s: an exception finding naming the thread', async (_label, value, message) => {
    const result = await explore(throwing(value), { runs: 5, seed: 1 });
    expect(result.failure?.kind).toBe('exception');
    expect(result.failure!.message).toMatch(message);
  });
});

describe('callbacks the harness calls', () => {
  const queue = (overrides: Record<string, unknown>) =>
    producerConsumer({
      name: 'hostile queue',
      create: () => {
        const items: unknown[] = [];
        return { items, async put(x: unknown) { items.push(x); }, async take() { return items.shift(); } };
      },
      capacity: 4,
      producers: 1,
      consumers: 1,
      itemsPerProducer: 1,
      ...overrides,
    });

  it('a size that throws is an exception finding naming the size', async () => {
    const result = await explore(queue({ size: () => { throw new Error('size is broken'); } }), { runs: 5, seed: 1 });
    expect(result.failure?.kind).toBe('exception');
    expect(result.failure!.message).toMatch(/the buffer's size \(read after every step\) threw at step \d+: Error: size is broken/);
  });

  it('a put that throws is an exception finding naming the producer', async () => {
    const result = await explore(queue({ put: () => { throw new Error('put failed'); } }), { runs: 5, seed: 1 });
    expect(result.failure?.kind).toBe('exception');
    expect(result.failure!.message).toMatch(/producer-0 threw at step \d+: Error: put failed/);
  });

  it('a create (setup) that throws is an exception finding naming it, not a rejection of explore()', async () => {
    const result = await explore(queue({ create: () => { throw Object.create(null); } }), { runs: 5, seed: 1 });
    expect(result.failure?.kind).toBe('exception');
    expect(result.failure!.message).toMatch(/setup \(or create\) threw at step 0: \{\}/);
  });

  it('an outcome that throws is an exception finding naming it', async () => {
    const { collectOutcomes } = await import('../../src/explore/outcomes.ts');
    const counts = await collectOutcomes(queue({ outcome: () => { throw new Error('outcome broke'); } }), { runs: 3, seed: 1 });
    expect(counts.findings.get('exception')).toBe(3);
  });
});

describe('callbacks the event loop calls, inside an execution', () => {
  const scheduleThrow = (schedule: (fn: () => void) => void) =>
    defineScenario({
      name: 'a callback that throws',
      setup: () => ({}),
      threads: {
        t: async (_s: object, rt: Runtime) => {
          schedule(() => {
            throw new Error('from a callback');
          });
          await rt.yield();
        },
      },
    });

  it.each([
    ['process.nextTick', (fn: () => void) => process.nextTick(fn), /a process.nextTick callback threw at step \d+: Error: from a callback/],
    ['queueMicrotask', (fn: () => void) => queueMicrotask(fn), /a queueMicrotask callback threw at step \d+: Error: from a callback/],
    ['setImmediate', (fn: () => void) => setImmediate(fn), /timer#0 \(a timer callback\) threw at step \d+: Error: from a callback/],
  ])('%s: an exception finding, and the process lives on', async (_label, schedule, message) => {
    const result = await explore(scheduleThrow(schedule), { runs: 5, seed: 1 });
    expect(result.failure?.kind).toBe('exception');
    expect(result.failure!.message).toMatch(message);
  });

  it('process.exit() from the code under test is an exception finding, not the end of the test runner', async () => {
    const exits = defineScenario({
      name: 'exits',
      setup: () => ({}),
      threads: {
        t: async (_s: object, rt: Runtime) => {
          await rt.yield();
          process.exit(3);
        },
      },
    });
    const result = await explore(exits, { runs: 5, seed: 1 });
    expect(result.failure?.kind).toBe('exception');
    expect(result.failure!.message).toMatch(/process\.exit\(3\) was called by the code under test/);
  });
});

describe('names', () => {
  it('a thread named __proto__ is in the trace like any other', async () => {
    const odd = defineScenario({
      name: 'odd names',
      setup: () => ({}),
      threads: { ['__proto__']: async (_s: object, rt: Runtime) => rt.yield(), constructor: async () => {} },
      final: () => 'always fails, to get a trace',
    } as never);
    const result = await explore(odd, { runs: 2, seed: 1 });
    const trace = result.failure!.trace;
    expect(trace.threads).toEqual(['__proto__', 'constructor']);
    expect(Object.keys(trace.steps.at(-1)!.threadsAfter)).toEqual(['__proto__', 'constructor']);
    expect(trace.steps.some((s) => s.actor === '__proto__')).toBe(true);
  });

  it('a thread named like a timer is refused with a clear error', async () => {
    const confusing = defineScenario({ name: 'confusing', setup: () => ({}), threads: { 'timer#0': async () => {} } });
    await expect(explore(confusing, { runs: 1, seed: 1 })).rejects.toThrow(/thread name 'timer#0' is reserved: reports name timer callbacks 'timer#N'/);
  });
});
