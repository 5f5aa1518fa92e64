/**
 * How the engine asks for a decision, and tells the chooser everything a
 * strategy needs to make it, forced decisions included (as Shuttle's
 * `next_task(runnable, current, is_yielding)` does):
 *
 * - `step`: which ready continuation runs the next step, or the event
 *   loop's turn (LOOP_DUE, LOOP_EARLY; ids.ts has the id scheme). Candidates
 *   are in an order that is the same in every run of one schedule (not
 *   sorted: keeping them sorted would cost every step a look at every ready
 *   thread). The arrays may be the engine's own: read them, never keep them.
 * - `join`: which further continuation starts in the same macrotask as the
 *   step's first one, or `JOIN_STOP` for none (see joins.ts). Asked after a
 *   continuation step while another continuation is ready; never when
 *   nothing else could join.
 * - `offset`: after how many microtask turns of the one before it that
 *   continuation starts; the candidates are 0..MAX_OFFSET.
 * - `notify`: which waiter a `notify()` wakes; candidates are the waiting
 *   continuations' ids.
 * - `time`: how far time moves. When nothing can run, it must: candidate i
 *   moves it to the (i+1)-th next deadline, all timers up to it then due, as
 *   when an event loop wakes late (a busy or paused process); 0 is the
 *   punctual clock. When only continuations that real Node starts in a
 *   macrotask of their own are ready (starts, pauses, yields), it may:
 *   `TIME_STILL` keeps it where it is, as a quick process does.
 *
 * Each candidate belongs to a task: the thread whose async context made the
 * continuation (or whose sleep the timer ends), or `threads + seq` for a
 * timer callback. `last` is the task that ran the previous step, and
 * `yielding` says it now waits in `rt.yield()`: it said it cannot progress by
 * itself, so switching away from it is no preemption.
 *
 * Only real choices are asked (decisions.ts): a decision with one possible
 * answer never reaches a chooser, nor its tape. The Decision object is the
 * engine's own, filled in place for every question: read it, never keep it.
 */
export type DecisionKind = 'step' | 'join' | 'offset' | 'notify' | 'time';

export interface Decision {
  readonly kind: DecisionKind;
  readonly candidates: readonly number[];
  /** The task of each candidate, in the same order (for `offset`, empty). */
  readonly tasks: readonly number[];
  /**
   * For `join`: whether each candidate waits at the same operation as the
   * step's first continuation (two takes, two puts, two starts): the shape of
   * `Promise.all([q.take(), q.take()])`. Empty for other kinds.
   */
  readonly sameOp: readonly boolean[];
  readonly last: number | undefined;
  readonly yielding: boolean;
  /** The number of threads: a task at or above it is a timer callback. */
  readonly threads: number;
  /** Steps done (for a step decision) or begun (for the decisions inside a step). */
  readonly step: number;
}

export interface Chooser {
  /**
   * One of the candidates (or `JOIN_STOP` for a join). A replaying chooser may
   * return anything, `TAPE_END` when its tape has run out; the engine reports
   * a value that is not a candidate as a divergence.
   */
  choose(decision: Decision): number;
  /** Also shown the decisions that have one answer (their answer is ignored): for a chooser that follows every event (proof mode). */
  readonly seesForced?: boolean;
}

/** A join decision's "start nothing more in this macrotask". */
export const JOIN_STOP = -1;
/** What a replaying chooser returns once its recorded choices are used up. */
export const TAPE_END = -2;
/** The largest microtask offset a joined continuation may start at. */
export const MAX_OFFSET = 8;
/** How many deadlines a late clock may move past at once, beyond the next. */
export const MAX_LATENESS = 3;
/** A `time` decision's "time stands still": work that is ready runs first. */
export const TIME_STILL = -3;

/** The candidate owned by `task`, if any (the first of them). */
export function candidateOf(decision: Decision, task: number | undefined): number | undefined {
  if (task === undefined) return undefined;
  const i = decision.tasks.indexOf(task);
  return i < 0 ? undefined : decision.candidates[i];
}

/**
 * Fair continuation: the next task after the one it picked last,
 * cyclically (starting after the task that ran last); never joins, a
 * punctual clock. Its own cursor, not the step's last task: a turn of the
 * event loop runs other tasks' callbacks (a yield's immediate resumes its
 * thread), and a cursor that followed them would offer the loop again and
 * again while a thread waiting to start never got its turn.
 */
export class RoundRobinChooser implements Chooser {
  private cursor: number | undefined;

  choose(decision: Decision): number {
    if (decision.kind === 'join') return JOIN_STOP;
    if (decision.kind !== 'step') return decision.candidates[0]!;
    const picked = this.next(decision, this.cursor ?? decision.last ?? -1);
    this.cursor = decision.tasks[decision.candidates.indexOf(picked)];
    return picked;
  }

  private next(decision: Decision, last: number): number {
    let best = -1;
    let wrap = -1;
    for (let i = 0; i < decision.candidates.length; i++) {
      const task = decision.tasks[i]!;
      if (task > last && (best < 0 || task < decision.tasks[best]!)) best = i;
      if (wrap < 0 || task < decision.tasks[wrap]!) wrap = i;
    }
    return decision.candidates[best >= 0 ? best : wrap]!;
  }
}

/** Never preempts: the task that ran last keeps running while it can; otherwise the lowest id. Never joins; a punctual clock. */
export class StickyChooser implements Chooser {
  choose(decision: Decision): number {
    if (decision.kind === 'join') return JOIN_STOP;
    if (decision.kind !== 'step') return decision.candidates[0]!;
    if (decision.yielding) {
      const other = decision.tasks.findIndex((task) => task !== decision.last);
      return decision.candidates[other < 0 ? 0 : other]!;
    }
    return candidateOf(decision, decision.last) ?? decision.candidates[0]!;
  }
}
