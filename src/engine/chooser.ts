/**
 * How the engine asks for a decision. Candidates are ids in ascending order:
 * a thread's id is its index, a due timer's id is `threadCount + timer seq`;
 * a notify's candidates are the waiting threads' ids. A chooser returns one
 * of them; a replay chooser may return an id that is not a candidate (or -1
 * when its tape has run out), which the engine reports as a divergence.
 */
export type ChoiceKind = 'step' | 'notify';

export interface Chooser {
  /**
   * `yielder` is the thread that ran the last step, when it is now waiting in
   * `rt.yield()`: it said it cannot progress by itself, so switching away from
   * it is no preemption, and a fair search tries the others first.
   */
  choose(candidates: readonly number[], kind: ChoiceKind, yielder?: number): number;
}

/** Fair continuation: the next candidate after the last one picked, cyclically. */
export class RoundRobinChooser implements Chooser {
  private last = -1;

  choose(candidates: readonly number[], kind: ChoiceKind): number {
    if (kind === 'notify') return candidates[0]!;
    const next = candidates.find((id) => id > this.last) ?? candidates[0]!;
    this.last = next;
    return next;
  }
}
