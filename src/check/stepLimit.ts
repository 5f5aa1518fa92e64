import type { Verdict } from '../engine/monitor.ts';

/** The run outlived its step budget and then a fair round-robin continuation: a livelock, not a starved spin-wait. */
export function stepLimitVerdict(maxSteps: number, step: number, repeating: readonly string[]): Verdict {
  return {
    kind: 'step-limit',
    message:
      `livelock: the execution does not end. From step ${maxSteps} on it was scheduled fairly (round-robin) and ran to ` +
      `step ${step} without any end in sight, repeating: ${repeating.join(' → ')}.`,
    repeating,
  };
}
