import { producerConsumer, type Condition, type Mutex, type Runtime } from 'interleave';

/** The benchmark's subject: a correct monitor bounded buffer on the Runtime. */
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
    while (this.items.length >= this.capacity) await this.notFull.wait();
    this.items.push(item);
    this.notEmpty.notify();
    this.lock.unlock();
  }

  async take(): Promise<T> {
    await this.lock.lock();
    while (this.items.length === 0) await this.notEmpty.wait();
    const item = this.items.shift()!;
    this.notFull.notify();
    this.lock.unlock();
    return item;
  }
}

export const monitorBufferScenario = producerConsumer({
  name: 'bench: monitor buffer 2p/2c cap 2',
  create: (rt, { capacity }) => new MonitorBuffer(rt, capacity),
  capacity: 2,
  producers: 2,
  consumers: 2,
  itemsPerProducer: 4,
});
