/**
 * A monitor bounded buffer, correct: one mutex, two conditions (notFull for
 * producers, notEmpty for consumers), and every wait inside a `while` that
 * re-checks its predicate. With Mesa semantics a woken thread only learns that
 * the state *may* have changed; another thread can run between the notify and
 * its return from wait(), so re-checking is what makes it safe.
 */
import { producerConsumer, type Condition, type Mutex, type Runtime } from 'interleave';

export class MonitorBuffer<T> {
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
  name: 'monitor-buffer',
  create: (rt, { capacity }) => new MonitorBuffer(rt, capacity),
  capacity: 2,
  producers: 2,
  consumers: 2,
  itemsPerProducer: 3,
  expected: 'ok',
});
