import { RoundRobinChooser, type Chooser, type ChoiceKind } from '../engine/chooser.ts';
import type { VirtualClock } from '../engine/clock.ts';
import type { ScenarioDefinition } from '../workload/scenario.ts';
import { defaultFairSteps, runJudged, type Judged } from './run.ts';

/** Follows a recorded prefix of choices, then hands over to another chooser. */
class PrefixThen implements Chooser {
  private at = 0;

  constructor(
    private readonly prefix: readonly number[],
    private readonly then: Chooser,
  ) {}

  choose(candidates: readonly number[], kind: ChoiceKind): number {
    const recorded = this.prefix[this.at++];
    if (recorded !== undefined) {
      if (kind === 'step') this.then.choose([recorded], kind); // keeps a sticky chooser's notion of who ran last
      return recorded;
    }
    return this.then.choose(candidates, kind);
  }
}

/** Never preempts: the thread that ran last keeps running while it can; otherwise the lowest id. */
class StickyChooser implements Chooser {
  private last = -1;

  choose(candidates: readonly number[], kind: ChoiceKind): number {
    if (kind === 'notify') return candidates[0]!;
    this.last = candidates.includes(this.last) ? this.last : candidates[0]!;
    return this.last;
  }
}

type Run = (chooser: Chooser) => Promise<Judged>;

function runner(scenarioName: string, definition: ScenarioDefinition, clock: VirtualClock, maxSteps: number): Run {
  return (chooser) => runJudged(scenarioName, definition, clock, chooser, maxSteps, true, false, defaultFairSteps(maxSteps), true, true);
}

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
export async function shortenLivelock(
  scenarioName: string,
  definition: ScenarioDefinition,
  clock: VirtualClock,
  tape: readonly number[],
  maxSteps: number,
): Promise<ShortLivelock | undefined> {
  const run = runner(scenarioName, definition, clock, maxSteps);
  for (let k = 0; k < tape.length; k = k === 0 ? 8 : k * 4) {
    const prefix = tape.slice(0, k);
    const proven = await run(new PrefixThen(prefix, new RoundRobinChooser()));
    if (proven.verdict?.kind !== 'step-limit') continue;
    // The same schedule, cut short: the prefix, then enough fair steps for three turns of the cycle.
    const shortMax = Math.min(maxSteps, k + 1);
    const fairSteps = Math.min(defaultFairSteps(maxSteps), 60 + 3 * (proven.verdict.repeating?.length ?? 20));
    const cut = await runJudged(scenarioName, definition, clock, new PrefixThen(prefix, new RoundRobinChooser()), shortMax, true, false, fairSteps, true, true);
    if (cut.verdict?.kind === 'step-limit') return { judged: cut, maxSteps: shortMax, fairSteps };
    return { judged: proven, maxSteps, fairSteps: defaultFairSteps(maxSteps) };
  }
  return undefined;
}

/** Schedules longer than this are left as found: minimising costs one execution per decision. */
const MINIMISE_LIMIT = 400;

/**
 * A counterexample with fewer context switches reads more easily, as
 * Lincheck's minimised traces do. Finds the shortest prefix of the failing
 * schedule which, continued without preemption (the running thread keeps
 * running while it can), still fails with the same kind; every execution
 * tried is a real one under the model, so the result is as reachable as the
 * original. Returns undefined when nothing shorter reproduces it.
 */
export async function minimiseSchedule(
  scenarioName: string,
  definition: ScenarioDefinition,
  clock: VirtualClock,
  found: Judged,
  maxSteps: number,
): Promise<Judged | undefined> {
  const tape = found.result.tape;
  if (tape.length > MINIMISE_LIMIT || found.verdict === undefined) return undefined;
  const run = runner(scenarioName, definition, clock, maxSteps);
  for (let k = 0; k < tape.length; k++) {
    const judged = await run(new PrefixThen(tape.slice(0, k), new StickyChooser()));
    if (judged.verdict?.kind === found.verdict.kind) return judged;
  }
  return undefined;
}
