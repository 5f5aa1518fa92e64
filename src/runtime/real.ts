/**
 * The production runtime: the same `Runtime` contract the virtual runtime
 * implements, built on plain promises, for running code outside the harness.
 *
 * All primitives are FIFO-fair and hand ownership directly to the next waiter
 * (the lock or permit is never "free" between a release and the waiter
 * resuming), so a fresh caller can never barge past someone who has been
 * waiting. Because JavaScript has no notion of the calling "thread" here,
 * ownership is tracked only as locked/unlocked, not by holder.
 */
import type { Condition, Mutex, Runtime, Semaphore } from './types.ts';

/**
 * A FIFO queue with amortised O(1) `shift`. `Array.prototype.shift` is O(n),
 * which turns a long wait queue under heavy contention into quadratic work.
 */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    // Drop the reference so a resolved waiter can be garbage-collected.
    this.items[this.head] = undefined as T;
    this.head++;
    // Compact once the dead prefix dominates, keeping memory bounded.
    if (this.head >= 64 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Removes and returns everything queued, in order. */
  drain(): T[] {
    const all = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return all;
  }
}

/** Resolves a waiter's promise; the value lets a condition hand over a lock promise. */
type Resume = (value: void | PromiseLike<void>) => void;

/** Shared resolved promise: `lock()`/`acquire()` on a free primitive allocate nothing. */
const RESOLVED: Promise<void> = Promise.resolve();

const counters = new Map<string, number>();

/** `mutex#1`, `condition#2`...: the same shape of default name as the virtual runtime. */
function defaultName(kind: string): string {
  const n = (counters.get(kind) ?? 0) + 1;
  counters.set(kind, n);
  return `${kind}#${n}`;
}

/** A FIFO-fair, non-reentrant lock. */
export class RealMutex implements Mutex {
  private locked = false;
  private readonly waiters = new Fifo<Resume>();

  constructor(readonly name: string) {}

  /** Whether someone holds the lock (including a waiter it was handed to that has not resumed yet). */
  get isLocked(): boolean {
    return this.locked;
  }

  lock(): Promise<void> {
    if (!this.locked) {
      this.locked = true;
      return RESOLVED;
    }
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  tryLock(): boolean {
    // The lock stays marked while waiters are queued, so this cannot barge.
    if (this.locked) return false;
    this.locked = true;
    return true;
  }

  unlock(): void {
    if (!this.locked) {
      throw new Error(`unlock() called on mutex '${this.name}', which is not locked.`);
    }
    const next = this.waiters.shift();
    // Hand the lock straight to the first waiter: `locked` stays true, so
    // nobody calling lock()/tryLock() before it resumes can take it.
    if (next !== undefined) next();
    else this.locked = false;
  }
}

/** A Mesa condition variable: a woken waiter re-acquires the mutex and must re-check its predicate. */
export class RealCondition implements Condition {
  private readonly waiters = new Fifo<Resume>();

  constructor(
    readonly mutex: RealMutex,
    readonly name: string,
  ) {}

  wait(): Promise<void> {
    if (!this.mutex.isLocked) {
      throw new Error(`wait() called on condition '${this.name}' without holding its mutex '${this.mutex.name}'.`);
    }
    // Enqueue before releasing: everything here is synchronous, so no notify
    // can slip in between, but the order keeps that obvious.
    const woken = new Promise<void>((resolve) => this.waiters.push(resolve));
    this.mutex.unlock();
    return woken;
  }

  notify(): void {
    this.waiters.shift()?.(this.relock());
  }

  notifyAll(): void {
    for (const resume of this.waiters.drain()) resume(this.relock());
  }

  /**
   * Queues a woken waiter on the mutex *now*, at notify time, rather than when
   * its promise callback eventually runs: the waiter's place in the mutex's
   * FIFO then reflects notify order, and `wait()` resolves only once it holds
   * the mutex again (the waiter's promise adopts the lock promise).
   */
  private relock(): Promise<void> {
    return this.mutex.lock();
  }
}

/** A counting semaphore with FIFO waiters. */
export class RealSemaphore implements Semaphore {
  private readonly waiters = new Fifo<Resume>();

  constructor(
    private permits: number,
    readonly name: string,
  ) {}

  /** Permits currently free (0 whenever anyone is waiting). */
  get available(): number {
    return this.permits;
  }

  acquire(): Promise<void> {
    if (this.permits > 0) {
      this.permits--;
      return RESOLVED;
    }
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  tryAcquire(): boolean {
    // Permits are never free while waiters are queued (release hands them
    // over directly), so this cannot barge ahead of a waiter.
    if (this.permits <= 0) return false;
    this.permits--;
    return true;
  }

  release(): void {
    const next = this.waiters.shift();
    // Hand the permit straight to the first waiter instead of freeing it.
    if (next !== undefined) next();
    else this.permits++;
  }
}

export const realRuntime: Runtime = {
  mutex(name?: string): Mutex {
    return new RealMutex(name ?? defaultName('mutex'));
  },

  condition(mutex: Mutex, name?: string): Condition {
    // The condition needs the mutex's internals (is it locked, hand-off
    // queue); a virtual or hand-rolled mutex would silently break Mesa semantics.
    if (!(mutex instanceof RealMutex)) {
      throw new Error(
        `realRuntime.condition(mutex) needs a mutex made by realRuntime.mutex(), got ${describe(mutex)}.`,
      );
    }
    return new RealCondition(mutex, name ?? defaultName('condition'));
  },

  semaphore(permits: number, name?: string): Semaphore {
    if (!Number.isInteger(permits) || permits < 0) {
      throw new Error(`realRuntime.semaphore(permits) needs a whole number of permits >= 0, got ${String(permits)}.`);
    }
    return new RealSemaphore(permits, name ?? defaultName('semaphore'));
  },

  sleep(ms: number): Promise<void> {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      return Promise.reject(new Error(`realRuntime.sleep(ms) needs a finite number of milliseconds >= 0, got ${String(ms)}.`));
    }
    // Looked up at call time, not captured at import, so that fake or routed
    // timers installed later (e.g. by Interleave) take effect.
    return new Promise<void>((resolve) => {
      globalThis.setTimeout(() => resolve(), ms);
    });
  },

  yield(): Promise<void> {
    // A macrotask, not a microtask: lets timers, I/O and other promise chains run.
    return new Promise<void>((resolve) => {
      globalThis.setImmediate(() => resolve());
    });
  },

  now(): number {
    return globalThis.performance.now();
  },
};

function describe(value: unknown): string {
  if (value === null || typeof value !== 'object') return String(value);
  const ctor = (value as { constructor?: { name?: unknown } }).constructor;
  return typeof ctor?.name === 'string' && ctor.name !== '' ? `a ${ctor.name}` : 'an object';
}
