/**
 * producerConsumer()'s contract (DESIGN section 3): the items, and how the
 * takes are split among consumers.
 */
import { describe, expect, it } from 'vitest';
import { explore, producerConsumer, type Runtime } from 'interleave';
import { itemFor, takesFor, TRICKY_ITEMS } from '../../src/workload/items.ts';

/** A correct queue that remembers what was put, for the test to read back. */
class RecordingQueue {
  readonly items: unknown[] = [];
  readonly putLog: unknown[] = [];
  takes = 0;
  constructor(readonly rt: Runtime) {}
  async put(item: unknown): Promise<void> {
    this.putLog.push(item);
    this.items.push(item);
  }
  async take(): Promise<unknown> {
    while (this.items.length === 0) await this.rt.yield();
    this.takes++;
    return this.items.shift();
  }
}

describe('producerConsumer items', () => {
  it("start with the first producer's tricky values, then distinct { producer, index } objects", () => {
    expect(TRICKY_ITEMS.map((x) => Object.is(x, NaN) ? 'NaN' : x)).toEqual([undefined, null, 0, '', false, 'NaN']);
    for (let i = 0; i < 6; i++) expect(Object.is(itemFor(0, i), TRICKY_ITEMS[i])).toBe(true);
    expect(itemFor(0, 6)).toEqual({ producer: 0, index: 6 });
    expect(itemFor(2, 0)).toEqual({ producer: 2, index: 0 });
    expect(itemFor(1, 3)).not.toBe(itemFor(1, 3)); // a fresh object every execution
  });

  it('split the takes: consumer j takes ⌊T/c⌋ and the first T mod c one more', () => {
    expect([0, 1, 2].map((j) => takesFor(j, 8, 3))).toEqual([3, 3, 2]);
    expect([0, 1].map((j) => takesFor(j, 3, 2))).toEqual([2, 1]);
    expect([0, 1, 2].map((j) => takesFor(j, 0, 3))).toEqual([0, 0, 0]);
  });

  it('are what the implementation receives, and each consumer takes its share, in a real execution', async () => {
    const queues: RecordingQueue[] = [];
    const total = 2 * 7;
    const scenario = producerConsumer({
      name: 'recording queue',
      create: (rt) => {
        const q = new RecordingQueue(rt);
        queues.push(q);
        return q;
      },
      // Reports an impossible size once every item is taken, so the run fails there and its trace shows every take.
      size: (q) => (q.takes === total ? -1 : q.items.length),
      capacity: 100,
      producers: 2,
      consumers: 3,
      itemsPerProducer: 7,
      fifo: false,
    });
    const result = await explore(scenario, { runs: 20, seed: 3, strategy: 'random' });
    expect(result.failure?.kind).toBe('capacity');
    const q = queues.at(-1)!;
    const first = q.putLog.filter((x) => !(typeof x === 'object' && x !== null && 'producer' in x));
    expect(first.map((x) => (Object.is(x, NaN) ? 'NaN' : x))).toEqual([undefined, null, 0, '', false, 'NaN']);
    const objects = q.putLog.filter((x) => typeof x === 'object' && x !== null && 'producer' in x) as { producer: number; index: number }[];
    expect(objects.length).toBe(total - 6);
    expect(new Set(objects).size).toBe(objects.length);
    expect(objects.filter((o) => o.producer === 0).map((o) => o.index)).toEqual([6]);
    expect(objects.filter((o) => o.producer === 1).map((o) => o.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const takesBy = new Map<string, number>();
    for (const step of result.failure!.trace.steps) {
      for (const e of step.events) if (e.type === 'response' && e.op === 'take') takesBy.set(e.thread, (takesBy.get(e.thread) ?? 0) + 1);
    }
    expect(Object.fromEntries(takesBy)).toEqual({ 'consumer-0': 5, 'consumer-1': 5, 'consumer-2': 4 });
  });
});
