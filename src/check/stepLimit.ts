import type { Verdict } from '../engine/monitor.ts';

/** The run outlived its step budget and a fair round-robin continuation: a livelock. */
export function stepLimitVerdict(maxSteps: number, step: number, repeating: readonly string[]): Verdict {
  return {
    kind: 'step-limit',
    message:
      `no end after ${maxSteps} steps, nor after a fair round-robin continuation to step ${step}: a livelock. ` +
      `It keeps repeating: ${repeating.join(' → ')}.`,
    repeating,
  };
}
