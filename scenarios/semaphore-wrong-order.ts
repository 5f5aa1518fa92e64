/**
 * BUG: the semaphore buffer of semaphore-buffer.ts with the acquisitions in
 * the wrong order: each side takes the mutex first and only then waits on
 * `empty` / `full` — sleeping while holding the mutex. Trigger: a consumer
 * takes the mutex on an empty buffer and blocks in full.acquire(); the
 * producer that would fill the buffer blocks in mutex.acquire(). Each waits
 * for the other: a deadlock (as soon as the buffer is empty with a consumer
 * first to the mutex, or full with a producer first).
 */
import { producerConsumer, type Runtime, type Semaphore } from 'interleave';

class WrongOrderSemaphoreBuffer<T> {
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
    await this.mutex.acquire(); // the bug: mutex before empty
    await this.empty.acquire();
    this.items.push(item);
    this.mutex.release();
    this.full.release();
  }

  async take(): Promise<T> {
    await this.mutex.acquire(); // the bug: mutex before full
    await this.full.acquire();
    const item = this.items.shift() as T;
    this.mutex.release();
    this.empty.release();
    return item;
  }
}

export default producerConsumer({
  name: 'semaphore-wrong-order',
  create: (rt, { capacity }) => new WrongOrderSemaphoreBuffer(rt, capacity),
  capacity: 2,
  producers: 2,
  consumers: 2,
  itemsPerProducer: 3,
  expected: 'deadlock',
});
