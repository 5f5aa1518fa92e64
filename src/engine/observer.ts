/**
 * What the engine tells whoever watches an execution from outside it — a
 * watchdog in another thread (explore/isolate/heartbeat.ts), the law
 * checker of the test suites — without knowing who they are. Every method
 * is optional, and an execution with no observer pays for none of them.
 */
export interface ExecutionObserver {
  /** A new execution begins (its setup runs next). */
  began?(): void;
  /** Step `step` begins, resuming `actor` (a thread's index, or -1 - seq for a timer callback) from `op`. */
  stepBegan?(step: number, actor: number, op: string): void;
  /** A continuation of `thread` at `op` started in the step's macrotask (same-macrotask start). */
  joined?(thread: number, op: string): void;
  /** The tape has `count` choices now, the last of them `value`. */
  decided?(count: number, value: number): void;
}
