/**
 * BUG: the monitor buffer of monitor-buffer.ts, but consumers check for an
 * empty buffer with `if` instead of `while`. Mesa semantics: notify() only
 * makes a waiter runnable; it re-acquires the mutex later, in a step of its
 * own. Trigger: consumer-0 waits on an empty buffer; a producer puts an item
 * and notifies it; before consumer-0 gets the mutex back, consumer-1 arrives,
 * finds the item and takes it. consumer-0 then returns from wait() without
 * re-checking and shifts an empty array: it "takes" `undefined`, an item that
 * is not there. The workload's first item is itself `undefined`, so the
 * finding is `undefined` taken more times than it was put: duplicate-item.
 */
import { producerConsumer, type Condition, type Mutex, type Runtime } from 'interleave';

class IfMonitorBuffer<T> {
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
    if (this.items.length === 0) await this.notEmpty.wait(); // the bug: `if`, not `while`
    const item = this.items.shift() as T;
    this.notFull.notify();
    this.lock.unlock();
    return item;
  }
}

export default producerConsumer({
  name: 'monitor-if-instead-of-while',
  create: (rt, { capacity }) => new IfMonitorBuffer(rt, capacity),
  capacity: 2,
  producers: 2,
  consumers: 2,
  itemsPerProducer: 3,
  expected: 'duplicate-item',
});
