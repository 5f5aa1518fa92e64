import { AsyncLocalStorage } from 'node:async_hooks';
import type { ThreadId } from '../runtime/virtual/host.ts';
import type { VirtualClock } from './clock.ts';

/** What a harness call or a timer call needs to know: which execution it belongs to, and which thread made it. */
export interface ContextStore {
  readonly clock: VirtualClock;
  /** undefined in setup code and timer callbacks. */
  readonly thread: ThreadId | undefined;
  readonly owner: object;
}

/**
 * Where one step can run several threads, each harness call is attributed to
 * its thread through its async context. AsyncLocalStorage switches promise
 * hooks on for the whole process once used, which costs every promise a
 * little; so an execution starts without it, in direct mode, where the
 * engine names the store of the step's one actor — exact as long as no thread
 * is parked on an ordinary promise, since then nothing but the actor (and
 * chains it started) can run in the step. When a thread parks, the engine
 * re-runs that execution with async context (see execution.ts).
 */
export const executionContext = new AsyncLocalStorage<ContextStore>();

let direct: ContextStore | undefined;

/** The store of the code running now. */
export function currentStore(): ContextStore | undefined {
  return direct ?? executionContext.getStore();
}

/** Direct mode: names the store of the step's actor (undefined between steps and outside executions). */
export function setDirectStore(store: ContextStore | undefined): void {
  direct = store;
}
