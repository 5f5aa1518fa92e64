/**
 * The promise-world queues both fast-check's scheduler and Interleave run in
 * the comparison (bench/fastcheck.ts): one correct bounded queue, and the
 * three bugs, each taken from the scenario library.
 */
import { CheckThenWaitQueue } from '../scenarios/promise-queue-check-then-wait.ts';
import { RecheckFreeQueue } from '../scenarios/promise-queue-put-no-recheck.ts';
import { LaggingRing } from '../scenarios/promise-ring-lag-behind-12.ts';

export interface PromiseQueue {
  put(item: unknown): Promise<void>;
  take(): Promise<unknown>;
}

/** A correct bounded queue of plain resolvers: a put that waited for room looks again for a waiting taker. */
export class BoundedQueue implements PromiseQueue {
  private readonly items: unknown[] = [];
  private readonly takers: ((item: unknown) => void)[] = [];
  private readonly putters: (() => void)[] = [];

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.items.length;
  }

  async put(item: unknown): Promise<void> {
    for (;;) {
      const taker = this.takers.shift();
      if (taker !== undefined) return taker(item);
      if (this.items.length < this.capacity) {
        this.items.push(item);
        return;
      }
      await new Promise<void>((resolve) => this.putters.push(resolve));
    }
  }

  take(): Promise<unknown> {
    if (this.items.length > 0) {
      const item = this.items.shift();
      this.putters.shift()?.();
      return Promise.resolve(item);
    }
    return new Promise((resolve) => this.takers.push(resolve));
  }
}

export interface Workload {
  readonly name: string;
  readonly create: () => PromiseQueue & { readonly size: number };
  readonly capacity: number;
  readonly producers: number;
  readonly consumers: number;
  readonly itemsPerProducer: number;
}

export const correctQueue: Workload = { name: 'bounded promise queue (correct)', create: () => new BoundedQueue(2), capacity: 2, producers: 2, consumers: 2, itemsPerProducer: 2 };

export const bugs: readonly Workload[] = [
  { name: 'check-then-wait lost wakeup', create: () => new CheckThenWaitQueue(), capacity: 4, producers: 2, consumers: 2, itemsPerProducer: 2 },
  { name: 'lag-behind-12 (a ring of 12 slots, capacity 16)', create: () => new LaggingRing(16), capacity: 16, producers: 1, consumers: 1, itemsPerProducer: 14 },
  { name: 'same-macrotask takes (a put that does not look again)', create: () => new RecheckFreeQueue(1), capacity: 1, producers: 1, consumers: 2, itemsPerProducer: 2 },
];
