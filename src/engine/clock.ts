import FakeTimers from '@sinonjs/fake-timers';
import type { ContextStore } from './context.ts';

export type TimerKind = 'timeout' | 'interval' | 'immediate' | 'sleep';

/** A timer created inside an execution. */
export interface VirtualTimer {
  /** Creation order within the execution; `timer#seq` in traces. */
  readonly seq: number;
  readonly kind: TimerKind;
  /** Effective delay: Node clamps timeouts and intervals to at least 1 ms; immediates are 0. */
  readonly delay: number;
  readonly callback: (...args: unknown[]) => unknown;
  readonly args: readonly unknown[];
  /** The async context it was created in; its callback runs there. */
  readonly store: ContextStore | undefined;
  /** For `rt.sleep`: the id of the continuation its firing resumes. */
  readonly sleeper: number | undefined;
  /** Virtual time at which it (next) fires. */
  callAt: number;
  /** Order of the arming now pending or due: creation, or an interval's re-arm. */
  armOrder: number;
  /** Order of the arming that became due. */
  dueOrder: number;
  due: boolean;
  cleared: boolean;
  readonly handle: unknown;
}

const TIMEOUT_MAX = 2 ** 31 - 1;
/** How Node turns a delay argument into the delay it uses. */
function nodeDelay(ms: unknown): number {
  const after = Number(ms);
  return after >= 1 && after <= TIMEOUT_MAX ? after : 1;
}

/**
 * Where virtual time starts: a realistic instant, the same for every
 * execution so replays are exact. Libraries read 0 as "not yet" (`lastRun =
 * 0`), and no real process shows a clock at 0, so none is shown here either.
 */
export const DEFAULT_START_TIME = Date.UTC(2025, 0, 1, 12, 0, 0);
/** `performance.now()` when an execution starts: a process that has been up for ten seconds. */
export const PERFORMANCE_ORIGIN = 10_000;

/**
 * Virtual time for one exploration: a fake-timers clock (created once, reset
 * per execution) that holds time, `Date` and the armed timers. Its callbacks
 * never run user code: firing only marks a timer due, and the scheduler picks
 * which due timer runs, as a step, under Node's ordering guarantee.
 */
export class VirtualClock {
  private readonly fake: ReturnType<typeof FakeTimers.createClock>;
  private readonly byHandle = new Map<unknown, VirtualTimer>();
  private readonly armed = new Set<VirtualTimer>();
  private readonly dueList: VirtualTimer[] = [];
  private seq = 0;
  private order = 0;
  private immediatePending = false;

  constructor(readonly startTime: number = DEFAULT_START_TIME) {
    this.fake = FakeTimers.createClock(startTime, 1_000_000);
  }

  /** Epoch milliseconds, as `Date.now()` reads them inside the execution. */
  get now(): number {
    return this.fake.now;
  }

  /** Milliseconds since the execution began. */
  get elapsed(): number {
    return this.fake.now - this.startTime;
  }

  reset(): void {
    this.fake.reset();
    this.byHandle.clear();
    this.armed.clear();
    this.dueList.length = 0;
    this.seq = 0;
    this.order = 0;
    this.immediatePending = false;
  }

  create(
    kind: TimerKind,
    callback: (...args: unknown[]) => unknown,
    ms: unknown,
    args: readonly unknown[],
    store: ContextStore | undefined,
    sleeper?: number,
  ): unknown {
    const delay = kind === 'immediate' ? 0 : kind === 'sleep' ? Math.max(0, Number(ms)) : nodeDelay(ms);
    let timer!: VirtualTimer;
    const fire = (): void => this.markDue(timer);
    const handle =
      kind === 'interval'
        ? this.fake.setInterval(fire, delay)
        : kind === 'immediate'
          ? this.fake.setImmediate(fire)
          : this.fake.setTimeout(fire, delay);
    timer = {
      seq: this.seq++,
      kind,
      delay,
      callback,
      args,
      store,
      sleeper,
      callAt: this.fake.now + delay,
      armOrder: this.order++,
      dueOrder: -1,
      due: false,
      cleared: false,
      handle,
    };
    if (kind === 'immediate' || delay === 0) this.immediatePending = true;
    this.byHandle.set(handle, timer);
    this.armed.add(timer);
    return handle;
  }

