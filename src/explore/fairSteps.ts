/**
 * How long a fair round-robin continuation runs before a livelock is called:
 * as long again as the budget, at least 1,000 steps. A module of its own so
 * that what writes tokens outside an exploration (the CLI's watchdog) need
 * not load the engine.
 */
export function defaultFairSteps(maxSteps: number): number {
  return Math.max(maxSteps, 1000);
}
