/**
 * BUG: producers and consumers share one condition, `changed`, and signal it
 * with notify() (wake one) instead of notifyAll(). A notify meant for a
 * producer can wake a consumer, which finds nothing to do and waits again:
 * the signal is spent and nobody else is woken. Trigger (capacity 1): both
 * consumers wait on the empty buffer; producer-0 puts and wakes consumer-0;
 * both producers then find the buffer full and wait; consumer-0 takes and its
 * notify picks consumer-1 rather than a producer; consumer-1 finds the buffer
 * empty and waits, consumer-0 comes back for its next item and waits too.
 * Everyone now waits on `changed` with room in the buffer and no notify to
 * come: a lost wakeup (producers wait although the buffer has room).
 */
import { producerConsumer, type Condition, type Mutex, type Runtime } from 'interleave';

class OneConditionBuffer<T> {
  private readonly items: T[] = [];
  private readonly lock: Mutex;
  private readonly changed: Condition;

  constructor(rt: Runtime, private readonly capacity: number) {
    this.lock = rt.mutex('lock');
    this.changed = rt.condition(this.lock, 'changed');
  }

  get size(): number {
    return this.items.length;
  }

  async put(item: T): Promise<void> {
    await this.lock.lock();
    while (this.items.length === this.capacity) await this.changed.wait();
    this.items.push(item);
    this.changed.notify(); // the bug: may wake another producer; notifyAll() would be correct
    this.lock.unlock();
  }

  async take(): Promise<T> {
    await this.lock.lock();
    while (this.items.length === 0) await this.changed.wait();
    const item = this.items.shift() as T;
    this.changed.notify(); // the bug: may wake another consumer
    this.lock.unlock();
    return item;
  }
}

export default producerConsumer({
  name: 'monitor-one-condition-notify',
  create: (rt, { capacity }) => new OneConditionBuffer(rt, capacity),
  capacity: 1,
  producers: 2,
  consumers: 2,
  itemsPerProducer: 2,
  expected: 'lost-wakeup',
});
