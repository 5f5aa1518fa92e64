import { real } from '../engine/realTimers.ts';

/**
 * Wall time, for budgets and `elapsedMs` only: never for a choice, so it
 * cannot make two runs of one seed differ. Also the exploration's yields to
 * the event loop between executions, so that real timers and the test runner
 * keep running during a long exploration.
 */
export const wallClock = {
  now: (): number => real.performanceNow(),
  yieldToEventLoop: (): Promise<void> => new Promise((resolve) => real.setImmediate(resolve)),
};
