import { collector } from './collector.ts';

/**
 * Harness points seen by proof mode: the promise a thread awaits at a
 * harness operation (`lock()`, `wait()`, `acquire()`, `sleep()`, `yield()`)
 * is resolved by the engine when the scheduler runs that continuation, in
 * that continuation's own step, so awaiting it touches nothing shared; and
 * making it gives the thread a new continuation (numbered per thread).
 */
// A mark on the promise itself, not a WeakSet: a WeakSet holding every point's promise costs the garbage collector more than the rest of proof mode.
const POINT = Symbol('interleave.proof.point');

export function isHarnessPoint(value: object): boolean {
  return (value as { [POINT]?: true })[POINT] === true;
}

/** A continuation of `thread` waits at `promise` (called only while proof mode records). */
export function proofPoint<T extends object>(thread: number | undefined, promise: T): T {
  (promise as { [POINT]?: true })[POINT] = true;
  collector.created(thread);
  return promise;
}
