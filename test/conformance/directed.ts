/**
 * Directed real runs: an outcome only the harness produced, tried on real
 * Node along the harness's own execution.
 *
 * The harness side (`harnessSchedule`): the execution that produced the
 * outcome is run again from its tape (a TapeChooser), recording its trace
 * and watching its event loop, and lowered to what a real run can follow:
 * the workload points it released (a thread's start, the pause before a put
 * or take) in order, each with the points joined into its macrotask and
 * their microtask offsets, grouped by the turns of the loop between them;
 * and, for each turn, the timers its timers phase fired.
 *
 * The real side (`directedRun`): the scenario runs on plain Node with
 * `realRuntime` and real timers, its workload points held by a driver and
 * released in the harness's order and macrotask structure. Node's loop turns
 * timers → poll → check; the harness's workload points run between a timers
 * phase and the next check phase, so the driver releases them in the poll
 * phase (each a message of a MessageChannel: a callback of its own, with
 * microtasks drained after it), the joined ones in the same synchronous block
 * after their offsets. The points before the loop's first turn, which the
 * harness runs before a timers phase with no check phase first (as after
 * Node's main script), it releases from immediates of one check phase. The
 * last callback of every check phase is the driver's: it blocks the loop
 * until every timer the harness's next timers phase fired is due on the real
 * clock (the loop woke that late), and posts the next poll phase's releases.
 * Immediates and timers themselves are Node's own. When the real run leaves
 * the harness's path (a point the harness released is not pending), the
 * driver lets go: whatever is held is released as it comes, and the run ends
 * as real Node takes it. Either way, the outcome is a real run's.
 */
import type { DecisionKind } from '../../src/engine/chooser.ts';
import { VirtualClock, type TimerKind, type VirtualTimer } from '../../src/engine/clock.ts';
import type { LoopObserver, LoopPhase } from '../../src/engine/eventLoop.ts';
import { runExecution } from '../../src/engine/execution.ts';
import { real } from '../../src/engine/realTimers.ts';
import { defaultFairSteps, judge } from '../../src/explore/run.ts';
import { TapeChooser } from '../../src/explore/strategies/tape.ts';
import type { PointRequest } from '../../src/runtime/virtual/host.ts';
import type { FailureKind, TraceStep } from '../../src/trace/index.ts';
import { definitionOf, type Scenario } from '../../src/workload/scenario.ts';
import { busyUntil, HANG, PollPhase, realNow, runReal, type Driver, type RealRun } from './realNode.ts';

/** Kinds of finding that mean "an execution never finishes", as a real hang shows. */
export const STUCK: readonly FailureKind[] = ['deadlock', 'lost-wakeup', 'lost-item', 'step-limit'];

/** A workload point the harness released: whose, and what it resumed (`start`, `put`, `take`). */
export interface Release {
  readonly thread: number;
  readonly label: string;
}

/** A step of the harness's poll phase: the point it released first, and those joined into its macrotask. */
export interface PollStep extends Release {
  readonly joined: readonly (Release & { readonly offset: number })[];
}

/** A harness execution, lowered to what a real run can follow. */
export interface Schedule {
  /** What the execution came to: its outcome, or `hang` when it never finished. */
  readonly outcome: string | undefined;
  /** `polls[0]`: the workload points before the loop's first turn; `polls[i]`: those after its i-th turn. */
  readonly polls: readonly (readonly PollStep[])[];
  /** `turns[i - 1]`: the timers the i-th turn's timers phase fired, by creation number, in order. */
  readonly turns: readonly (readonly number[])[];
  /** Every timer and immediate the execution created, by creation number. */
  readonly timers: readonly { readonly kind: TimerKind; readonly delay: number }[];
  /** The trace, for reports. */
  readonly steps: readonly TraceStep[];
}

/** Watches the harness's event loop as the execution is replayed. */
class LoopShape implements LoopObserver {
  readonly polls: number[][] = [[]];
  readonly turns: number[][] = [];
  readonly timers: { kind: TimerKind; delay: number }[] = [];
  private now: LoopPhase = 'poll';
  private step = 0;

