import { RoundRobinChooser, type Chooser, type ChoiceKind } from '../engine/chooser.ts';
import type { VirtualClock } from '../engine/clock.ts';
import type { ScenarioDefinition } from '../workload/scenario.ts';
import { runJudged, type Judged } from './run.ts';

/** Follows a recorded prefix of choices, then schedules round-robin. */
class PrefixThenRoundRobin implements Chooser {
  private at = 0;
  private readonly fair = new RoundRobinChooser();

  constructor(private readonly prefix: readonly number[]) {}

  choose(candidates: readonly number[], kind: ChoiceKind): number {
    const recorded = this.prefix[this.at++];
    return recorded ?? this.fair.choose(candidates, kind);
  }
}

/**
 * A livelock found by a random schedule carries thousands of random choices,
 * which make a long token. Most livelocks are reached early; so try short
 * prefixes of the schedule followed by a fair round-robin, and keep the
 * shortest that still livelocks: its tape is mostly a repeating cycle, which
 * the token's compression folds away.
 */
export async function shortenLivelock(
  scenarioName: string,
  definition: ScenarioDefinition,
  clock: VirtualClock,
  tape: readonly number[],
  maxSteps: number,
): Promise<Judged | undefined> {
  for (let k = 0; k < tape.length; k = k === 0 ? 8 : k * 4) {
    const judged = await runJudged(scenarioName, definition, clock, new PrefixThenRoundRobin(tape.slice(0, k)), maxSteps, true, false);
    if (judged.verdict?.kind === 'step-limit') return judged;
  }
  return undefined;
}
