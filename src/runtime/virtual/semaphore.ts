import type { Semaphore } from '../types.ts';
import type { Blocker, PointRequest, Primitive, PrimitiveState, ThreadId, VirtualHost } from './host.ts';

/**
 * A counting semaphore whose `acquire()` is a scheduling point, enabled while
 * a permit is free. Permits held per thread are tracked so that a deadlock
 * report can say who holds what a blocked thread waits for.
 */
export class VirtualSemaphore implements Semaphore, Primitive {
  private readonly held = new Map<ThreadId, number>();
  private readonly waiting = new Set<ThreadId>();

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
    return this.host.point(new AcquireRequest(this, me));
  }

  tryAcquire(): boolean {
    if (this.permits <= 0) return false;
    this.grant(this.host.currentThread());
    return true;
  }

  release(): void {
    this.permits++;
    const me = this.host.currentThread();
    const mine = me === undefined ? 0 : (this.held.get(me) ?? 0);
    if (mine > 0) this.held.set(me!, mine - 1);
    if (this.host.recording) this.host.record('release', 'effect', this.name, `permits ${this.permits}`);
  }

  /** Threads holding permits they acquired and have not released. */
  holders(): ThreadId[] {
    return [...this.held].filter(([, n]) => n > 0).map(([t]) => t).sort((a, b) => a - b);
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
    if (me !== undefined) this.held.set(me, (this.held.get(me) ?? 0) + 1);
    if (this.host.recording) this.host.record('acquire', 'effect', this.name, `permits ${this.permits}`);
  }
}

class AcquireRequest implements PointRequest {
  readonly op = 'acquire';
  constructor(
    private readonly semaphore: VirtualSemaphore,
    private readonly thread: ThreadId | undefined,
  ) {}

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
    return { waitsFor: `acquire(${this.semaphore.name})`, kind: 'acquire', heldBy: this.semaphore.holders() };
  }
}
