/**
 * async-mutex (pinned at 0.5.0), correct: a bounded buffer built from its
 * primitives — a Semaphore of free slots, a Semaphore of filled ones, and a
 * Mutex around the array — the textbook semaphore buffer, in promise-world
 * code. Two producers and two consumers through capacity 2: nothing lost,
 * duplicated or reordered, never over capacity.
 */
import { Mutex, Semaphore } from 'async-mutex';
import { producerConsumer } from 'interleave';

export class AsyncMutexBuffer<T> {
  private readonly items: T[] = [];
  private readonly mutex = new Mutex();
  private readonly free: Semaphore;
  private readonly filled = new Semaphore(0);

  constructor(capacity: number) {
    this.free = new Semaphore(capacity);
  }

  get size(): number {
    return this.items.length;
  }

  async put(item: T): Promise<void> {
    await this.free.acquire();
    await this.mutex.runExclusive(() => {
      this.items.push(item);
    });
    this.filled.release();
  }

  async take(): Promise<T> {
    await this.filled.acquire();
    const item = await this.mutex.runExclusive(() => this.items.shift() as T);
    this.free.release();
    return item;
  }
}

export default producerConsumer({
  name: 'async-mutex',
  create: (_rt, { capacity }) => new AsyncMutexBuffer(capacity),
  capacity: 2,
  producers: 2,
  consumers: 2,
  itemsPerProducer: 2,
  expected: 'ok',
});