  armed(timer: VirtualTimer): void {
    this.timers[timer.seq] = { kind: timer.kind, delay: timer.delay };
  }

  cleared(): void {}
  refreshed(): void {}
  refChanged(): void {}

  phase(phase: LoopPhase): void {
    // A turn begins with its check phase, or, the loop's first, with its timers phase.
    if (phase === 'check' || (phase === 'timers' && this.now === 'poll')) this.turns.push([]);
    if (phase === 'poll' && this.now !== 'poll') this.polls.push([]);
    this.now = phase;
  }

  continuationStep(): void {
    this.polls.at(-1)!.push(this.step++);
  }

  timerStep(seq: number): void {
    this.step++;
    if (this.now === 'timers') this.turns.at(-1)!.push(seq);
  }
}

/** The tape of one harness execution (collectOutcomes' `first`). */
export interface Tape {
  readonly tape: readonly number[];
  readonly kinds: readonly DecisionKind[];
}

/** Replays a harness execution from its tape, recording it, and lowers it to a schedule. */
export async function harnessSchedule(scenario: Scenario, tape: Tape, maxSteps = 10_000): Promise<Schedule> {
  const definition = definitionOf(scenario)!;
  const shape = new LoopShape();
  const result = await runExecution(definition, {
    clock: new VirtualClock(),
    chooser: new TapeChooser(tape.tape),
    maxSteps,
    fairSteps: defaultFairSteps(maxSteps),
    replaying: true,
    record: true,
    recordedKinds: tape.kinds,
    loopObserver: shape,
  });
  const verdict = judge(result, maxSteps, definition);
  let outcome: string | undefined;
  if (verdict !== undefined && STUCK.includes(verdict.kind) && !(result.end.type === 'verdict' && result.end.atEnd)) outcome = HANG;
  else if (result.end.type === 'completed' || (result.end.type === 'verdict' && result.end.atEnd)) outcome = definition.outcome?.(result.state);
  await result.runOut();
  const threadOf = (name: string): number => definition.threadNames.indexOf(name);
  const polls = shape.polls.map((indices) =>
    indices.map((k): PollStep => {
      const step = result.steps[k]!;
      return {
        thread: threadOf(step.actor),
        label: step.resumed,
        joined: (step.joined ?? []).filter((j) => j.started).map((j) => ({ thread: threadOf(j.actor), label: j.resumed, offset: j.offset })),
      };
    }),
  );
  return { outcome, polls, turns: shape.turns, timers: shape.timers, steps: result.steps };
}

const settledPromise = Promise.resolve();

/** Calls `fn` after `turns` microtask turns, as the harness starts a joined continuation (engine/quiescence.ts). */
function afterMicrotasks(turns: number, fn: () => void): void {
  if (turns <= 0) fn();
  else void settledPromise.then(() => afterMicrotasks(turns - 1, fn));
}

const labelOf = (request: PointRequest): string => (request.object === undefined ? request.op : `${request.op}(${request.object})`);

/** Holds the workload points of a real run and releases them as the schedule says. */
class DirectedDriver implements Driver {
  private readonly held = new Map<number, { readonly label: string; readonly release: () => void }>();
  private readonly poll = new PollPhase();
  private free = false;
  private run: RealRun | undefined;
  private stopped = false;
  /** How many of the schedule's poll steps the run followed; where it left the path, and why. */
  followed = 0;
  leftAt: string | undefined;

  constructor(private readonly schedule: Schedule) {}

  start(thread: number, start: () => void, run: RealRun): void {
    this.hold(thread, 'start', start);
    if (thread === run.threadNames.length - 1) this.begin(run);
  }

  point(thread: number, request: PointRequest): Promise<void> {
    return new Promise((resolve) => this.hold(thread, labelOf(request), resolve));
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.poll.close();
  }

  private hold(thread: number, label: string, release: () => void): void {
    if (this.free) real.setImmediate(release);
    else this.held.set(thread, { label, release });
  }

