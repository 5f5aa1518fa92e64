import type { Semaphore } from '../types.ts';
import { collector } from '../../proof/collector.ts';
import { proofPoint } from '../../proof/points.ts';
import type { Blocker, PointRequest, Primitive, PrimitiveState, ThreadId, VirtualHost } from './host.ts';

/**
 * A counting semaphore whose `acquire()` is a scheduling point, enabled while
 * a permit is free. A semaphore has no owner, so for a deadlock report "who
 * holds what a blocked thread waits for" means who could give a permit back:
 * the unfinished threads that have released it before (a buffer's `full` is
 * released by producers only); when there are none, every other unfinished
 * thread not itself waiting for it. A thread that only acquired it is not counted: a
 * producer taking `empty` never gives it back.
 */
export class VirtualSemaphore implements Semaphore, Primitive {
  private readonly waiting = new Set<ThreadId>();
  private readonly releasers = new Set<ThreadId>();

  constructor(
    private readonly host: VirtualHost,
    public permits: number,
    readonly name: string,
  ) {
    host.register(this);
  }

  acquire(): Promise<void> {
    const me = this.host.currentThread();
    if (me !== undefined) this.waiting.add(me);
    const point = this.host.point(new AcquireRequest(this, me));
    return collector.on ? proofPoint(me, point) : point;
  }

  tryAcquire(): boolean {
    if (collector.on) collector.read(this, 'permits');
    if (this.permits <= 0) return false;
    this.grant(this.host.currentThread());
    return true;
  }

  release(): void {
    this.permits++;
    if (collector.on) collector.write(this, 'permits');
    this.host.changed(this);
    const me = this.host.currentThread();
    if (me !== undefined) this.releasers.add(me);
    if (this.host.recording) this.host.record('release', 'effect', this.name, `permits ${this.permits}`);
  }

  /** Threads that could give a permit back to `waiter`. */
  holders(waiter?: ThreadId): ThreadId[] {
    // A thread that has finished releases nothing more: only the unfinished among past releasers count.
    const known = [...this.releasers].filter((t) => t !== waiter && !this.host.isFinished(t));
    const could =
      known.length > 0 ? known : this.host.threadIds().filter((t) => t !== waiter && !this.waiting.has(t) && !this.host.isFinished(t));
    return [...could].sort((a, b) => a - b);
  }

  state(): PrimitiveState {
    return { type: 'semaphore', name: this.name, permits: this.permits, waiters: [...this.waiting].sort((a, b) => a - b) };
  }

  /** The step resuming a thread in `acquire()` takes its permit. */
  granted(me: ThreadId | undefined): void {
    if (me !== undefined) this.waiting.delete(me);
    this.grant(me);
  }

  private grant(me: ThreadId | undefined): void {
    this.permits--;
    if (collector.on) collector.write(this, 'permits');
    this.host.changed(this);
    if (this.host.recording) this.host.record('acquire', 'effect', this.name, `permits ${this.permits}`, me);
  }
}

class AcquireRequest implements PointRequest {
  readonly op = 'acquire';
  readonly resources: readonly object[];
  constructor(
    private readonly semaphore: VirtualSemaphore,
    private readonly thread: ThreadId | undefined,
  ) {
    this.resources = [semaphore];
  }

  get object(): string {
    return this.semaphore.name;
  }

  enabled(): boolean {
    return this.semaphore.permits > 0;
  }

  proceed(): void {
    this.semaphore.granted(this.thread);
  }

  blocker(): Blocker {
    return { waitsFor: `acquire(${this.semaphore.name})`, kind: 'acquire', heldBy: this.semaphore.holders(this.thread) };
  }
}
