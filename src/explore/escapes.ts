import { wallClock } from './wallClock.ts';

/**
 * What an execution can leave behind that the engine cannot see step by step:
 * promise rejections nobody handled, real timers created with functions
 * captured before Interleave loaded (they escape virtual time), and real I/O
 * it waits on. Timers and I/O are counted around each execution; rejections
 * reach us only when Node reports them, on a real event-loop turn.
 */
let capturing = 0;
let rejections: unknown[] = [];

const originalEmit = process.emit;
// Node reports an unhandled rejection through process.emit once microtasks drain;
// during an exploration it belongs to an execution, so it is taken here rather
// than failing the host test runner.
process.emit = function emit(this: NodeJS.Process, event: string | symbol, ...args: unknown[]): boolean {
  if (capturing > 0 && event === 'unhandledRejection') {
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
  readonly realTimers: number;
  /** Real I/O started during the execution and still pending at its end, e.g. `FSReqPromise ×1`. */
  readonly pendingIo: readonly string[];
}

export type Watch = ReturnType<typeof activeResources>;

/** While an exploration runs, unhandled rejections are its executions'. */
export function captureRejections<T>(work: () => Promise<T>): Promise<T> {
  capturing++;
  return work().finally(() => {
    capturing--;
  });
}

/** Marks the start of an execution. */
export function beginWatch(): Watch {
  return activeResources();
}

/** Ends an execution: the real timers and I/O it left behind. */
export function endWatch(atStart: Watch): Escapes {
  const now = activeResources();
  const pendingIo: string[] = [];
  for (const [kind, n] of now.io) {
    const more = n - (atStart.io.get(kind) ?? 0);
    if (more > 0) pendingIo.push(`${kind} ×${more}`);
  }
  return { realTimers: Math.max(0, now.timers - atStart.timers), pendingIo };
}

/**
 * Gives the event loop one turn — real timers and the test runner run, and
 * Node reports the rejections left unhandled since the last turn — and
 * returns those rejections.
 */
export async function flushRejections(): Promise<unknown[]> {
  await wallClock.yieldToEventLoop();
  return rejections.splice(0);
}
