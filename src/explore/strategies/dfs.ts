import type { Chooser } from '../../engine/chooser.ts';
import type { Strategy } from './strategy.ts';

interface Decision {
  readonly options: readonly number[];
  index: number;
}

/**
 * Exhaustive depth-first search of the schedule tree: each execution replays
 * the path to the deepest decision with an untried option, takes the next
 * option there, and the first option at every new decision below it. When no
 * decision has options left, every schedule has been run (`exhausted`).
 */
export class DfsStrategy implements Strategy {
  readonly name = 'dfs' as const;
  private readonly path: Decision[] = [];
  private started = false;

  nextExecution(): Chooser | undefined {
    if (this.started) {
      while (this.path.length > 0 && this.path[this.path.length - 1]!.index + 1 >= this.path[this.path.length - 1]!.options.length) this.path.pop();
      if (this.path.length === 0) return undefined;
      this.path[this.path.length - 1]!.index++;
    }
    this.started = true;
    return new DfsExecution(this.path);
  }
}

class DfsExecution implements Chooser {
  private depth = 0;

  constructor(private readonly path: Decision[]) {}

  choose(candidates: readonly number[]): number {
    const known = this.path[this.depth++];
    if (known !== undefined) return known.options[known.index]!;
    this.path.push({ options: [...candidates], index: 0 });
    return candidates[0]!;
  }
}
