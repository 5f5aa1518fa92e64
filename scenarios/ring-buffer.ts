/**
 * A ring buffer, correct: a fixed array of `capacity` slots, `head` (next slot
 * to take), `tail` (next slot to fill) and `count`, which is what tells full
 * from empty (head === tail means either). Guarded by a monitor with while
 * loops; a taken slot is cleared so the buffer does not keep the item alive.
 */
import { producerConsumer, type Condition, type Mutex, type Runtime } from 'interleave';

export class RingBuffer<T> {
  private readonly slots: (T | undefined)[];
  private head = 0;
  private tail = 0;
  private count = 0;
  private readonly lock: Mutex;
  private readonly notFull: Condition;
  private readonly notEmpty: Condition;

  constructor(rt: Runtime, private readonly capacity: number) {
    this.slots = new Array<T | undefined>(capacity).fill(undefined);
    this.lock = rt.mutex('ring');
    this.notFull = rt.condition(this.lock, 'notFull');
    this.notEmpty = rt.condition(this.lock, 'notEmpty');
  }

  get size(): number {
    return this.count;
  }

  async put(item: T): Promise<void> {
    await this.lock.lock();
    while (this.count === this.capacity) await this.notFull.wait();
    this.slots[this.tail] = item;
    this.tail = (this.tail + 1) % this.capacity;
    this.count++;
    this.notEmpty.notify();
    this.lock.unlock();
  }

  async take(): Promise<T> {
    await this.lock.lock();
    while (this.count === 0) await this.notEmpty.wait();
    const item = this.slots[this.head] as T;
    this.slots[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    this.notFull.notify();
    this.lock.unlock();
    return item;
  }
}

export default producerConsumer({
  name: 'ring-buffer',
  create: (rt, { capacity }) => new RingBuffer(rt, capacity),
  capacity: 3,
  producers: 2,
  consumers: 2,
  itemsPerProducer: 4,
  expected: 'ok',
});
