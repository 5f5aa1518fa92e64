import { JOIN_STOP, RoundRobinChooser, StickyChooser, type Chooser, type Decision } from '../engine/chooser.ts';
import { defaultFairSteps, type Judged } from './run.ts';

/** Follows a recorded prefix of choices, then hands over to another chooser. */
class PrefixThen implements Chooser {
  private at = 0;

  constructor(
    private readonly prefix: readonly number[],
    private readonly then: Chooser,
  ) {}

  choose(decision: Decision): number {
    const recorded = this.prefix[this.at++];
    return recorded !== undefined ? recorded : this.then.choose(decision);
  }
}

/** Runs one execution (replaying, with a turn of the event loop) under a chooser and budgets: the runner's `rerun` (runner.ts). */
export type Runner = (chooser: Chooser, maxSteps: number, fairSteps: number) => Promise<Judged>;

export interface ShortLivelock {
  readonly judged: Judged;
  readonly maxSteps: number;
  readonly fairSteps: number;
}

/**
 * A livelock found by a random schedule carries thousands of random choices
 * and steps, which make a long token and an unreadable trace. Most livelocks
 * are reached early; so try short prefixes of the schedule followed by a
 * fair round-robin, and take the shortest that still livelocks under the
 * full budget. That execution, cut once its cycle has turned a few times
 * (a smaller budget for the same schedule), is the one reported.
 */
export async function shortenLivelock(run: Runner, tape: readonly number[], maxSteps: number): Promise<ShortLivelock | undefined> {
  for (let k = 0; k < tape.length; k = k === 0 ? 8 : k * 4) {
    const prefix = tape.slice(0, k);
    const proven = await run(new PrefixThen(prefix, new RoundRobinChooser()), maxSteps, defaultFairSteps(maxSteps));
    if (proven.verdict?.kind !== 'step-limit') continue;
    // The same schedule, cut short: the prefix, then enough fair steps for three turns of the cycle.
    const shortMax = Math.min(maxSteps, proven.result.tape.length === 0 ? 1 : stepsOf(prefix, proven) + 1);
    const fairSteps = Math.min(defaultFairSteps(maxSteps), 60 + 3 * (proven.verdict.repeating?.length ?? 20));
    const cut = await run(new PrefixThen(prefix, new RoundRobinChooser()), shortMax, fairSteps);
    if (cut.verdict?.kind === 'step-limit') return { judged: cut, maxSteps: shortMax, fairSteps };
    return { judged: proven, maxSteps, fairSteps: defaultFairSteps(maxSteps) };
  }
  return undefined;
}

/** Steps taken while the prefix's choices were being followed: a prefix of k choices covers at most k steps. */
function stepsOf(prefix: readonly number[], proven: Judged): number {
  return Math.min(prefix.length, proven.result.step);
}

/** Schedules longer than this are left as found: minimising costs one execution per decision. */
const MINIMISE_LIMIT = 400;

/**
 * A counterexample with fewer context switches reads more easily, as
 * Lincheck's minimised traces do. First drops the same-macrotask starts the
 * failure does not need, one at a time, from the last; then finds the
 * shortest prefix of the schedule which, continued without preemption (the
 * running task keeps running while it can, nothing more joins a macrotask),
 * still fails with the same kind. Every execution tried is a real one under
 * the model, so the result is as reachable as the original. Returns
 * undefined when nothing simpler reproduces it.
 */
export async function minimiseSchedule(run: Runner, found: Judged, maxSteps: number): Promise<Judged | undefined> {
  const kind = found.verdict?.kind;
  if (found.result.tape.length > MINIMISE_LIMIT || kind === undefined) return undefined;
  const fails = async (prefix: readonly number[]): Promise<Judged | undefined> => {
    const judged = await run(new PrefixThen(prefix, new StickyChooser()), maxSteps, defaultFairSteps(maxSteps));
    return judged.verdict?.kind === kind ? judged : undefined;
  };
  let best: Judged | undefined;
  let { tape, kinds } = found.result;
  // Most failures found in an execution that joined need none of its joins: try without them all first.
  const withoutJoins = await fails(tape.filter((_, i) => !(kinds[i] === 'join' && tape[i] !== JOIN_STOP) && !(kinds[i] === 'offset')));
  if (withoutJoins !== undefined) {
    best = withoutJoins;
    ({ tape, kinds } = withoutJoins.result);
  }
  for (let i = tape.length - 1; i >= 0; i--) {
    if (kinds[i] !== 'join' || tape[i] === JOIN_STOP) continue;
    // A join is its pick and its offset: without both, that continuation simply waits for a later step.
    const simpler = await fails([...tape.slice(0, i), ...tape.slice(i + 2)]);
    if (simpler === undefined) continue;
    best = simpler;
    ({ tape, kinds } = simpler.result);
    i = Math.min(i, tape.length);
  }
  for (let k = 0; k < tape.length; k++) {
    const shorter = await fails(tape.slice(0, k));
    if (shorter !== undefined) return shorter;
  }
  return best;
}
