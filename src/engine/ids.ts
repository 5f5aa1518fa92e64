/**
 * The ids of what a step decision chooses among, in one place. A
 * continuation's id is even: 2·(k·threads + thread) for its thread's k-th
 * continuation, so ids stay small (tokens short) and a replay that diverges
 * can still say whose continuation its schedule expected. The event loop's
 * turn (its check phase, then its timers phase) is one of two odd ids: with
 * macrotasks due (queued immediates, due timers), or to let time pass while
 * work is ready, as a busy process's loop does.
 */
export const LOOP_DUE = 1;
export const LOOP_EARLY = 3;

export function continuationId(k: number, threads: number, thread: number): number {
  return 2 * (k * threads + thread);
}

export function isContinuationId(id: number): boolean {
  return Number.isInteger(id) && id >= 0 && id % 2 === 0;
}

export function isLoopId(id: number): boolean {
  return id === LOOP_DUE || id === LOOP_EARLY;
}

/** The thread a continuation id names, and its place among that thread's continuations. */
export function decodeContinuationId(id: number, threads: number): { readonly thread: number; readonly k: number } {
  return { thread: (id / 2) % threads, k: Math.floor(id / 2 / threads) };
}
