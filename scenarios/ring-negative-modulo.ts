/**
 * BUG: a ring buffer that keeps `tail` and `count` and derives the slot to
 * take from as `(tail - count) % capacity`. In JavaScript `%` keeps the sign
 * of the dividend, so once `tail` has wrapped round to a slot before the
 * oldest item, the index is negative: the take reads `slots[-1]` (undefined,
 * never written), clears it, and the real item stays in its slot to be
 * overwritten later. Trigger (capacity 2): put a, take a, put b — tail has
 * wrapped to 0 with count 1 — and the next take reads slot (0 - 1) % 2 = -1.
 * The `undefined` it returns is also the workload's first item, so the finding
 * is `undefined` taken more times than it was put: duplicate-item (with no
 * `undefined` among the items it would be phantom-item).
 */
import { producerConsumer, type Condition, type Mutex, type Runtime } from 'interleave';

class NegativeModuloRing<T> {
  private readonly slots: (T | undefined)[];
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
    const head = (this.tail - this.count) % this.capacity; // the bug: negative once tail < count; add capacity first
    const item = this.slots[head] as T;
    this.slots[head] = undefined;
    this.count--;
    this.notFull.notify();
    this.lock.unlock();
    return item;
  }
}

export default producerConsumer({
  name: 'ring-negative-modulo',
  create: (rt, { capacity }) => new NegativeModuloRing(rt, capacity),
  capacity: 2,
  producers: 2,
  consumers: 2,
  itemsPerProducer: 3,
  expected: 'duplicate-item',
});
