/**
 * `setImmediate` callbacks, as Node keeps them: one FIFO queue. A check
 * phase runs the queue as it stood when the phase began, back to back;
 * immediates queued meanwhile wait for the next check phase (Node's
 * processImmediate detaches the list before it runs it).
 */
export interface QueuedImmediate {
  queued: boolean;
}

export class ImmediateQueue<T extends QueuedImmediate> {
  private items: (T | undefined)[] = [];
  private head = 0;
  /** The index past the last immediate of the check phase in progress. */
  private phaseEnd = 0;
  private live = 0;

  get size(): number {
    return this.live;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
    this.phaseEnd = 0;
    this.live = 0;
  }

  push(item: T): void {
    item.queued = true;
    this.items.push(item);
    this.live++;
  }

  /** `clearImmediate`: it will not run; its slot is skipped. */
  remove(item: T): void {
    if (!item.queued) return;
    item.queued = false;
    this.live--;
  }

  beginPhase(): void {
    this.phaseEnd = this.items.length;
  }

  /** The next immediate of the check phase, taken out of the queue; undefined once the phase is over. */
  nextDue(): T | undefined {
    while (this.head < this.phaseEnd) {
      const item = this.items[this.head];
      this.items[this.head++] = undefined;
      if (item?.queued === true) {
        item.queued = false;
        this.live--;
        this.compact();
        return item;
      }
    }
    this.compact();
    return undefined;
  }

  /** The oldest immediate still queued, left where it is. */
  first(): T | undefined {
    for (let i = this.head; i < this.items.length; i++) {
      const item = this.items[i];
      if (item?.queued === true) return item;
    }
    return undefined;
  }

  /** Every immediate still queued, oldest first. */
  *pending(): IterableIterator<T> {
    for (let i = this.head; i < this.items.length; i++) {
      const item = this.items[i];
      if (item?.queued === true) yield item;
    }
  }

  private compact(): void {
    if (this.head >= 64 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.phaseEnd -= this.head;
      this.head = 0;
    }
  }
}
