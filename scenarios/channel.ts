/**
 * A bounded channel for production code, correct. It is written against the
 * `Runtime` interface and built with `Channel.create(rt, capacity)`: under the
 * harness `rt` is the virtual runtime, in production it is `realRuntime`
 * (test/scenarios.test.ts runs it there too). Two semaphores count free slots
 * and queued values; a mutex guards the queue. Nothing in the class knows
 * which runtime it runs on.
 */
import { producerConsumer, type Mutex, type Runtime, type Semaphore } from 'interleave';

export class Channel<T> {
  private readonly queue: T[] = [];

  private constructor(
    private readonly slots: Semaphore,
    private readonly values: Semaphore,
    private readonly lock: Mutex,
  ) {}

  static create<T>(rt: Runtime, capacity: number): Channel<T> {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a whole number >= 1; got ${capacity}`);
    return new Channel<T>(rt.semaphore(capacity, 'slots'), rt.semaphore(0, 'values'), rt.mutex('queue'));
  }

  /** Values sent and not yet received. */
  get size(): number {
    return this.queue.length;
  }

  /** Waits for a free slot, then enqueues. */
  async send(value: T): Promise<void> {
    await this.slots.acquire();
    await this.lock.lock();
    this.queue.push(value);
    this.lock.unlock();
    this.values.release();
  }

  /** Waits for a value, then dequeues the oldest. */
  async receive(): Promise<T> {
    await this.values.acquire();
    await this.lock.lock();
    const value = this.queue.shift() as T;
    this.lock.unlock();
    this.slots.release();
    return value;
  }
}

export default producerConsumer({
  name: 'channel',
  create: (rt, { capacity }) => Channel.create<unknown>(rt, capacity),
  put: (ch, value) => ch.send(value),
  take: (ch) => ch.receive(),
  capacity: 2,
  producers: 2,
  consumers: 2,
  itemsPerProducer: 3,
  expected: 'ok',
});
