import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { MAX_OFFSET } from '../../engine/chooser.ts';

/**
 * How randomised strategies use same-macrotask starts. Most steps start one
 * continuation, as most code does; now and then another joins the same
 * macrotask (1 in JOIN_ODDS join decisions), mostly at offset 0 — the same
 * synchronous block, as `Promise.all` starts its operations — and otherwise
 * a few microtask turns later, halving the odds with every further turn.
 */
export const JOIN_ODDS = 6;

export function wantsJoin(rng: RandomGenerator): boolean {
  return uniformInt(rng, 1, JOIN_ODDS) === 1;
}

export function randomOffset(rng: RandomGenerator): number {
  let offset = 0;
  while (offset < MAX_OFFSET && uniformInt(rng, 0, 1) === 1) offset++;
  return offset;
}
