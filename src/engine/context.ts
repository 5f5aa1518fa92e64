import { AsyncLocalStorage } from 'node:async_hooks';
import type { ThreadId } from '../runtime/virtual/host.ts';
import type { VirtualClock } from './clock.ts';

/** What the code of one execution is: the execution itself, as its async context sees it. */
export interface ExecutionOwner {
  /** A real async resource (timer, I/O request...) was created by this execution's code: an escape from the model. */
  noteResource(type: string): void;
  /** A callback of this execution's code that the event loop calls (a nextTick's, a microtask's) threw: a finding, where Node would crash the process. */
  noteUncaught(callback: string, error: unknown): void;
  /** Node reported a rejection of a promise made by this execution's code that nobody handled; false when no exploration listens any more. */
  noteRejection(reason: unknown): boolean;
  /** A thread's code armed a timer: it ran in this step (in a timer callback's step, its body went on, as a poll loop's does). */
  noteArmedBy(thread: ThreadId): void;
}

/** What a harness call or a timer call needs to know: which execution it belongs to, and which thread made it. */
export interface ContextStore {
  readonly clock: VirtualClock;
  /** undefined in setup code and in timer callbacks created by it. */
  readonly thread: ThreadId | undefined;
  readonly owner: ExecutionOwner;
}

/**
 * Every harness call and every routed timer or clock call is attributed to
 * its execution and thread through its async context, never through a
 * module-level "current thread": code outside the execution (another
 * library's chain, the test runner, a second exploration) runs in the same
 * microtask queue during a step and must see neither virtual time nor a
 * thread. AsyncLocalStorage costs every promise a little once it is on; an
 * earlier fast path that named the step's actor in a variable was visible to
 * such outside code, so there is none.
 */
export const executionContext = new AsyncLocalStorage<ContextStore>();

/** The store of the code running now: undefined outside every execution. */
export function currentStore(): ContextStore | undefined {
  return executionContext.getStore();
}
