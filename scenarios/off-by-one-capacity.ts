/**
 * BUG: a monitor buffer whose "full" test is off by one — `>` where `>=`
 * belongs — so a producer that finds exactly `capacity` items still puts one
 * more. Trigger: any schedule in which producers run ahead of consumers until
 * the buffer is full; the next put makes it hold capacity + 1 items.
 */
import { producerConsumer, type Condition, type Mutex, type Runtime } from 'interleave';

class OffByOneBuffer<T> {
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
    while (this.items.length > this.capacity) await this.notFull.wait(); // the bug: should be >=
    this.items.push(item);
    this.notEmpty.notify();
    this.lock.unlock();
  }

  async take(): Promise<T> {
    await this.lock.lock();
    while (this.items.length === 0) await this.notEmpty.wait();
    const item = this.items.shift() as T;
    this.notFull.notify();
    this.lock.unlock();
    return item;
  }
}

export default producerConsumer({
  name: 'off-by-one-capacity',
  create: (rt, { capacity }) => new OffByOneBuffer(rt, capacity),
  capacity: 2,
  producers: 2,
  consumers: 2,
  itemsPerProducer: 3,
  expected: 'capacity',
});
