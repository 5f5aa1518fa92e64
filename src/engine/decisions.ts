import { JOIN_STOP, MAX_OFFSET, TAPE_END, type Chooser, type Decision, type DecisionKind } from './chooser.ts';
import { ChoiceLog } from './choiceLog.ts';
import { divergence, type Names } from './divergence.ts';
import type { ExecutionObserver } from './observer.ts';

/** A Decision the layer fills in place for every question it asks: no allocation per decision. */
type MutableDecision = { -readonly [K in keyof Decision]: Decision[K] };

const NONE: readonly number[] = [];
const NO_FLAGS: readonly boolean[] = [];

/**
 * The one place between the engine and a strategy (Coyote's
 * OperationScheduler, Shuttle's typed schedule): it asks the chooser,
 * checks the answer against what that kind of decision allows, appends it
 * with its kind to the tape, words a replay that has left its recording,
 * and tells the observers.
 *
 * A decision with one possible answer is no decision: it costs nothing, goes
 * on no tape, and draws nothing from a strategy's random stream (a step with
 * one candidate, a join with nothing that could join, a clock with one
 * instant it may move to). Recording and replay skip the same ones, so the
 * tape stays aligned. A chooser that follows the execution event by event
 * (proof mode) may ask to see those too (`Chooser.seesForced`); its answer
 * to them is ignored.
 */
export class DecisionLayer {
  readonly log = new ChoiceLog();
  /** Why a replay left its recorded schedule, once it has. */
  divergence: string | undefined;
  private readonly decision: MutableDecision;
  private readonly seesForced: boolean;

  constructor(
    private chooser: Chooser,
    threads: number,
    private readonly names: Names,
    /** Replaying: the kind of each recorded choice, checked decision by decision. */
    private readonly recordedKinds: readonly DecisionKind[] | undefined,
    private readonly observer: ExecutionObserver | undefined,
  ) {
    this.decision = { kind: 'step', candidates: NONE, tasks: NONE, sameOp: NO_FLAGS, last: undefined, yielding: false, threads, step: 0 };
    this.seesForced = chooser.seesForced === true;
  }

  /** What every decision is told, kept up to date by the engine: the task that ran last (or runs now), whether it waits in `rt.yield()`, the steps done or begun. */
  last: number | undefined = undefined;
  yielding = false;
  stepCount = 0;

  /**
   * Which of `candidates` runs the next step. `contains` answers membership
   * when the candidates are the engine's own large array (a lookup, not a scan).
   */
  step(candidates: readonly number[], tasks: readonly number[], contains: (id: number) => boolean): number {
    return this.ask('step', candidates, tasks, NO_FLAGS, contains);
  }

  /** Which further continuation starts in the step's macrotask, or JOIN_STOP. */
  join(candidates: readonly number[], tasks: readonly number[], sameOp: readonly boolean[]): number {
    if (candidates.length === 0) return this.forced('join', candidates, tasks, JOIN_STOP);
    return this.ask('join', candidates, tasks, sameOp, undefined);
  }

  /** After how many microtask turns of the one before it a joined continuation starts (0..MAX_OFFSET). */
  offset(candidates: readonly number[]): number {
    return this.ask('offset', candidates, NONE, NO_FLAGS, undefined);
  }

  /** Which waiter a `notify()` wakes. */
  notify(candidates: readonly number[], tasks: readonly number[]): number {
    return this.ask('notify', candidates, tasks, NO_FLAGS, undefined);
  }

  /** How far time moves at the start of a timers phase (see chooser.ts, `time`). */
  time(candidates: readonly number[]): number {
    return this.ask('time', candidates, NONE, NO_FLAGS, undefined);
  }

  private ask(kind: DecisionKind, candidates: readonly number[], tasks: readonly number[], sameOp: readonly boolean[], contains: ((id: number) => boolean) | undefined): number {
    if (candidates.length === 1 && kind !== 'join') return this.forced(kind, candidates, tasks, candidates[0]!);
    const d = this.fill(kind, candidates, tasks, sameOp);
    let picked = this.chooser.choose(d);
    const log = this.log;
    const recorded = this.recordedKinds?.[log.length];
    if (recorded !== undefined && recorded !== kind && this.divergence === undefined) {
      this.divergence = `at step ${this.stepOf(kind)} the recorded schedule's choice #${log.length + 1} is a ${recorded} decision, but this run asks for a ${kind} decision there: the run fell out of step with its recording`;
    }
    if (!(contains === undefined ? valid(kind, picked, candidates) : contains(picked))) {
      const at = `at step ${this.stepOf(kind)}`;
      this.divergence ??= picked === TAPE_END ? `the replay ran past the end of its recorded schedule ${at}` : `${at} ${divergence(kind, picked, candidates, this.names)}`;
      picked = kind === 'join' ? JOIN_STOP : candidates[0]!;
    }
    log.push(picked, kind, this.stepCount);
    this.observer?.decided?.(log.length, picked);
    return picked;
  }

  /** A decision with one answer: nothing on the tape; shown to a chooser that follows every event. */
  private forced(kind: DecisionKind, candidates: readonly number[], tasks: readonly number[], only: number): number {
    if (this.seesForced) this.chooser.choose(this.fill(kind, candidates, tasks, NO_FLAGS));
    return only;
  }

  private fill(kind: DecisionKind, candidates: readonly number[], tasks: readonly number[], sameOp: readonly boolean[]): Decision {
    const d = this.decision;
    d.kind = kind;
    d.candidates = candidates;
    d.tasks = tasks;
    d.sameOp = sameOp;
    d.last = this.last;
    d.yielding = this.yielding;
    d.step = this.stepCount;
    return d;
  }

  /** The step a decision belongs to, as traces number them: a step decision picks the next one. */
  private stepOf(kind: DecisionKind): number {
    return this.stepCount + (kind === 'step' ? 1 : 0);
  }
}

/** Whether `picked` is an answer a decision of this kind allows. */
function valid(kind: DecisionKind, picked: number, candidates: readonly number[]): boolean {
  switch (kind) {
    case 'join':
      return picked === JOIN_STOP || candidates.includes(picked);
    case 'offset':
      return Number.isInteger(picked) && picked >= 0 && picked <= MAX_OFFSET && picked < candidates.length;
    default:
      return candidates.includes(picked);
  }
}
