import FakeTimers from '@sinonjs/fake-timers';
import type { ContextStore } from './context.ts';
import { ImmediateQueue, type QueuedImmediate } from './timers/immediateQueue.ts';
import { NodeTimerLists, type ListedTimer, type TimerList } from './timers/nodeTimerLists.ts';

export type TimerKind = 'timeout' | 'interval' | 'immediate' | 'sleep';

/** A timer created inside an execution: a timeout, an interval, an `rt.sleep`, or an immediate. */
export interface VirtualTimer extends ListedTimer, QueuedImmediate {
  /** Creation order within the execution; `timer#seq` in traces. */
  readonly seq: number;
  readonly kind: TimerKind;
  /** The delay as Node reads it (coerced: at least 1 ms, at most 2^31 − 1; fractions kept); 0 for an immediate. */
  readonly delay: number;
  readonly callback: (...args: unknown[]) => unknown;
  readonly args: readonly unknown[];
  /** The async context it was created in; its callback runs there. */
  readonly store: ContextStore | undefined;
  /** For `rt.sleep`: the id of the continuation its firing resumes. */
  readonly sleeper: number | undefined;
  cleared: boolean;
  refed: boolean;
  readonly handle: object;
}

/** What watches the clock's timers (the event-loop law checker, in the test suites). */
export interface ClockObserver {
  armed(timer: VirtualTimer, now: number): void;
  cleared(timer: VirtualTimer): void;
  refreshed(timer: VirtualTimer, now: number): void;
  /** `unref()` or `ref()` on its handle. */
  refChanged(timer: VirtualTimer): void;
}

const TIMEOUT_MAX = 2 ** 31 - 1;