  /** Every thread waits to start: the points before the loop's first turn go in one check phase, then the first turn. */
  private begin(run: RealRun): void {
    // While the driver follows the schedule, the run is not idle: it lets go before a hang can be told.
    this.run = run;
    run.pending(+1);
    for (const step of this.schedule.polls[0] ?? []) real.setImmediate(() => this.release(step));
    real.setImmediate(() => this.tail(0));
  }

  /** The last callback of a check phase: turn i + 1's timers phase comes next, then poll i + 1. */
  private tail(i: number): void {
    if (this.stopped || this.free) return;
    const fires = this.schedule.turns[i];
    if (fires === undefined) return this.letGo('the schedule has no more turns');
    let due = 0;
    for (const seq of fires) {
      const timer = this.run?.timers.created[seq];
      if (timer !== undefined) due = Math.max(due, timer.at + timer.delay + 1);
    }
    // The loop wakes late enough for every timer the harness fired then (never more than a moment past the last).
    busyUntil(Math.min(due, realNow() + 200));
    this.poll.post(() => this.pollStep(i + 1, 0));
  }

  /** In a poll phase: the j-th workload step after turn p, each a callback of its own; then the check phase's last callback. */
  private pollStep(p: number, j: number): void {
    if (this.stopped || this.free) return;
    const steps = this.schedule.polls[p];
    if (steps === undefined) return this.letGo('the schedule is over');
    if (j < steps.length) {
      this.release(steps[j]!);
      this.poll.post(() => this.pollStep(p, j + 1));
    } else real.setImmediate(() => this.tail(p));
  }

  private release(step: PollStep): void {
    if (this.stopped || this.free) return;
    if (!this.take(step)) return;
    this.followed++;
    const joinFrom = (i: number): void => {
      const joined = step.joined[i];
      if (joined === undefined) return;
      afterMicrotasks(joined.offset, () => {
        if (this.free || !this.take(joined)) return;
        joinFrom(i + 1);
      });
    };
    joinFrom(0);
  }

  /** Releases the point `r` names, if it is held; otherwise the run has left the harness's path. */
  private take(r: Release): boolean {
    const held = this.held.get(r.thread);
    if (held === undefined || held.label !== r.label) {
      this.letGo(`step ${this.followed + 1}: thread #${r.thread} is not waiting at '${r.label}' (${held === undefined ? 'at no point' : `at '${held.label}'`})`);
      return false;
    }
    this.held.delete(r.thread);
    held.release();
    return true;
  }

  /** Off the path, or past its end: release what is held, and whatever comes, as it comes. */
  private letGo(why: string): void {
    if (this.free) return;
    this.free = true;
    this.leftAt ??= why;
    this.run?.pending(-1);
    for (const { release } of this.held.values()) real.setImmediate(release);
    this.held.clear();
  }
}

export interface DirectedResult {
  readonly outcome: string;
  readonly followed: number;
  /** Where the run left the harness's path (or passed its end), if it did. */
  readonly leftAt: string | undefined;
}

/** One real run of `scenario` along `schedule`. */
export async function directedRun(scenario: Scenario, schedule: Schedule): Promise<DirectedResult> {
  const driver = new DirectedDriver(schedule);
  try {
    const outcome = await runReal(scenario, driver);
    return { outcome, followed: driver.followed, leftAt: driver.leftAt };
  } finally {
    driver.stop();
  }
}

export interface Reproduction {
  /** The attempt (1-based) whose real run came to the outcome; undefined when none did. */
  readonly attempt: number | undefined;
  readonly attempts: readonly DirectedResult[];
}

/** Up to `attempts` directed real runs (real timing jitters), until one comes to the schedule's outcome. */
export async function reproduce(scenario: Scenario, schedule: Schedule, attempts: number): Promise<Reproduction> {
  const results: DirectedResult[] = [];
  for (let a = 1; a <= attempts; a++) {
    const result = await directedRun(scenario, schedule);
    results.push(result);
    await new Promise((resolve) => real.setImmediate(resolve));
    if (result.outcome === schedule.outcome) return { attempt: a, attempts: results };
  }
  return { attempt: undefined, attempts: results };
}
