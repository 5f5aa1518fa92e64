import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { JOIN_STOP, MAX_OFFSET, type Decision } from '../../engine/chooser.ts';

/**
 * How randomised strategies use same-macrotask starts. Code that starts
 * several operations at once mostly starts operations of one kind
 * (`Promise.all` over takes, a burst of puts, requests arriving together),
 * so a continuation waiting at the same operation as the step's first is the
 * likely one to join it. How often joins happen is drawn per execution, as
 * swarm testing draws a configuration per test (Groce et al., ISSTA 2012):
 * some executions start one continuation per macrotask, as the scheduler
 * did before same-macrotask starts existed; some join now and then; some
 * join whatever waits at the same operation. Offsets are mostly 0 — the
 * same synchronous block — and otherwise a few microtask turns, halving the
 * odds with every further turn.
 */
export interface JoinMode {
  /** 1 in `same` join decisions joins a same-operation candidate (0: never). */
  readonly same: number;
  /** 1 in `other` join decisions joins any candidate (0: never). */
  readonly other: number;
}

const NONE: JoinMode = { same: 0, other: 0 };
const SOME: JoinMode = { same: 2, other: 8 };
const EAGER: JoinMode = { same: 1, other: 4 };
const ANY: JoinMode = { same: 0, other: 2 };

/** Random's modes: a third of its executions never join, so that it also covers what the scheduler did before joins. */
export const ALL_MODES: readonly JoinMode[] = [NONE, SOME, EAGER, ANY];
/**
 * PCT's modes: it runs one task as long as its priority lasts, so its
 * executions reach the states where several operations of one kind are
 * pending together (puts parked, takes ready), where a join matters most;
 * it always joins at least now and then.
 */
export const JOINING_MODES: readonly JoinMode[] = [SOME, EAGER, ANY];

export function drawJoinMode(rng: RandomGenerator, modes: readonly JoinMode[]): JoinMode {
  return modes[uniformInt(rng, 0, modes.length - 1)]!;
}

/** The candidate to join under `mode`, or JOIN_STOP. */
export function randomJoin(rng: RandomGenerator, decision: Decision, mode: JoinMode): number {
  const { candidates, sameOp } = decision;
  if (candidates.length === 0) return JOIN_STOP;
  if (mode.same > 0) {
    const same: number[] = [];
    for (let i = 0; i < candidates.length; i++) if (sameOp[i] === true) same.push(candidates[i]!);
    if (same.length > 0 && uniformInt(rng, 1, mode.same) === 1) return same[uniformInt(rng, 0, same.length - 1)]!;
  }
  if (mode.other > 0 && uniformInt(rng, 1, mode.other) === 1) return candidates[uniformInt(rng, 0, candidates.length - 1)]!;
  return JOIN_STOP;
}

export function randomOffset(rng: RandomGenerator): number {
  let offset = 0;
  while (offset < MAX_OFFSET && uniformInt(rng, 0, 1) === 1) offset++;
  return offset;
}
