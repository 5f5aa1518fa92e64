/**
 * BUG: a ring buffer with no count that marks empty slots with a sentinel,
 * `null`, and tests a slot with `slot == null` — which is also true for the
 * items `null` and `undefined`. A slot holding one of them looks free: a
 * producer writes over it, and a consumer waits in front of it as if the
 * buffer were empty. Trigger (capacity 1): producer-0 puts `undefined`, then
 * `null` into the same slot, then `0` over that; three puts have completed and
 * at most one take has started, so the buffer must hold two items, yet it
 * reports one. The items were overwritten, not over-filled: lost-item, judged
 * by the sound count (puts completed minus takes started), not capacity.
 */
import { producerConsumer, type Condition, type Mutex, type Runtime } from 'interleave';

const EMPTY = null;

class SentinelRing<T> {
  private readonly slots: (T | typeof EMPTY)[];
  private head = 0;
  private tail = 0;
  private readonly lock: Mutex;
  private readonly notFull: Condition;
  private readonly notEmpty: Condition;

  constructor(rt: Runtime, private readonly capacity: number) {
    this.slots = new Array<T | typeof EMPTY>(capacity).fill(EMPTY);
    this.lock = rt.mutex('ring');
    this.notFull = rt.condition(this.lock, 'notFull');
    this.notEmpty = rt.condition(this.lock, 'notEmpty');
  }

  /** Occupied slots. */
  get size(): number {
    return this.slots.filter((slot) => slot != EMPTY).length;
  }

  async put(item: T): Promise<void> {
    await this.lock.lock();
    while (this.slots[this.tail] != EMPTY) await this.notFull.wait(); // the bug: null and undefined items look like EMPTY
    this.slots[this.tail] = item;
    this.tail = (this.tail + 1) % this.capacity;
    this.notEmpty.notifyAll();
    this.lock.unlock();
  }

  async take(): Promise<T> {
    await this.lock.lock();
    while (this.slots[this.head] == EMPTY) await this.notEmpty.wait();
    const item = this.slots[this.head] as T;
    this.slots[this.head] = EMPTY;
    this.head = (this.head + 1) % this.capacity;
    this.notFull.notifyAll();
    this.lock.unlock();
    return item;
  }
}

export default producerConsumer({
  name: 'ring-sentinel',
  create: (rt, { capacity }) => new SentinelRing(rt, capacity),
  capacity: 1,
  producers: 1,
  consumers: 1,
  itemsPerProducer: 4,
  expected: 'lost-item',
});
