import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { TIME_STILL, type Decision } from '../../engine/chooser.ts';
import { LOOP_EARLY } from '../../engine/ids.ts';

/**
 * How randomised strategies move time. When it must move (nothing can run),
 * mostly to the next deadline, as a punctual event loop does, and 1 in
 * LATE_ODDS times past one or more further deadlines, as a loop that wakes
 * late does. When it may move (only starts, pauses and yields are ready:
 * the event loop's turn is offered as LOOP_EARLY, or a turn taken for due
 * callbacks may wake late), it depends on the execution's clock, drawn per
 * execution as the join mode is: a quick process never lets time pass while
 * work is ready (time moves only when nothing can run); a busy one does, 1
 * in BUSY_ODDS times.
 */
export const LATE_ODDS = 6;
export const BUSY_ODDS = 6;

export interface ClockMode {
  readonly busy: boolean;
}

const MODES: readonly ClockMode[] = [{ busy: false }, { busy: true }];

export function drawClockMode(rng: RandomGenerator): ClockMode {
  return MODES[uniformInt(rng, 0, MODES.length - 1)]!;
}

export function randomTime(rng: RandomGenerator, decision: Decision, mode: ClockMode): number {
  const { candidates } = decision;
  if (candidates[0] === TIME_STILL) {
    if (!mode.busy || uniformInt(rng, 1, BUSY_ODDS) !== 1) return TIME_STILL;
    return late(rng, candidates.slice(1));
  }
  return late(rng, candidates);
}

/** The next deadline, or now and then one past it. */
function late(rng: RandomGenerator, deadlines: readonly number[]): number {
  if (deadlines.length === 1 || uniformInt(rng, 1, LATE_ODDS) !== 1) return deadlines[0]!;
  return deadlines[uniformInt(rng, 1, deadlines.length - 1)]!;
}

/**
 * How many of a step decision's candidates to draw among: all of them, or,
 * when the last is the loop's turn taken only to let time pass (the engine
 * appends it last) and other work is ready, all but it — unless the clock is
 * busy and lets time pass now (then `early` is true and LOOP_EARLY is the pick).
 */
export function stepCandidates(rng: RandomGenerator, decision: Decision, mode: ClockMode): { readonly count: number; readonly early: boolean } {
  const n = decision.candidates.length;
  if (n === 1 || decision.candidates[n - 1] !== LOOP_EARLY) return { count: n, early: false };
  if (mode.busy && uniformInt(rng, 1, BUSY_ODDS) === 1) return { count: n, early: true };
  return { count: n - 1, early: false };
}
