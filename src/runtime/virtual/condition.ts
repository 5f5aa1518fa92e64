import type { Condition } from '../types.ts';
import { collector } from '../../proof/collector.ts';
import { proofPoint } from '../../proof/points.ts';
import { HarnessUsageError, type Blocker, type ConditionHistory, type ConditionNotify, type PointRequest, type Primitive, type PrimitiveState, type ThreadId, type VirtualHost } from './host.ts';
import { moment, ORIGIN, type Moment, type VirtualMutex } from './mutex.ts';

/** A thread inside `wait()`; it is also the scheduling point the thread waits at. */
export class ConditionWaiter implements PointRequest {
  readonly op = 'wait';
  notified = false;
  /** Re-acquiring needs both the notify and the mutex. */
  get resources(): readonly object[] {
    return [this.condition, this.condition.mutex];
  }

  constructor(
    readonly condition: VirtualCondition,
    readonly thread: ThreadId,
    /** When it called `wait()`. */
    readonly since: Moment,
    /** When it last returned from `wait()` on this condition (ORIGIN: never). */
    readonly lastWoke: Moment,
    /**
     * The gap between its previous hold of the mutex and the hold in which it
     * waits: (released at, re-acquired at). A notify that found no waiter
     * inside that gap is the textbook lost wakeup — the thread checked its
     * predicate in one hold and waited in another.
     */
    readonly gap: { readonly releasedAt: Moment; readonly reacquiredAt: Moment },
  ) {}

  get object(): string {
    return this.condition.name;
  }

  enabled(): boolean {
    return this.notified && this.condition.mutex.holder === null;
  }

  proceed(): void {
    if (collector.on) collector.acquired(this.condition.mutex);
    this.condition.wake(this.thread);
  }

  blocker(): Blocker {
    const { mutex, name } = this.condition;
    if (!this.notified) return { waitsFor: `wait(${name})`, kind: 'wait', heldBy: [] };
    return { waitsFor: `lock(${mutex.name}) after wait(${name})`, kind: 'lock', heldBy: mutex.holder === null ? [] : [mutex.holder] };
  }
}

/** A `notify()` or `notifyAll()`: whom it woke (none: the signal was lost). */
export type NotifyRecord = ConditionNotify;

/**
 * A Mesa condition variable. `wait()` releases the mutex at once and parks the
 * thread; a notify makes it eligible to re-acquire the mutex, and the step in
 * which the scheduler resumes it takes the mutex back. `notify()` wakes the
 * waiter the scheduler picks, as Shuttle does.
 */
export class VirtualCondition implements Condition, Primitive, ConditionHistory {
  /** Waiters not yet notified, in arrival order. */
  readonly waiters: ConditionWaiter[] = [];
  /** Notifies that found no waiter. */
  readonly missed: NotifyRecord[] = [];
  /** The latest notify that woke someone. */
  lastWake: NotifyRecord | undefined;
  private readonly lastWoke = new Map<ThreadId, Moment>();

  constructor(
    private readonly host: VirtualHost,
    readonly mutex: VirtualMutex,
    readonly name: string,
  ) {
    host.register(this);
  }

  wait(): Promise<void> {
    const me = this.host.currentThread();
    if (me === undefined || this.mutex.holder !== me) {
      throw new HarnessUsageError(
        `${this.host.threadName(me)} called wait() on condition '${this.name}' without holding its mutex '${this.mutex.name}'.`,
      );
    }
    const gap = { releasedAt: this.mutex.lastRelease.get(me) ?? ORIGIN, reacquiredAt: this.mutex.heldSince };
    this.mutex.release();
    const waiter = new ConditionWaiter(this, me, moment(this.host), this.lastWoke.get(me) ?? ORIGIN, gap);
    this.waiters.push(waiter);
    if (collector.on) {
      collector.write(this, 'waiters');
      return proofPoint(me, this.host.point(waiter));
    }
    return this.host.point(waiter);
  }

  /** A notified waiter resumes: it takes the mutex back. */
  wake(thread: ThreadId): void {
    if (collector.on) collector.write(this, 'waiters');
    this.mutex.take(thread);
    this.lastWoke.set(thread, moment(this.host));
  }

  notify(): void {
    if (collector.on) collector.write(this, 'waiters');
    if (this.waiters.length === 0) {
      this.noteMissed('notify');
      return;
    }
    const index = this.host.chooseWaiter(this.waiters);
    const [woken] = this.waiters.splice(index, 1);
    woken!.notified = true;
    this.host.changed(this);
    this.lastWake = { when: moment(this.host), by: this.host.currentThread(), woke: [woken!.thread] };
    if (this.host.recording) this.host.record('notify', 'effect', this.name, `woke ${this.host.threadName(woken!.thread)}`);
  }

  notifyAll(): void {
    if (collector.on) collector.write(this, 'waiters');
    if (this.waiters.length === 0) {
      this.noteMissed('notifyAll');
      return;
    }
    const woken = this.waiters.splice(0, this.waiters.length);
    for (const w of woken) w.notified = true;
    this.host.changed(this);
    this.lastWake = { when: moment(this.host), by: this.host.currentThread(), woke: woken.map((w) => w.thread) };
    if (this.host.recording) {
      this.host.record('notifyAll', 'effect', this.name, `woke ${woken.map((w) => this.host.threadName(w.thread)).join(', ')}`);
    }
  }

  /** What the lost-wakeup detector reads (check/stuck.ts): this condition's own waiters and notifies. */
  get conditionHistory(): ConditionHistory {
    return this;
  }

  state(): PrimitiveState {
    return { type: 'condition', name: this.name, waiters: this.waiters.map((w) => w.thread) };
  }

  private noteMissed(op: string): void {
    this.missed.push({ when: moment(this.host), by: this.host.currentThread(), woke: [] });
    if (this.host.recording) this.host.record(op, 'effect', this.name, 'no waiter');
  }
}
