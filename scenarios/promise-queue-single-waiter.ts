/**
 * BUG: a promise-world queue (plain resolvers, no Runtime) that remembers only
 * one waiting taker. Trigger: both consumers find the queue empty; the second
 * take overwrites the first one's resolver. The next put resolves the second
 * consumer; the first is parked on a promise nothing holds a reference to any
 * more, so later items pile up in the queue while it waits forever: a lost
 * wakeup (a consumer parked in take although the queue holds items).
 */
import { producerConsumer } from 'interleave';

class SingleWaiterQueue<T> {
  private readonly items: T[] = [];
  private waiting: ((item: T) => void) | undefined;

  get size(): number {
    return this.items.length;
  }

  async put(item: T): Promise<void> {
    const taker = this.waiting;
    this.waiting = undefined;
    if (taker !== undefined) taker(item);
    else this.items.push(item);
  }

  take(): Promise<T> {
    if (this.items.length > 0) return Promise.resolve(this.items.shift() as T);
    return new Promise<T>((resolve) => {
      this.waiting = resolve; // the bug: a second waiting taker replaces the first
    });
  }
}

export default producerConsumer({
  name: 'promise-queue-single-waiter',
  create: () => new SingleWaiterQueue(),
  capacity: 4,
  producers: 1,
  consumers: 2,
  itemsPerProducer: 4,
  expected: 'lost-wakeup',
});
