import { wallClock } from './wallClock.ts';

/**
 * Gives the event loop one turn: real timers and the test runner run, and
 * Node reports the rejections left unhandled since the last turn (each to
 * the execution whose code made the promise; see engine/resources.ts).
 */
export function turnEventLoop(): Promise<void> {
  return wallClock.yieldToEventLoop();
}
