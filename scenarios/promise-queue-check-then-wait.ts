/**
 * BUG: a promise-world queue whose `take` checks for an item, then awaits
 * (here, a stats hook it calls on an empty queue) before it registers as a
 * waiting taker. Trigger: a take finds the queue empty; while its await is
 * settling, a put finds no waiting taker and buffers its item; the take then
 * registers and waits for a wakeup that already went by — the textbook
 * check-then-wait lost wakeup, in promise code. The same gap lets a later
 * item reach a waiting taker ahead of an earlier one: an order finding.
 */
import { producerConsumer } from 'interleave';

export class CheckThenWaitQueue<T> {
  private readonly items: T[] = [];
  private readonly takers: ((item: T) => void)[] = [];
  emptyTakes = 0;

  get size(): number {
    return this.items.length;
  }

  async put(item: T): Promise<void> {
    const taker = this.takers.shift();
    if (taker !== undefined) taker(item);
    else this.items.push(item);
  }

  async take(): Promise<T> {
    if (this.items.length > 0) return this.items.shift() as T;
    await this.recordEmpty(); // the bug: the check above and the wait below are no longer one step
    return new Promise<T>((resolve) => this.takers.push(resolve));
  }

  private async recordEmpty(): Promise<void> {
    this.emptyTakes++;
  }
}

export default producerConsumer({
  name: 'promise-queue-check-then-wait',
  create: () => new CheckThenWaitQueue(),
  capacity: 4,
  producers: 2,
  consumers: 2,
  itemsPerProducer: 2,
  expected: ['lost-wakeup', 'order'],
});
