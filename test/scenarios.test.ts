/**
 * The scenario library (scenarios/*.ts): every scenario meets its declared
 * expectation under a fixed seed, and every failure it reports replays from
 * its token to the same kind at the same step. The correct runtime-world
 * buffers also run on realRuntime, as they would in production.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explore, realRuntime, replay, type Runtime, type Scenario } from 'interleave';
import { Channel } from '../scenarios/channel.ts';
import { MonitorBuffer } from '../scenarios/monitor-buffer.ts';
import { RingBuffer } from '../scenarios/ring-buffer.ts';
import { SemaphoreBuffer } from '../scenarios/semaphore-buffer.ts';

const SEED = 20_251_128;
const RUNS = 2000;
/**
 * Fewer runs where an execution is long: PCT starves the producer of the
 * spin-wait for thousands of steps before the fair continuation ends it.
 */
const RUNS_FOR: Record<string, number> = { 'spin-wait-flag': 300 };

const dir = new URL('../scenarios/', import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .sort();

const library = await Promise.all(
  files.map(async (file) => {
    const exported: unknown = (await import(new URL(file, dir).href)).default;
    const scenarios = (Array.isArray(exported) ? exported : [exported]) as Scenario[];
    return { file, source: readFileSync(new URL(file, dir), 'utf8'), scenarios };
  }),
);

describe('the scenario library', () => {
  it('has files, each opening with a comment and declaring what it expects', () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
    for (const { file, source, scenarios } of library) {
      expect(source.startsWith('/**'), `${file} starts with a comment`).toBe(true);
      expect(source, `${file} declares expected`).toMatch(/\bexpected:/);
      expect(scenarios.length, `${file} default-exports a scenario`).toBeGreaterThan(0);
      for (const s of scenarios) expect(typeof s?.name, `${file} default-exports scenarios`).toBe('string');
    }
  });

  it('has correct and buggy implementations', () => {
    const all = library.flatMap((l) => l.scenarios);
    expect(all.filter((s) => s.expected === 'ok').length).toBeGreaterThanOrEqual(4);
    expect(all.filter((s) => s.expected !== 'ok').length).toBeGreaterThanOrEqual(8);
  });
});

for (const { file, scenarios } of library) {
  describe(file, () => {
    for (const scenario of scenarios) {
      const expected = scenario.expected;
      const title = expected === 'ok' ? `${scenario.name}: no failure` : `${scenario.name}: finds ${expected.join(' or ')}, and replays it`;
      it(title, async () => {
        const result = await explore(scenario, { seed: SEED, runs: RUNS_FOR[scenario.name] ?? RUNS });
        expect(result.expectationMet, result.failure?.message ?? `no failure in ${result.executions} executions`).toBe(true);
        if (expected === 'ok') {
          expect(result.ok).toBe(true);
          return;
        }
        const failure = result.failure!;
        expect(expected).toContain(failure.kind);
        const again = await replay(scenario, failure.replay);
        expect(again.ok).toBe(false);
        expect(again.failure?.kind).toBe(failure.kind);
        expect(again.failure?.step).toBe(failure.step);
      });
    }
  });
}

interface Buffer {
  put(item: number): Promise<void>;
  take(): Promise<number>;
  readonly size: number;
}

/** Producers and consumers as plain concurrent promises; checks delivery, per-producer order and bounds. */
async function runOnRealRuntime(make: (rt: Runtime, capacity: number) => Buffer): Promise<void> {
  const capacity = 2;
  const producers = 3;
  const perProducer = 50;
  const buffer = make(realRuntime, capacity);
  let largest = 0;
  const taken: number[][] = [[], []];
  const produce = async (p: number): Promise<void> => {
    for (let i = 0; i < perProducer; i++) {
      await buffer.put(p * 1000 + i);
      largest = Math.max(largest, buffer.size);
      if (i % 7 === 0) await realRuntime.yield();
    }
  };
  const consume = async (c: number, count: number): Promise<void> => {
    for (let i = 0; i < count; i++) {
      taken[c]!.push(await buffer.take());
      if (i % 5 === 0) await realRuntime.yield();
    }
  };
  const total = producers * perProducer;
  await Promise.all([
    ...Array.from({ length: producers }, (_, p) => produce(p)),
    consume(0, Math.ceil(total / 2)),
    consume(1, Math.floor(total / 2)),
  ]);
  const all = taken.flat().sort((a, b) => a - b);
  const want = Array.from({ length: producers }, (_, p) => Array.from({ length: perProducer }, (_, i) => p * 1000 + i)).flat();
  expect(all).toEqual(want);
  for (const mine of taken) {
    for (let p = 0; p < producers; p++) {
      const fromP = mine.filter((x) => Math.floor(x / 1000) === p);
      expect(fromP).toEqual([...fromP].sort((a, b) => a - b));
    }
  }
  expect(largest).toBeLessThanOrEqual(capacity);
  expect(buffer.size).toBe(0);
}

describe('the correct runtime-world buffers on realRuntime', () => {
  it('Channel.create(realRuntime, capacity) delivers every value once, in order per sender', async () => {
    await runOnRealRuntime((rt, capacity) => {
      const ch = Channel.create<number>(rt, capacity);
      return { put: (x) => ch.send(x), take: () => ch.receive(), get size() { return ch.size; } };
    });
  });

  it('so do MonitorBuffer, SemaphoreBuffer and RingBuffer', async () => {
    await runOnRealRuntime((rt, capacity) => new MonitorBuffer<number>(rt, capacity));
    await runOnRealRuntime((rt, capacity) => new SemaphoreBuffer<number>(rt, capacity));
    await runOnRealRuntime((rt, capacity) => new RingBuffer<number>(rt, capacity));
  });
});
