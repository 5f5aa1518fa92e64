import type { Mutex } from '../types.ts';
import { collector } from '../../proof/collector.ts';
import { proofPoint } from '../../proof/points.ts';
import { HarnessUsageError, type Blocker, type PointRequest, type Primitive, type PrimitiveState, type ThreadId, type VirtualHost } from './host.ts';

/** A point in an execution: its step (for messages) and the host's sequence number (for order within a step). */
export interface Moment {
  readonly step: number;
  readonly at: number;
}

export const ORIGIN: Moment = { step: 0, at: -1 };

export function moment(host: VirtualHost): Moment {
  return { step: host.stepIndex(), at: host.sequence() };
}

/** A non-reentrant lock whose `lock()` is a scheduling point, enabled while the lock is free. */
export class VirtualMutex implements Mutex, Primitive {
  holder: ThreadId | null = null;
  /** When the current holder took the lock: the step, and the host's sequence number. */
  heldSince: Moment = ORIGIN;
  /** Per thread, when it last released the lock (a condition's lost-wakeup evidence reads it). */
  readonly lastRelease = new Map<ThreadId, Moment>();

  constructor(
    private readonly host: VirtualHost,
    readonly name: string,
  ) {
    host.register(this);
  }

  lock(): Promise<void> {
    const me = this.caller('lock');
    const point = this.host.point(new LockRequest(this, me));
    return collector.on ? proofPoint(me, point) : point;
  }

  tryLock(): boolean {
    const me = this.caller('tryLock');
    if (collector.on) collector.read(this, 'holder');
    if (this.holder !== null) return false;
    this.take(me);
    return true;
  }

  unlock(): void {
    const me = this.host.currentThread();
    if (this.holder !== me || me === undefined) {
      throw new HarnessUsageError(
        `${this.host.threadName(me)} called unlock() on mutex '${this.name}', which it does not hold ` +
          `(${this.holder === null ? 'it is free' : `held by ${this.host.threadName(this.holder)}`}).`,
      );
    }
    this.release();
  }

  /** Gives the lock to `thread`; also used by a condition's waiter re-acquiring it. */
  take(thread: ThreadId): void {
    this.holder = thread;
    if (collector.on) collector.write(this, 'holder');
    this.heldSince = moment(this.host);
    this.host.changed(this);
    if (this.host.recording) this.host.record('lock', 'effect', this.name, undefined, thread);
  }

  /** Frees the lock at once; also used by `Condition.wait()`. */
  release(): void {
    if (this.holder !== null) this.lastRelease.set(this.holder, moment(this.host));
    this.holder = null;
    if (collector.on) collector.write(this, 'holder');
    this.host.changed(this);
    if (this.host.recording) this.host.record('unlock', 'effect', this.name);
  }

  state(): PrimitiveState {
    return { type: 'mutex', name: this.name, holder: this.holder };
  }

  private caller(op: string): ThreadId {
    const me = this.host.currentThread();
    if (me === undefined) {
      throw new HarnessUsageError(`${op}() on mutex '${this.name}' was called outside a thread (in setup or a timer callback); only threads can hold a mutex.`);
    }
    return me;
  }
}

/** A thread waiting in `lock()`: a class, not closures, because this is the hot path. */
class LockRequest implements PointRequest {
  readonly op = 'lock';
  readonly resources: readonly object[];
  constructor(
    private readonly mutex: VirtualMutex,
    private readonly thread: ThreadId,
  ) {
    this.resources = [mutex];
  }

  get object(): string {
    return this.mutex.name;
  }

  enabled(): boolean {
    return this.mutex.holder === null;
  }

  proceed(): void {
    if (collector.on) collector.acquired(this.mutex);
    this.mutex.take(this.thread);
  }

  blocker(): Blocker {
    const holder = this.mutex.holder;
    return { waitsFor: `lock(${this.mutex.name})`, kind: 'lock', heldBy: holder === null ? [] : [holder] };
  }
}
