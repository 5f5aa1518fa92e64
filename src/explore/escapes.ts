import { wallClock } from './wallClock.ts';

/**
 * What an execution can leave behind that the engine cannot see step by step:
 * promise rejections nobody handled, and real timers created with functions
 * captured before Interleave loaded (they escape virtual time). Both are
 * gathered at the end of each execution, on one real macrotask turn.
 */
let capturing = false;
let rejections: unknown[] = [];

const originalEmit = process.emit;
// Node reports an unhandled rejection through process.emit once microtasks drain;
// during an exploration it belongs to the execution, so it is taken here rather
// than failing the host test runner.
process.emit = function emit(this: NodeJS.Process, event: string | symbol, ...args: unknown[]): boolean {
  if (capturing && event === 'unhandledRejection') {
    rejections.push(args[0]);
    return true;
  }
  return (originalEmit as (...a: unknown[]) => boolean).call(this, event, ...args);
} as typeof process.emit;

/** Node's active handles and requests, by kind: real timers, and real I/O (file, network, DNS...). */
function activeResources(): { timers: number; io: Map<string, number> } {
  let timers = 0;
  const io = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) {
    if (kind === 'Timeout' || kind === 'Immediate') timers++;
    else io.set(kind, (io.get(kind) ?? 0) + 1);
  }
  return { timers, io };
}

export interface Escapes {
  readonly rejections: readonly unknown[];
  readonly realTimers: number;
  /** Real I/O started during the execution and still pending at its end, e.g. `FSReqPromise ×1`. */
  readonly pendingIo: readonly string[];
}

export type Watch = ReturnType<typeof activeResources>;

/** Marks the start of an execution. */
export function beginWatch(): Watch {
  capturing = true;
  rejections = [];
  return activeResources();
}

/** Ends an execution: lets Node report its rejections, and counts the real timers and I/O it left behind. */
export async function endWatch(atStart: Watch): Promise<Escapes> {
  const now = activeResources();
  const pendingIo: string[] = [];
  for (const [kind, n] of now.io) {
    const more = n - (atStart.io.get(kind) ?? 0);
    if (more > 0) pendingIo.push(`${kind} ×${more}`);
  }
  await wallClock.yieldToEventLoop();
  capturing = false;
  const found = rejections;
  rejections = [];
  return { rejections: found, realTimers: Math.max(0, now.timers - atStart.timers), pendingIo };
}
