import type { ClockObserver } from './clock.ts';

/**
 * Where the virtual event loop stands between two macrotasks. It turns as
 * Node's does (timers → poll → check → timers …): while it polls,
 * continuations run (a thread's start, a workload's pause, a granted lock),
 * each a macrotask the scheduler picks; a turn of the loop
 * (chosen like a continuation, see Execution.loopOffer) runs its check
 * phase — every immediate queued when the phase began (`rt.yield()` queues
 * one, as realRuntime's `setImmediate` does), first in first out
 * (law c) — then its timers phase — every timer due when the loop woke, in
 * Node's order (law a) — and comes back to polling. The loop's first turn
 * has no check phase before its timers phase: after Node's main script the
 * loop begins with timers. A phase's callbacks run back to back, each a step
 * of its own, with nothing else between them.
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

export class EventLoopPosition {
  phase: LoopPhase = 'poll';
  /** Whether the next turn begins with a check phase: not the first (see above). */
  checkFirst = false;
  /** The turn in progress was taken to let time pass (LOOP_EARLY): its timers phase must move time. */
  early = false;

  constructor(private readonly observer: LoopObserver | undefined) {}

  enter(phase: LoopPhase, now: number): void {
    if (phase === 'poll' && this.phase === 'timers') this.checkFirst = true;
    this.phase = phase;
    this.observer?.phase(phase, now);
  }
}
