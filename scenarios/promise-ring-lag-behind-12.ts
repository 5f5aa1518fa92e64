/**
 * BUG: a promise-world ring buffer declared with capacity 16 but only 12
 * slots. A put waits for room only when 16 items are held, so once the
 * producer runs 12 items ahead of the consumer, the 13th overwrites the
 * oldest item not yet taken. Trigger: the consumer falls 12 items behind —
 * it must be starved for a dozen of the producer's steps in a row, which
 * uniform random scheduling almost never does (PCT, which runs the
 * highest-priority thread for as long as it can, does).
 */
import { producerConsumer } from 'interleave';

export class LaggingRing<T> {
  private readonly slots: (T | undefined)[] = new Array(12);
  private head = 0;
  private count = 0;
  private readonly takers: (() => void)[] = [];
  private readonly putters: (() => void)[] = [];

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.count;
  }

  async put(item: T): Promise<void> {
    while (this.count >= this.capacity) await new Promise<void>((resolve) => this.putters.push(resolve));
    this.slots[(this.head + this.count) % this.slots.length] = item; // the bug: 12 slots hold up to 16 items
    this.count++;
    this.takers.shift()?.();
  }

  async take(): Promise<T> {
    while (this.count === 0) await new Promise<void>((resolve) => this.takers.push(resolve));
    const item = this.slots[this.head] as T;
    this.head = (this.head + 1) % this.slots.length;
    this.count--;
    this.putters.shift()?.();
    return item;
  }
}

export default producerConsumer({
  name: 'promise-ring-lag-behind-12',
  create: (_rt, { capacity }) => new LaggingRing(capacity),
  capacity: 16,
  producers: 1,
  consumers: 1,
  itemsPerProducer: 14,
  expected: ['lost-item', 'duplicate-item', 'order'],
});
