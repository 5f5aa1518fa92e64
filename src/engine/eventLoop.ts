import { MAX_LATENESS, TIME_STILL } from './chooser.ts';
import type { ClockObserver, VirtualClock, VirtualTimer } from './clock.ts';
import type { DecisionLayer } from './decisions.ts';
import { LOOP_DUE, LOOP_EARLY } from './ids.ts';
import type { ReadySet } from './readySet.ts';

/**
 * Where the virtual event loop stands between two macrotasks. It turns as
 * Node's does (timers → poll → check → timers …): while it polls,
 * continuations run (a thread's start, a workload's pause, a granted lock),
 * each a macrotask the scheduler picks; a turn of the loop (chosen like a
 * continuation, see `offer`) runs its check phase — every immediate queued
 * when the phase began (`rt.yield()` queues one, as realRuntime's
 * `setImmediate` does), first in first out (law c) — then its timers phase —
 * every timer due when the loop woke, in Node's order (law a) — and comes
 * back to polling. The loop's first turn has no check phase before its
 * timers phase: after Node's main script the loop begins with timers. A
 * phase's callbacks run back to back, each a step of its own, with nothing
 * else between them. The laws are written down in the README ("The
 * event-loop laws") and checked by src/check/laws/.
 */
export type LoopPhase = 'poll' | 'check' | 'timers';

/** What watches the event loop as an execution runs (the law checker of the test suites, src/check/laws/). */
export interface LoopObserver extends ClockObserver {
  /** The loop entered a phase (`poll` when it comes back to polling) at virtual time `now` (epoch ms). */
  phase(phase: LoopPhase, now: number): void;
  /** A step ran a continuation of `op`; `joined`, the operations of those started in its macrotask. */
  continuationStep(op: string, joined: readonly string[]): void;
  /** A step ran the timer or immediate `seq` (its creation number). */
  timerStep(seq: number): void;
}

/** Once every thread is done, timeouts and immediates keep firing for at most this long (a virtual hour). */
export const DRAIN_HORIZON_MS = 60 * 60 * 1000;

const LATENESS: readonly number[] = Array.from({ length: MAX_LATENESS + 1 }, (_, i) => i);
const STILL_OR_LATE: readonly number[] = [TIME_STILL, ...LATENESS];

export class EventLoop {
  phase: LoopPhase = 'poll';
  /** Whether the next turn begins with a check phase: not the first (see above). */
  private checkFirst = false;
  /** The turn in progress was taken to let time pass (LOOP_EARLY): its timers phase must move time. */
  private early = false;
  /** Once every thread is done: when that was, for the drain's horizon. */
  private drainStartedAt = -1;
  /** When a thread last stepped: with only intervals armed, time moves at most an hour past it. */
  lastThreadStepAt = 0;

  constructor(
    private readonly clock: VirtualClock,
    private readonly ready: ReadySet,
    private readonly decisions: DecisionLayer,
    private readonly observer: LoopObserver | undefined,
  ) {}

  /**
   * Whether the loop's next turn is a choice now, and of which kind:
   * LOOP_DUE when it has callbacks due (queued immediates, due timers);
   * LOOP_EARLY when it has none but time may move to a timer's deadline —
   * whenever no continuation is ready (time must move), and while only
   * continuations that real Node starts in a macrotask of their own are
   * (real time passes between macrotasks, as much as a busy process makes
   * it). Not while a continuation that real code resumes in the microtasks
   * of the step that freed it (a lock, a permit) is ready. A clock with
   * nothing armed offers nothing.
   */
  offer(allDone: boolean): number | undefined {
    const clock = this.clock;
    if (allDone && this.drainStartedAt < 0) this.drainStartedAt = clock.now;
    if (clock.hasImmediates() && !this.checkFirst && !clock.hasArmed(true)) {
      // The loop's first turn begins with a timers phase that has nothing to run, or to wait for: it comes to its check phase at once.
      this.enterPhase('timers');
      this.enterPhase('poll');
    }
    if (clock.hasImmediates() || clock.hasDue()) return LOOP_DUE;
    if (this.ready.size > 0 && !this.ready.betweenMacrotasks) return undefined;
    if (!clock.hasArmed(!allDone)) return undefined;
    return clock.wakeInstants(this.horizon(allDone), 1, !allDone).length > 0 ? LOOP_EARLY : undefined;
  }

