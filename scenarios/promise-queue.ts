/**
 * A promise-world queue, correct: no Runtime at all, only plain promises and
 * their resolvers, as most npm queues are written. A take on an empty queue
 * parks on a promise whose resolver joins a FIFO of waiting takers; a put
 * hands its item straight to the oldest waiting taker, or buffers it. The
 * queue is unbounded, so the scenario's capacity is the number of items.
 */
import { producerConsumer } from 'interleave';

export class AsyncQueue<T> {
  private readonly items: T[] = [];
  private readonly takers: ((item: T) => void)[] = [];

  get size(): number {
    return this.items.length;
  }

  async put(item: T): Promise<void> {
    const taker = this.takers.shift();
    if (taker !== undefined) taker(item);
    else this.items.push(item);
  }

  take(): Promise<T> {
    if (this.items.length > 0) return Promise.resolve(this.items.shift() as T);
    return new Promise<T>((resolve) => this.takers.push(resolve));
  }
}

export default producerConsumer({
  name: 'promise-queue',
  create: () => new AsyncQueue(),
  capacity: 6,
  producers: 2,
  consumers: 2,
  itemsPerProducer: 3,
  expected: 'ok',
});
