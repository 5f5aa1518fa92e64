import type { VirtualTimer } from '../../engine/clock.ts';
import type { LoopObserver, LoopPhase } from '../../engine/eventLoop.ts';
import { NodeTimerModel } from './nodeTimerModel.ts';

/**
 * The event-loop laws the scheduler obeys, checked on an execution as it
 * runs, against a model of Node's timers of its own (nodeTimerModel.ts, which
 * the test suites check against real Node). The engine enforces each law
 * where it runs the loop (engine/execution.ts, engine/clock.ts,
 * engine/timers/); this checker sees only what happened, so an engine that
 * breaks a law is caught by the law's name. It is on in the test suites
 * (INTERLEAVE_CHECK_LAWS=1) and off for users.
 *
 * (a) Timers phase: when the loop wakes (punctually, or late), every timer
 *     due by then fires, in Node's order (one list per duration, lists by
 *     expiry then id, every due timer of a list in insertion order), and no
 *     other macrotask — no continuation, no immediate — runs in between.
 *     Time moves only as a timers phase begins. (lib/internal/timers.js,
 *     processTimers and listOnTimeout.)
 * (b) A continuation real Node resumes from a callback of its own (`rt.yield`
 *     is setImmediate, `rt.sleep` and every timer a Timeout) begins a step of
 *     its own: it never starts inside another's macrotask, and nothing starts
 *     inside its. (Each callback is a macrotask: Node drains microtasks after
 *     it, lib/internal/timers.js runNextTicks.)
 * (c) Check phase: every immediate queued when the phase began runs, first
 *     in first out, with nothing in between; immediates queued meanwhile wait
 *     for the next check phase. (processImmediate.)
 * (d) Phase order: the loop turns timers → poll → check → timers …, so a
 *     check phase is followed by a timers phase, and two timers phases have a
 *     check phase between them, but for the loop's first turn (after the main
 *     script, the loop begins with timers). (libuv's uv_run.)
 */
export class EventLoopLaws implements LoopObserver {
  private readonly model = new NodeTimerModel();
  private phaseNow: LoopPhase = 'poll';
  private turns = 0;
  private time: number | undefined;
  /** The first law broken, in words; undefined while every law holds. */
  violation: string | undefined;

  armed(timer: VirtualTimer, now: number): void {
    this.sameTime(now, `timer#${timer.seq} was armed`);
    if (timer.kind === 'immediate') this.model.queueImmediate(timer.seq);
    else this.model.arm(timer.seq, timer.delay, now, timer.kind === 'interval');
  }

  cleared(timer: VirtualTimer): void {
    if (timer.kind === 'immediate') this.model.clearImmediate(timer.seq);
    else this.model.clear(timer.seq);
  }

  refreshed(timer: VirtualTimer, now: number): void {
    this.sameTime(now, `timer#${timer.seq} was refreshed`);
    this.model.refresh(timer.seq, now);
  }

  refChanged(timer: VirtualTimer): void {
    if (timer.kind === 'immediate') return;
    if (timer.refed) this.model.ref(timer.seq);
    else this.model.unref(timer.seq);
  }

  phase(phase: LoopPhase, now: number): void {
    const from = this.phaseNow;
    if (phase === 'timers') {
      if (this.time !== undefined && now < this.time) this.broke('a', `time went back from ${this.time} to ${now}`);
      this.time = now;
      if (from === 'check') {
        const left = this.model.nextImmediate();
        if (left !== undefined) this.broke('c', `the check phase ended with immediate timer#${left} of it not run`);
      } else if (from !== 'poll' || this.turns > 0) {
        this.broke('d', `a timers phase began after the ${from} phase${from === 'poll' ? ' without a check phase since the last timers phase' : ''}`);
      }
      this.turns++;
      this.model.beginTimersPhase(now);
    } else if (phase === 'check') {
      this.sameTime(now, 'the check phase began');
      if (from !== 'poll') this.broke('d', `a check phase began after the ${from} phase`);
      this.model.beginCheckPhase();
    } else {
      this.sameTime(now, 'the loop came back to polling');
      if (from !== 'timers') this.broke('d', `the loop came back to polling from the ${from} phase`);
      const left = this.model.nextTimer();
      if (left !== undefined) this.broke('a', `the timers phase at ${now} ended with timer#${left}, due then, not fired`);
    }
    this.phaseNow = phase;
  }

  continuationStep(op: string, joined: readonly string[]): void {
    if (this.phaseNow !== 'poll') this.broke(this.phaseNow === 'timers' ? 'a' : 'c', `a continuation (${op}) ran inside the ${this.phaseNow} phase`);
    // A yield's immediate and a sleep's timer resume their continuations as timer steps: a continuation step of one is a law broken.
    const ownMacrotask = (o: string): boolean => o === 'yield' || o === 'sleep';
    if (ownMacrotask(op)) this.broke('b', `a ${op} was resumed as a continuation of its own choosing, not by its ${op === 'yield' ? 'immediate' : 'timer'}`);
    const inside = joined.find(ownMacrotask);
    if (inside !== undefined) this.broke('b', `a ${inside} started inside the macrotask of a ${op}`);
  }

  timerStep(seq: number): void {
    if (this.phaseNow === 'timers') {
      const expected = this.model.nextTimer();
      if (expected !== seq) this.broke('a', `timer#${seq} fired where Node fires ${expected === undefined ? 'nothing more in this timers phase' : `timer#${expected}`}`);
    } else if (this.phaseNow === 'check') {
      const expected = this.model.nextImmediate();
      if (expected !== seq) this.broke('c', `immediate timer#${seq} ran where Node runs ${expected === undefined ? 'nothing more in this check phase' : `timer#${expected}`}`);
    } else {
      this.broke('a', `timer#${seq} ran while the loop was polling, outside a timers or check phase`);
    }
  }

  private sameTime(now: number, what: string): void {
    if (this.time === undefined) this.time = now;
    else if (now !== this.time) this.broke('a', `time moved from ${this.time} to ${now} outside the start of a timers phase (${what})`);
  }

  private broke(law: 'a' | 'b' | 'c' | 'd', why: string): void {
    this.violation ??= `event-loop law (${law}) ${LAW_NAMES[law]} broken: ${why}`;
  }
}

const LAW_NAMES = {
  a: '"a timers phase fires every due timer in Node\'s order, with nothing in between"',
  b: '"a continuation Node resumes from a callback of its own runs alone"',
  c: '"a check phase runs its immediates first in, first out, with nothing in between"',
  d: '"the loop turns timers, poll, check"',
} as const;

/** Whether the test suites asked for the laws to be checked on every execution. */
export function lawsChecked(): boolean {
  return process.env.INTERLEAVE_CHECK_LAWS === '1';
}