  /**
   * The task a step decision charges the loop's turn to: the task of the
   * callback the turn runs first when it begins with its check phase — the
   * thread a yield's immediate resumes, or the immediate's own callback task
   * (`threads + 1 + seq`) — so that strategies see a turn that resumes a
   * yielding thread as that thread going on (PCT's priorities, dfs's
   * preemptions, random's stickiness); otherwise the loop's own task,
   * `threads`.
   */
  taskOf(threads: number): number {
    if (!this.checkFirst) return threads;
    const first = this.clock.firstImmediate();
    if (first === undefined) return threads;
    return first.sleeper !== undefined && first.store?.thread !== undefined ? first.store.thread : threads + 1 + first.seq;
  }

  /** The scheduler chose the loop's turn: its check phase (none on the loop's first turn, as after Node's main script), then its timers phase. */
  enter(early: boolean, allDone: boolean): void {
    this.early = early;
    if (this.checkFirst) {
      this.enterPhase('check');
      this.clock.beginCheckPhase();
    } else {
      this.beginTimersPhase(allDone);
    }
  }

  /** The next callback of the phase the loop is in, moving from the check phase to the timers phase to polling; undefined once polling. */
  nextInPhase(allDone: boolean): VirtualTimer | undefined {
    if (this.phase === 'poll') return undefined;
    if (this.phase === 'check') {
      const immediate = this.clock.nextImmediate();
      if (immediate !== undefined) return immediate;
      this.beginTimersPhase(allDone);
    }
    const timer = this.clock.nextTimer();
    if (timer !== undefined) return timer;
    this.enterPhase('poll');
    return undefined;
  }

  /**
   * The timers phase begins once the loop wakes — punctually, or late: how
   * late is the only choice (law a). A turn taken to let time pass must
   * move it; a turn taken for due callbacks may leave it where it is. While
   * a continuation real code resumes in a step's microtasks is ready, time
   * stays (see offer). Then every timer due by then fires, in Node's order
   * (NodeTimerLists), with nothing else in between.
   */
  private beginTimersPhase(allDone: boolean): void {
    const early = this.early;
    if (early || this.ready.size === 0 || this.ready.betweenMacrotasks) {
      const instants = this.clock.wakeInstants(this.horizon(allDone), MAX_LATENESS + 1, !allDone);
      if (instants.length > 0) {
        const choice = this.decisions.time(early ? LATENESS.slice(0, instants.length) : STILL_OR_LATE.slice(0, instants.length + 1));
        if (choice !== TIME_STILL) this.clock.advanceTo(instants[choice]!);
      }
    }
    this.enterPhase('timers');
    this.clock.beginTimersPhase();
  }

  private enterPhase(phase: LoopPhase): void {
    if (phase === 'poll' && this.phase === 'timers') this.checkFirst = true;
    this.phase = phase;
    this.observer?.phase(phase, this.clock.now);
  }

  /**
   * How far time may move: once every thread is done, a virtual hour past
   * that (timeouts, not intervals, keep the drain going); with only
   * intervals armed, an hour past the last thread step (they cannot run
   * for ever for nobody); otherwise without bound.
   */
  private horizon(allDone: boolean): number {
    if (allDone) return this.drainStartedAt + DRAIN_HORIZON_MS;
    return this.clock.hasArmed(false) ? Infinity : this.lastThreadStepAt + DRAIN_HORIZON_MS;
  }
}
