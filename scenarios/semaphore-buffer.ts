/**
 * A semaphore bounded buffer, correct: `empty` counts free slots, `full`
 * counts filled ones, `mutex` guards the array. A producer waits for a free
 * slot *before* it takes the mutex, and a consumer for a filled one, so no
 * thread ever sleeps while holding the mutex.
 */
import { producerConsumer, type Runtime, type Semaphore } from 'interleave';

export class SemaphoreBuffer<T> {
  private readonly items: T[] = [];
  private readonly empty: Semaphore;
  private readonly full: Semaphore;
  private readonly mutex: Semaphore;

  constructor(rt: Runtime, capacity: number) {
    this.empty = rt.semaphore(capacity, 'empty');
    this.full = rt.semaphore(0, 'full');
    this.mutex = rt.semaphore(1, 'mutex');
  }

  get size(): number {
    return this.items.length;
  }

  async put(item: T): Promise<void> {
    await this.empty.acquire();
    await this.mutex.acquire();
    this.items.push(item);
    this.mutex.release();
    this.full.release();
  }

  async take(): Promise<T> {
    await this.full.acquire();
    await this.mutex.acquire();
    const item = this.items.shift() as T;
    this.mutex.release();
    this.empty.release();
    return item;
  }
}

export default producerConsumer({
  name: 'semaphore-buffer',
  create: (rt, { capacity }) => new SemaphoreBuffer(rt, capacity),
  capacity: 2,
  producers: 2,
  consumers: 2,
  itemsPerProducer: 3,
  expected: 'ok',
});
