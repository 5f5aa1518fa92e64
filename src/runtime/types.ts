/**
 * What implementations under test are written against. In tests they get the
 * virtual runtime, whose every blocking operation is a scheduling point; in
 * production they get `realRuntime`, built on promises.
 */
export interface Runtime {
  mutex(name?: string): Mutex;
  condition(mutex: Mutex, name?: string): Condition;
  semaphore(permits: number, name?: string): Semaphore;
  /** Resolves after `ms` milliseconds (virtual milliseconds under the harness). */
  sleep(ms: number): Promise<void>;
  /** Lets other threads run. */
  yield(): Promise<void>;
  /**
   * Milliseconds, as `performance.now()` counts them: under the harness the
   * virtual clock's, 10,000 when an execution begins (a process up for ten
   * seconds, whatever `startTime` is); in `realRuntime`, the real one's.
   */
  now(): number;
}

/** A non-reentrant lock. `unlock` by a thread that does not hold it throws. */
export interface Mutex {
  lock(): Promise<void>;
  tryLock(): boolean;
  unlock(): void;
}

/**
 * A condition variable bound to a mutex, with Mesa semantics: `wait` releases
 * the mutex, and returns holding it again once notified; a woken waiter must
 * re-check its predicate. `notify` wakes one waiter (under the harness the
 * scheduler picks which), `notifyAll` wakes all; neither needs the mutex held.
 */
export interface Condition {
  wait(): Promise<void>;
  notify(): void;
  notifyAll(): void;
}

/** A counting semaphore. `release` may be called by any thread. */
export interface Semaphore {
  acquire(): Promise<void>;
  tryAcquire(): boolean;
  release(): void;
}
