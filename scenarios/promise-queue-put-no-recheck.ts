/**
 * BUG: a bounded promise-world queue (plain resolvers, no Runtime) whose
 * `put`, after waiting for room, pushes its item without looking again for
 * a taker that started waiting meanwhile. Trigger: put('a') fills the queue
 * and put('b') waits; then two takes start in one macrotask, as
 * `Promise.all([q.take(), q.take()])` starts them. The first take frees the
 * slot and wakes the putter, whose continuation is still queued when the
 * second take runs, finds the queue empty and waits; the putter then
 * buffers 'b' while that taker waits forever: a lost wakeup. Every put and
 * take that starts only after the microtask queue has drained sees nothing
 * wrong, so only same-macrotask starts find it.
 */
import { producerConsumer } from 'interleave';

export class RecheckFreeQueue<T> {
  private readonly items: T[] = [];
  private readonly takers: ((item: T) => void)[] = [];
  private readonly putters: (() => void)[] = [];

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.items.length;
  }

  async put(item: T): Promise<void> {
    const taker = this.takers.shift();
    if (taker !== undefined) return taker(item);
    if (this.items.length >= this.capacity) {
      await new Promise<void>((resolve) => this.putters.push(resolve));
      this.items.push(item); // the bug: a taker may have started waiting while this put waited
      return;
    }
    this.items.push(item);
  }

  take(): Promise<T> {
    if (this.items.length > 0) {
      const item = this.items.shift() as T;
      this.putters.shift()?.();
      return Promise.resolve(item);
    }
    return new Promise<T>((resolve) => this.takers.push(resolve));
  }
}

export default producerConsumer({
  name: 'promise-queue-put-no-recheck',
  create: (_rt, { capacity }) => new RecheckFreeQueue(capacity),
  capacity: 1,
  producers: 1,
  consumers: 2,
  itemsPerProducer: 2,
  expected: 'lost-wakeup',
});
