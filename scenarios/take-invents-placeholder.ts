/**
 * BUG: a buffer whose `take` does not wait. When the buffer is empty it
 * returns a placeholder object "to keep the consumer busy" instead of
 * blocking until a producer puts something. The placeholder was never put:
 * an invented item. Trigger: a consumer's take runs before any producer's put
 * (or after the consumers have drained the buffer ahead of the producers).
 */
import { producerConsumer, type Mutex, type Runtime } from 'interleave';

const PLACEHOLDER = Object.freeze({ placeholder: true });

class NonBlockingBuffer<T> {
  private readonly items: T[] = [];
  private readonly lock: Mutex;

  constructor(rt: Runtime) {
    this.lock = rt.mutex('lock');
  }

  get size(): number {
    return this.items.length;
  }

  async put(item: T): Promise<void> {
    await this.lock.lock();
    this.items.push(item); // the scenario puts fewer items than the capacity, so put never needs to wait
    this.lock.unlock();
  }

  async take(): Promise<T | typeof PLACEHOLDER> {
    await this.lock.lock();
    const item = this.items.length > 0 ? this.items.shift()! : PLACEHOLDER; // the bug: should wait for an item
    this.lock.unlock();
    return item;
  }
}

export default producerConsumer({
  name: 'take-invents-placeholder',
  create: (rt) => new NonBlockingBuffer(rt),
  capacity: 4,
  producers: 1,
  consumers: 1,
  itemsPerProducer: 2,
  expected: 'phantom-item',
});
