/**
 * BUG: a bounded buffer that is really a stack — `take` pops the newest item
 * (`items.pop()`) where a queue shifts the oldest. Each item arrives exactly
 * once, so nothing is lost or duplicated, but a producer's items come out in
 * the wrong order. Trigger: a producer puts two items before a consumer takes
 * either (capacity 2 lets it); the consumer then takes the second one first.
 */
import { producerConsumer, type Condition, type Mutex, type Runtime } from 'interleave';

class StackBuffer<T> {
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
    while (this.items.length >= this.capacity) await this.notFull.wait();
    this.items.push(item);
    this.notEmpty.notify();
    this.lock.unlock();
  }

  async take(): Promise<T> {
    await this.lock.lock();
    while (this.items.length === 0) await this.notEmpty.wait();
    const item = this.items.pop() as T; // the bug: a queue takes the oldest, items.shift()
    this.notFull.notify();
    this.lock.unlock();
    return item;
  }
}

export default producerConsumer({
  name: 'stack-instead-of-queue',
  create: (rt, { capacity }) => new StackBuffer(rt, capacity),
  capacity: 2,
  producers: 1,
  consumers: 1,
  itemsPerProducer: 3,
  expected: 'order',
});
