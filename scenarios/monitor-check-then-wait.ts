/**
 * BUG: a consumer checks for an empty buffer in one lock hold and waits in
 * another. Between the two it holds no lock, so a producer can put an item
 * and notify in the gap; that notify finds no waiter and is lost, and the
 * consumer then waits for a signal that has already come — although the
 * buffer holds an item. Trigger: the consumer sees an empty buffer and
 * unlocks; the producer puts its remaining items, each notify finding no
 * waiter; the consumer re-locks and waits for a notify that will never come,
 * with items in the buffer: a lost wakeup.
 */
import { producerConsumer, type Condition, type Mutex, type Runtime } from 'interleave';

class CheckThenWaitBuffer<T> {
  private readonly items: T[] = [];
  private readonly lock: Mutex;
  private readonly notFull: Condition;
  private readonly notEmpty: Condition;

  constructor(rt: Runtime, private readonly capacity: number) {
    this.lock = rt.mutex('lock');
    this.notFull = rt.condition(this.lock, 'notFull');
    this.notEmpty = rt.condition(this.lock, 'notEmpty');
  }

  get size(): number {
    return this.items.length;
  }

  async put(item: T): Promise<void> {
    await this.lock.lock();
    while (this.items.length === this.capacity) await this.notFull.wait();
    this.items.push(item);
    this.notEmpty.notify();
    this.lock.unlock();
  }

  private async isEmpty(): Promise<boolean> {
    await this.lock.lock();
    const empty = this.items.length === 0;
    this.lock.unlock();
    return empty;
  }

  async take(): Promise<T> {
    if (await this.isEmpty()) {
      // the bug: the lock was released after the check; a notify can come and go before this wait
      await this.lock.lock();
      await this.notEmpty.wait();
    } else {
      await this.lock.lock();
    }
    const item = this.items.shift() as T;
    this.notFull.notify();
    this.lock.unlock();
    return item;
  }
}

export default producerConsumer({
  name: 'monitor-check-then-wait',
  create: (rt, { capacity }) => new CheckThenWaitBuffer(rt, capacity),
  capacity: 2,
  producers: 1,
  consumers: 1,
  itemsPerProducer: 3,
  expected: 'lost-wakeup',
});
