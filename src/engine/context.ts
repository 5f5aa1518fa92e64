import { AsyncLocalStorage } from 'node:async_hooks';
import type { ThreadId } from '../runtime/virtual/host.ts';
import type { VirtualClock } from './clock.ts';

/** What async context carries: which execution a call belongs to, and which thread made it. */
export interface ContextStore {
  readonly clock: VirtualClock;
  /** undefined in setup code and timer callbacks. */
  readonly thread: ThreadId | undefined;
  readonly owner: object;
}

/**
 * One storage for the whole process. A harness call or a timer call reads it
 * to find its execution and thread, so calls from several threads running in
 * one step are each attributed to the right one.
 */
export const executionContext = new AsyncLocalStorage<ContextStore>();