  owns(handle: unknown): boolean {
    return this.byHandle.has(handle);
  }

  clear(handle: unknown): void {
    const timer = this.byHandle.get(handle);
    if (timer === undefined || timer.cleared) return;
    timer.cleared = true;
    this.armed.delete(timer);
    this.fake.clearTimeout(handle as FakeTimers.TimerId);
    if (timer.due) this.removeDue(timer);
  }

  /** Marks due every timer whose time is now (immediates and zero sleeps created in the last step). */
  settleNow(): void {
    if (!this.immediatePending) return;
    this.immediatePending = false;
    this.fake.tick(0);
  }

  /**
   * The next `count` distinct instants at which armed timers (intervals only
   * when asked) fall due, no later than `limit`, earliest first.
   */
  deadlines(includeIntervals: boolean, limit: number, count: number): number[] {
    const at = new Set<number>();
    for (const t of this.armed) if ((includeIntervals || t.kind !== 'interval') && t.callAt <= limit) at.add(t.callAt);
    return [...at].sort((a, b) => a - b).slice(0, count);
  }

  /** Moves time forward to `instant`, marking due every timer whose time has come (in the order fake-timers fires them). */
  advanceTo(instant: number): void {
    this.fake.tick(instant - this.fake.now);
  }

  /** Every armed or due timer, by kind and how far ahead of now it falls due, in creation order: the clock's part of a fingerprint. */
  armedRelative(): string[] {
    const out: string[] = [];
    for (const t of this.armed) out.push(`${t.kind[0]}${t.callAt - this.fake.now}${t.due ? '!' : ''}`);
    for (const t of this.dueList) if (!this.armed.has(t)) out.push(`${t.kind[0]}due`);
    return out;
  }

  hasArmed(includeIntervals: boolean): boolean {
    if (includeIntervals) return this.armed.size > 0;
    for (const t of this.armed) if (t.kind !== 'interval') return true;
    return false;
  }

  /**
   * Due timers the scheduler may fire now, by creation order: a timer never
   * fires before one armed earlier with an equal or shorter delay (Node and
   * HTML guarantee that order).
   */
  eligible(includeIntervals: boolean): VirtualTimer[] {
    const out: VirtualTimer[] = [];
    for (const a of this.dueList) {
      if (!includeIntervals && a.kind === 'interval') continue;
      let blocked = false;
      for (const b of this.dueList) {
        if (b !== a && b.dueOrder < a.dueOrder && b.delay <= a.delay) {
          blocked = true;
          break;
        }
      }
      if (!blocked) out.push(a);
    }
    return out.sort((x, y) => x.seq - y.seq);
  }

  hasDue(): boolean {
    return this.dueList.length > 0;
  }

  /** Takes a due timer out of the due set, as the scheduler fires it. */
  take(timer: VirtualTimer): void {
    this.removeDue(timer);
    if (timer.kind !== 'interval') {
      this.armed.delete(timer);
      this.byHandle.delete(timer.handle);
    }
  }

  /** `Date.now()` inside the execution. */
  date(): number {
    return this.fake.now;
  }

  /** `performance.now()` (and `rt.now()`) inside the execution. */
  performanceNow(): number {
    return PERFORMANCE_ORIGIN + this.fake.now - this.startTime;
  }

  private markDue(timer: VirtualTimer): void {
    if (timer.kind === 'interval') {
      const due = !timer.due;
      timer.callAt = this.fake.now + timer.delay;
      if (!due) return; // an occurrence is already waiting to run: Node would not queue a second
      timer.dueOrder = timer.armOrder;
      timer.armOrder = this.order++;
    } else {
      this.armed.delete(timer);
      timer.dueOrder = timer.armOrder;
    }
    timer.due = true;
    this.dueList.push(timer);
  }

  private removeDue(timer: VirtualTimer): void {
    timer.due = false;
    const i = this.dueList.indexOf(timer);
    if (i >= 0) this.dueList.splice(i, 1);
  }
}
