import { RoundRobinChooser, type Chooser, type Decision } from './chooser.ts';

/** How a fair continuation ended: still progressing, in a livelock's cycle, or in a cycle of timer callbacks alone (a deadlock). */
export type FairVerdict =
  | { readonly type: 'unfinished' }
  | { readonly type: 'stuck' }
  | { readonly type: 'step-limit'; readonly repeating: readonly string[]; readonly cycleStart: number };

/** Steps a visible cycle must have held before a livelock is called: several turns, not a coincidence. */
const MIN_CYCLE_EVIDENCE = 20;

/**
 * The fair round-robin continuation an execution runs past its step budget,
 * and the evidence it gathers: what each of its steps resumed, and the
 * fingerprints (fingerprint.ts) of the state the harness can see. Once a
 * fingerprint comes back the run is in a cycle — unless it leaves it again
 * (a new state: progress), or ends: a loop may count toward its end in a
 * local variable no fingerprint sees, so one repetition proves nothing.
 * When the continuation's budget runs out, `verdict` judges.
 */
export class FairContinuation {
  private readonly labels: string[] = [];
  private readonly seen = new Map<string, number>();
  private cycle: { readonly from: number; readonly to: number } | undefined;

  constructor(
    /** The step at which the continuation began. */
    readonly from: number,
    /** A fingerprint costs a look at every thread: with many threads, take one every few steps (a cycle still shows, a little later). */
    private readonly stride: number,
  ) {}

  /** A step of the continuation began: what it resumed, as `actor: operation`. */
  stepped(label: string): void {
    this.labels.push(label);
  }

  /** Whether the state after `step` should be fingerprinted. */
  wants(step: number): boolean {
    return (step - this.from) % this.stride === 0;
  }

  /** The state after `step` (undefined: too large to fingerprint, so no claim on it). */
  observe(step: number, fingerprint: string | undefined): void {
    if (fingerprint === undefined) {
      this.cycle = undefined;
      return;
    }
    const before = this.seen.get(fingerprint);
    if (before === undefined) {
      this.seen.set(fingerprint, step);
      this.cycle = undefined;
    } else {
      this.cycle ??= { from: before, to: step };
    }
  }

  /**
   * The budget has run out at `step`. If the visible state has stayed in one
   * cycle all the while since it first came back, that is the evidence of a
   * livelock (or, when only timer callbacks turn the cycle and no thread
   * steps, of a deadlock with an interval armed); otherwise the run was still
   * progressing: unfinished, not a finding.
   */
  verdict(step: number): FairVerdict {
    const cycle = this.cycle;
    if (cycle === undefined || step - cycle.to < MIN_CYCLE_EVIDENCE) return { type: 'unfinished' };
    const repeating = this.labels.slice(cycle.from - this.from, cycle.to - this.from);
    if (repeating.every((label) => label.startsWith('timer#'))) return { type: 'stuck' };
    return { type: 'step-limit', repeating, cycleStart: cycle.from + 1 };
  }
}

/**
 * The fair continuation's chooser, as a decorator: the strategy's chooser
 * until the first step decision past the step budget, round-robin from then
 * on (every ready task gets its turn, so a run that can end does, and one
 * that cannot shows its cycle). A replay needs none: its tape holds the
 * round-robin's choices.
 */
export class FairChooser implements Chooser {
  readonly seesForced: boolean;
  private fair = false;
  private readonly roundRobin = new RoundRobinChooser();

  constructor(
    private readonly inner: Chooser,
    private readonly maxSteps: number,
  ) {
    this.seesForced = inner.seesForced === true;
  }

  choose(decision: Decision): number {
    if (!this.fair && decision.kind === 'step' && decision.step >= this.maxSteps) this.fair = true;
    return this.fair ? this.roundRobin.choose(decision) : this.inner.choose(decision);
  }
}
