/**
 * BUG: a bounded promise-world queue whose `put` wakes a waiting taker only
 * on the empty to non-empty edge. Trigger: both consumers wait on the empty
 * queue; then two puts run in one macrotask. The first put makes the queue
 * non-empty and wakes one taker, whose continuation is still queued when
 * the second put runs: the queue is not empty, so no edge, no wake. The
 * woken taker takes one item, and the other taker waits forever beside the
 * item left in the queue: a lost wakeup. When every put starts only after
 * the woken taker has run, the second put sees an empty queue again and
 * wakes the other taker, so only same-macrotask starts find it.
 */
import { producerConsumer } from 'interleave';

export class EdgeWakeQueue<T> {
  private readonly items: T[] = [];
  private readonly takers: (() => void)[] = [];
  private readonly putters: (() => void)[] = [];

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.items.length;
  }

  async put(item: T): Promise<void> {
    while (this.items.length >= this.capacity) await new Promise<void>((resolve) => this.putters.push(resolve));
    this.items.push(item);
    if (this.items.length === 1) this.takers.shift()?.(); // the bug: only the empty to non-empty edge wakes a taker
  }

  async take(): Promise<T> {
    while (this.items.length === 0) await new Promise<void>((resolve) => this.takers.push(resolve));
    const item = this.items.shift() as T;
    this.putters.shift()?.();
    return item;
  }
}

export default producerConsumer({
  name: 'promise-queue-edge-wake',
  create: (_rt, { capacity }) => new EdgeWakeQueue(capacity),
  capacity: 2,
  producers: 2,
  consumers: 2,
  itemsPerProducer: 2,
  expected: 'lost-wakeup',
});
