import type { Verdict } from '../engine/monitor.ts';

/**
 * A livelock, with its evidence: past the step budget the run was scheduled
 * fairly (round-robin), and the state the harness can see — every thread and
 * continuation, the harness objects, the timers, the scenario's state — came
 * back to one it had had: under that schedule it cycles forever without
 * progress. A run that merely outlives its budget is not this (it is
 * counted as unfinished).
 */
export function stepLimitVerdict(maxSteps: number, step: number, repeating: readonly string[], cycleStart: number, waiting: readonly string[] = []): Verdict {
  return {
    kind: 'step-limit',
    message:
      `livelock: the execution does not end. From step ${maxSteps} on it was scheduled fairly (round-robin), and after step ${step} ` +
      `it was back in the state it had after step ${cycleStart - 1} (threads, harness objects, timers and the scenario's visible state), ` +
      `so it repeats forever: ${repeating.join(' → ')}.` +
      (waiting.length === 0 ? '' : ` It never finishes: ${waiting.join(', ')}.`),
    repeating,
  };
}