/** How Node's Timeout turns a delay argument into the delay it uses (lib/internal/timers.js). */
export function nodeDelay(ms: unknown): number {
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

/** Node's Timeout object, as code under test sees it: ref/unref, refresh, close, and a number for clearTimeout. */
class TimeoutHandle {
  constructor(
    private readonly clock: VirtualClock,
    private readonly timer: VirtualTimer,
  ) {}

  ref(): this {
    this.clock.setRef(this.timer, true);
    return this;
  }

  unref(): this {
    this.clock.setRef(this.timer, false);
    return this;
  }

  hasRef(): boolean {
    return this.timer.refed;
  }

  refresh(): this {
    this.clock.refresh(this.timer);
    return this;
  }

  close(): this {
    this.clock.clear(this);
    return this;
  }

  [Symbol.toPrimitive](): number {
    return this.clock.numberFor(this);
  }

  [Symbol.dispose](): void {
    this.clock.clear(this);
  }
}

/** Node's Immediate object. */
class ImmediateHandle {
  constructor(
    private readonly clock: VirtualClock,
    private readonly timer: VirtualTimer,
  ) {}

  ref(): this {
    this.timer.refed = true;
    return this;
  }

  unref(): this {
    this.timer.refed = false;
    return this;
  }

  hasRef(): boolean {
    return this.timer.refed;
  }

  [Symbol.dispose](): void {
    this.clock.clear(this);
  }
}

/**
 * Virtual time for one exploration, reset per execution: the instant (a
 * fake-timers clock, which `Date` and `performance.now` read inside the
 * execution), and the armed timers and queued immediates, kept in Node's own
 * structures (timers/) so that phases fire them in Node's order — where
 * fake-timers orders timers otherwise (by deadline), Node's order wins. The
 * clock never runs user code by itself: the engine takes due timers out of it
 * one by one, each as a step.
 */
export class VirtualClock {
  private readonly fake: ReturnType<typeof FakeTimers.createClock>;
  private readonly byHandle = new Map<object, VirtualTimer>();
  private readonly byNumber = new Map<number, object>();
  private readonly numbers = new Map<object, number>();
  private readonly lists = new NodeTimerLists();
  private readonly immediates = new ImmediateQueue<VirtualTimer>();
  private seq = 0;
  observer: ClockObserver | undefined;

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
    this.byNumber.clear();
    this.numbers.clear();
    this.lists.clear();
    this.immediates.clear();
    this.seq = 0;
    this.observer = undefined;
  }

  create(
    kind: TimerKind,
    callback: (...args: unknown[]) => unknown,
    ms: unknown,
    args: readonly unknown[],
    store: ContextStore | undefined,
    sleeper?: number,
  ): object {
    const delay = kind === 'immediate' ? 0 : nodeDelay(ms);
    const timer = {
      seq: this.seq++,
      kind,
      delay,
      msecs: Math.trunc(delay),
      start: this.fake.now,
      repeat: kind === 'interval',
      list: undefined as TimerList | undefined,
      prev: undefined as ListedTimer | undefined,
      next: undefined as ListedTimer | undefined,
      queued: false,
      callback,
      args,
      store,
      sleeper,
      cleared: false,
      refed: true,
      handle: undefined as unknown as object,
    };
    const handle = kind === 'immediate' ? new ImmediateHandle(this, timer) : new TimeoutHandle(this, timer);
    (timer as { handle: object }).handle = handle;
    this.byHandle.set(handle, timer);
    if (kind === 'immediate') this.immediates.push(timer);
    else this.lists.insert(timer, this.fake.now);
    this.observer?.armed(timer, this.fake.now);
    if (store?.thread !== undefined && sleeper === undefined) store.owner.noteArmedBy(store.thread);
    return handle;
  }

  /** Is this a handle (or the number of one) this clock gave out? */
  owns(handle: unknown): boolean {
    if (typeof handle === 'number') return this.byNumber.has(handle);
    return typeof handle === 'object' && handle !== null && this.byHandle.has(handle);
  }

  clear(handle: unknown): void {
    const key = typeof handle === 'number' ? this.byNumber.get(handle) : handle;
    const timer = typeof key === 'object' && key !== null ? this.byHandle.get(key) : undefined;
    if (timer === undefined || timer.cleared) return;
    timer.cleared = true;
    if (timer.kind === 'immediate') this.immediates.remove(timer);
    else this.lists.remove(timer);
    this.forget(timer);
    this.observer?.cleared(timer);
  }

  refresh(timer: VirtualTimer): void {
    // A timeout that has fired is re-armed by refresh() in Node too.
    if (timer.cleared) return;
    if (!this.byHandle.has(timer.handle)) this.byHandle.set(timer.handle, timer);
    this.lists.refresh(timer, this.fake.now);
    this.observer?.refreshed(timer, this.fake.now);
  }

  setRef(timer: VirtualTimer, refed: boolean): void {
    timer.refed = refed;
    this.observer?.refChanged(timer);
  }

  /** The number `+timeout` gives, which clearTimeout accepts (Node's knownTimersById). */
  numberFor(handle: object): number {
    let n = this.numbers.get(handle);
    if (n === undefined) {
      n = 1 + this.byHandle.get(handle)!.seq;
      this.numbers.set(handle, n);
      this.byNumber.set(n, handle);
    }
    return n;
  }

  // ---- the check phase ------------------------------------------------------

  hasImmediates(): boolean {
    return this.immediates.size > 0;
  }

  /** The immediate the next check phase runs first, left in the queue. */
  firstImmediate(): VirtualTimer | undefined {
    return this.immediates.first();
  }

  beginCheckPhase(): void {
    this.immediates.beginPhase();
  }

  /** The next immediate of the check phase (taken out of the queue), or undefined when the phase is over. */
  nextImmediate(): VirtualTimer | undefined {
    const timer = this.immediates.nextDue();
    if (timer !== undefined) this.forget(timer);
    return timer;
  }

  // ---- the timers phase ------------------------------------------------------

  /** Is some armed timer due now? */
  hasDue(): boolean {
    return this.lists.size > 0 && this.lists.hasDue(this.fake.now);
  }

  /** Armed timers (intervals only when asked). */
  hasArmed(includeIntervals: boolean): boolean {
    return (includeIntervals ? this.lists.size : this.lists.sizeOnce) > 0;
  }

  /** The instants after now, up to `limit`, to which time may move next (see NodeTimerLists.wakeInstants). */
  wakeInstants(limit: number, count: number, includeIntervals: boolean): number[] {
    return this.lists.size === 0 ? [] : this.lists.wakeInstants(this.fake.now, limit, count, includeIntervals);
  }

  beginTimersPhase(): void {
    this.lists.beginPhase(this.fake.now);
  }

  /** The next timer of the timers phase (taken out of its list), or undefined when the phase is over. */
  nextTimer(): VirtualTimer | undefined {
    const timer = this.lists.nextDue() as VirtualTimer | undefined;
    if (timer !== undefined && !timer.repeat) this.forget(timer);
    return timer;
  }

  /** After a timer's callback: an interval not cleared by it goes back into its list, as Node's listOnTimeout does. */
  afterFired(timer: VirtualTimer): void {
    if (timer.repeat && !timer.cleared) this.lists.rearm(timer);
  }

  /** Moves time forward to `instant` (the timers due by then fire at the next timers phase). */
  advanceTo(instant: number): void {
    if (instant > this.fake.now) this.fake.tick(instant - this.fake.now);
  }

  /** Every armed timer by kind and how far ahead of now it falls due, and the queued immediates: the clock's part of a fingerprint. */
  armedRelative(): string[] {
    const out: string[] = [];
    for (const timer of this.byHandle.values()) {
      if (timer.list !== undefined) out.push(`${timer.kind[0]}${timer.start + timer.msecs - this.fake.now}`);
    }
    // In their order, with the thread that queued each: which yield comes next decides how the run goes on.
    for (const timer of this.immediates.pending()) out.push(`i${timer.store?.thread ?? ''}`);
    return out;
  }

  /** `Date.now()` inside the execution. */
  date(): number {
    return this.fake.now;
  }

  /** `performance.now()` (and `rt.now()`) inside the execution. */
  performanceNow(): number {
    return PERFORMANCE_ORIGIN + this.fake.now - this.startTime;
  }

  private forget(timer: VirtualTimer): void {
    this.byHandle.delete(timer.handle);
    const n = this.numbers.get(timer.handle);
    if (n !== undefined) {
      this.numbers.delete(timer.handle);
      this.byNumber.delete(n);
    }
  }
}
