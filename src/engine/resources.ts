import { createHook } from 'node:async_hooks';
import { currentStore } from './context.ts';

/**
 * What an execution's code leaves outside the model, attributed by async
 * context, never by process-wide counts (another test, the runner, an
 * unrelated library may be busy in the same process):
 *
 * - real async resources — a timer made with a function captured before
 *   Interleave loaded, a file read, a socket, a child process, a worker
 *   message port — noticed as they are created, by an async hook;
 * - rejections nobody handled: Node reports them in the async context of the
 *   promise that rejected, so the owner is known.
 *
 * Everything else — including rejections and resources of code outside every
 * execution — goes on as if Interleave were not there.
 */

/** Resource types that are part of the harness's own model, or no resource at all. */
const MODELLED = new Set(['PROMISE', 'TickObject', 'Microtask']);

const hook = createHook({
  init(_asyncId, type) {
    if (MODELLED.has(type)) return;
    currentStore()?.owner.noteResource(type);
  },
});

let watchers = 0;

/** Watches resource creation while an exploration or replay runs (the hook costs every promise a call); returns the stop function. */
export function watchResources(): () => void {
  if (watchers++ === 0) hook.enable();
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    if (--watchers === 0) hook.disable();
  };
}

const originalEmit = process.emit;
// Node reports an unhandled rejection through process.emit, with the rejected
// promise's async context entered: one made by an execution's code is that
// execution's finding, anything else is left to the process's own handlers.
process.emit = function emit(this: NodeJS.Process, event: string | symbol, ...args: unknown[]): boolean {
  if (event === 'unhandledRejection' && currentStore()?.owner.noteRejection(args[0]) === true) return true;
  return (originalEmit as (...a: unknown[]) => boolean).call(this, event, ...args);
} as typeof process.emit;

/** Types of real timers: they escape virtual time. */
export const REAL_TIMER_TYPES: ReadonlySet<string> = new Set(['Timeout', 'Immediate']);

/** Types that only carry output (a console write to a pipe): nothing waits on them. */
const OUTPUT_TYPES = new Set(['WRITEWRAP', 'SHUTDOWNWRAP', 'TTYWRAP', 'SIGNALWRAP']);

/** Real I/O an execution started, in words: `FSREQPROMISE ×1` (a file read the harness cannot control or replay). */
export function pendingIo(resources: ReadonlyMap<string, number>): string[] {
  const out: string[] = [];
  for (const [type, n] of resources) {
    if (!REAL_TIMER_TYPES.has(type) && !OUTPUT_TYPES.has(type)) out.push(`${type} ×${n}`);
  }
  return out;
}

export function realTimers(resources: ReadonlyMap<string, number>): number {
  let n = 0;
  for (const type of REAL_TIMER_TYPES) n += resources.get(type) ?? 0;
  return n;
}
