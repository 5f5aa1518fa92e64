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

function realTimerCount(): number {
  let n = 0;
  for (const kind of process.getActiveResourcesInfo()) if (kind === 'Timeout' || kind === 'Immediate') n++;
  return n;
}

export interface Escapes {
  readonly rejections: readonly unknown[];
  readonly realTimers: number;
}

/** Marks the start of an execution. */
export function beginWatch(): number {
  capturing = true;
  rejections = [];
  return realTimerCount();
}

/** Ends an execution: lets Node report its rejections, and counts real timers it created. */
export async function endWatch(timersAtStart: number): Promise<Escapes> {
  const realTimers = realTimerCount() - timersAtStart;
  await wallClock.yieldToEventLoop();
  capturing = false;
  const found = rejections;
  rejections = [];
  return { rejections: found, realTimers: Math.max(0, realTimers) };
}
