/**
 * p-queue 8.1.1 (known bug, installed as p-queue-buggy): the awaited-adds
 * scenario of p-queue.ts (p-queue issue #182, "Next `interval` is ignored
 * after `await queue.add(...)`"). Its release notes, v9.0.0, Fixes: "Fix
 * interval timing when queue becomes empty between task additions" (with
 * "Fix interval cap race condition with high concurrency"): in 8.1.1, once
 * the queue has emptied, a task added in the same window as the previous
 * start runs at once, so with intervalCap 1 two tasks start in one window.
 * The invariant reports two tasks started at one instant.
 */
import PQueue from 'p-queue-buggy';
import { awaitedAddsScenario } from './p-queue.ts';

export const library = { name: 'p-queue', release: '8.1.1', does: 'awaited add skips the interval cap (fixed in 9.0.0)', expected: 'invariant', shows: /both started at/ } as const;

export default awaitedAddsScenario('p-queue 8.1.1 interval awaited adds', () => new PQueue({ intervalCap: 1, interval: 50 }), 'invariant');
