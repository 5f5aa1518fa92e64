/**
 * BUG: a queue whose take() throws on an empty queue instead of waiting — its
 * author assumed producers always run ahead of consumers. Trigger: a consumer
 * reaches take() before any producer has put an item (here the very first
 * step can do it); the consumer thread rejects: an exception finding.
 */
import { producerConsumer } from 'interleave';

class NonBlockingQueue<T> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  async put(item: T): Promise<void> {
    this.items.push(item);
  }

  async take(): Promise<T> {
    if (this.items.length === 0) throw new Error('take() on an empty queue'); // the bug: should wait
    return this.items.shift() as T;
  }
}

export default producerConsumer({
  name: 'throwing-consumer',
  create: () => new NonBlockingQueue(),
  capacity: 3,
  producers: 1,
  consumers: 1,
  itemsPerProducer: 3,
  expected: 'exception',
});
