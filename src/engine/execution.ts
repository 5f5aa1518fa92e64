import { HarnessUsageError, type PointRequest, type Primitive, type ThreadId, type VirtualHost } from '../runtime/virtual/host.ts';
import { createVirtualRuntime } from '../runtime/virtual/runtime.ts';
import type { Runtime } from '../runtime/types.ts';
import { errorLine, type TraceStep } from '../trace/index.ts';
import { JOIN_STOP, MAX_LATENESS, MAX_OFFSET, RoundRobinChooser, TAPE_END, TIME_STILL, type Chooser, type DecisionKind } from './chooser.ts';
import type { VirtualClock, VirtualTimer } from './clock.ts';
import { continuationId, isLoopId, LOOP_DUE, LOOP_EARLY } from './ids.ts';
import { codeFingerprint } from './codeFingerprint.ts';
import { EventLoopPosition, type LoopObserver } from './eventLoop.ts';
import { executionContext, currentStore, type ContextStore, type ExecutionOwner } from './context.ts';
import { Continuation, VirtualThread } from './continuation.ts';
import { installRouting } from './globals.ts';
import type { ExecutionView, Monitor, Verdict } from './monitor.ts';
import { ChoiceLog } from './choiceLog.ts';
import { ACTOR, BEATS, JOINED, OPERATION, operationCode, SETUP_ACTOR, STEP, TAPE, TAPE_LENGTH } from './heartbeat.ts';
import { ReadySet } from './readySet.ts';
import { FairContinuation } from './fairContinuation.ts';
import { fingerprint } from './fingerprint.ts';
import { afterMicrotasks, whenSettled } from './quiescence.ts';
import { snapshotOf } from './snapshot.ts';
import { StepRecorder } from './recorder.ts';
import { describeThread, stepNote } from './describeThread.ts';
import { divergence, type Names } from './divergence.ts';

installRouting();

/** What one execution runs: the scenario, lowered to what the engine needs. */
export interface ExecutionPlan<S = unknown> {
  readonly threadNames: readonly string[];
  /** Builds the shared state, inside the execution (its timers are virtual). */
  setup(rt: Runtime, host: VirtualHost): S;
  readonly bodies: readonly ((state: S, rt: Runtime, host: VirtualHost) => unknown)[];
  monitors(state: S, host: VirtualHost): readonly Monitor[];
  /** For buffer workloads: the size the implementation reports and the model's contents, for snapshots. */
  buffer?(state: S): { size?: number; contents: readonly string[] };
  /** What of the state shows progress, for livelock evidence (default: the whole state). */
  progressState?(state: S): unknown;
  /** The scenario's own functions (setup, threads, create...), for the code's fingerprint (codeFingerprint.ts). */
  readonly code?: readonly unknown[];
}

/** Shared by the executions of one exploration: whether it still listens for what they leave behind. */
export interface Session {
  open: boolean;
}

export interface ExecutionOptions {
  readonly clock: VirtualClock;
  readonly chooser: Chooser;
  /** Steps before the fair round-robin continuation starts. */
  readonly maxSteps: number;
  /** Steps the fair continuation may take before the run is called a livelock; default max(maxSteps, 1000). */
  readonly fairSteps?: number;
  /** Keep every choice the chooser made when replaying a tape (no round-robin swap). */
  readonly replaying: boolean;
  /** Record a trace step by step, and take the code's fingerprint (codeFingerprint.ts) after setup. */
  readonly record: boolean;
  /** Replaying: the kind of each recorded choice, checked decision by decision (a replay out of step is caught where it slips). */
  readonly recordedKinds?: readonly DecisionKind[] | undefined;
  /** Offer same-macrotask starts (join decisions); default true. */
  readonly joins?: boolean;
  /** Shared memory a watchdog in another thread reads (see heartbeat.ts): written at every step and decision when given. */
  readonly heartbeat?: Int32Array | undefined;
  /** Tests only: after every step, check the ready set against a scan of every pending continuation. */
  readonly checkReady?: boolean;
  /** Asked every few hundred steps: true once the exploration's time is up, and the execution ends, unfinished. */
  readonly outOfTime?: (() => boolean) | undefined;
  readonly session?: Session;
  /** Told how the event loop runs (the law checker of the test suites). */
  readonly loopObserver?: LoopObserver | undefined;
}

/** How an execution ended. */
export type ExecutionEnd =
  | { readonly type: 'completed' }
  /** No continuation can run, no timer is due, and some thread has not finished. */
  | { readonly type: 'stuck' }
  /** A detector's finding; `atEnd` when it judged the execution once it had ended (conservation, `final`). */
  | { readonly type: 'verdict'; readonly verdict: Verdict; readonly atEnd: boolean }
  | { readonly type: 'thread-error'; readonly thread: ThreadId; readonly error: unknown }
  /** A callback the event loop would call outside any thread threw: a timer's, a nextTick's, a microtask's. */
  | { readonly type: 'callback-error'; readonly callback: string; readonly error: unknown }
  /** Under the fair continuation, the state the harness can see came back: a cycle that makes no progress, one turn of it. */
  | { readonly type: 'step-limit'; readonly repeating: readonly string[]; readonly cycleStart: number }
  /** Past its step budget and the fair continuation, still going without repeating itself: not a finding, but not a full pass either. */
  | { readonly type: 'unfinished' }
  /** Stopped where it was because the exploration's time ran out: not judged at all. */
  | { readonly type: 'out-of-time' }
  | { readonly type: 'diverged'; readonly message: string }
  | { readonly type: 'setup-error'; readonly error: unknown };

export interface ExecutionResult {
  readonly end: ExecutionEnd;
  /** The step at which it ended. */
  readonly step: number;
  /** Every choice made, in order: the replay tape. */
  readonly tape: readonly number[];
  /** The kind of each choice on the tape. */
  readonly kinds: readonly DecisionKind[];
  /**
   * For each choice, the engine's step count when it was made: a step or
   * time decision comes before the steps it decides (the count is of the
   * steps done); a join, offset or notify within the step it shapes (the
   * count includes it).
   */
  readonly decisionSteps: readonly number[];
  /** Recorded steps, when asked for. */
  readonly steps: readonly TraceStep[];
  /** The execution as it stood at its end, for classifying a stuck run. */
  readonly view: ExecutionView;
  readonly state: unknown;
  /** Real async resources its code created, by type (timers escaping virtual time, I/O). */
  readonly resources: ReadonlyMap<string, number>;
  /** Rejections nobody handled, as Node reports them: after the execution, on an event-loop turn. */
  readonly rejections: readonly unknown[];
  /** The code's fingerprint, taken after setup when recording (codeFingerprint.ts). */
  readonly code: number | undefined;
  /**
   * Runs out, unjudged, the timeouts and immediates the execution left
   * pending (to a virtual hour), as a passing execution's drain does, so
   * that module-level state its code resets with its own timers is back
   * where a fresh process has it before the next execution begins. Called
   * once the execution has been judged.
   */
  runOut(): Promise<void>;
}

/** Once every thread is done, timeouts and immediates keep firing for at most this long. */
const DRAIN_HORIZON_MS = 60 * 60 * 1000;

const START: PointRequest = {
  op: 'start',
  macrotask: true,
  enabled: () => true,
  proceed: () => {},
  blocker: () => ({ waitsFor: 'start', kind: 'other', heldBy: [] }),
};

/** A thread in `rt.yield()`: its immediate resumes it (see Execution.yield), never a choice among ready continuations. */
const YIELD: PointRequest = {
  op: 'yield',
  enabled: () => false,
  proceed: () => {},
  blocker: () => ({ waitsFor: 'yield', kind: 'other', heldBy: [] }),
};
const noop = (): void => {};

const OFFSETS: readonly number[] = Array.from({ length: MAX_OFFSET + 1 }, (_, i) => i);
const LATENESS: readonly number[] = Array.from({ length: MAX_LATENESS + 1 }, (_, i) => i);
const STILL_OR_LATE: readonly number[] = [TIME_STILL, ...LATENESS];
const NO_TASKS: readonly number[] = [];
const NO_JOINS: readonly Joined[] = [];
const THREW = Symbol('threw');
/** Callbacks an unjudged run-out fires at most: a timer chain that reschedules itself for ever must not hold the next execution up. */
const RUN_OUT_CALLBACKS = 10_000;
const NO_RESOURCES: readonly object[] = [];
/** The most continuations a join decision offers (see chooseJoins). */
const MAX_JOIN_CANDIDATES = 16;
const NO_FLAGS: readonly boolean[] = [];
const NEVER = new Promise<void>(() => {});

/** Runs one execution of a plan to its end. */
export function runExecution<S>(plan: ExecutionPlan<S>, options: ExecutionOptions): Promise<ExecutionResult> {
  return new Promise((resolve) => new Execution(plan, options, resolve).begin());
}

/** A continuation started in the same macrotask as the step's first one, `offset` microtask turns after the one before. */
interface Joined {
  readonly continuation: Continuation;
  readonly offset: number;
}

class Execution<S> implements VirtualHost, ExecutionView, ExecutionOwner {
  step = 0;
  readonly threads: VirtualThread[];
  readonly primitives: Primitive[] = [];
  readonly recording: boolean;

  private state!: S;
  private runtime!: Runtime;
  private monitorList: readonly Monitor[] = [];
  private chooser: Chooser;
  private readonly log = new ChoiceLog();
  private readonly clock: VirtualClock;
  private readonly setupStore: ContextStore;
  private readonly defaultNames = new Map<string, number>();
  /** What divergence messages read of this execution. */
  private readonly names: Names;
  private finished = false;
  private divergence: string | undefined;
  private callbackError: { callback: string; error: unknown } | undefined;
  private failed: VirtualThread | undefined;
  /** The fair round-robin continuation past the step budget, once it has begun. */
  private fair: FairContinuation | undefined;
  private lastThreadStepAt = 0;
  private drainStartedAt = -1;
  private readonly recorder: StepRecorder | undefined;
  private readonly threadIdList: readonly ThreadId[];
  /** Pending continuations; those that may run now; and who waits on which harness object. */
  private readonly pending = new Set<Continuation>();
  private readonly ready = new ReadySet();
  private readonly watchers = new Map<object, Set<Continuation>>();
  /** Threads whose body has not returned yet. */
  private running = 0;
  private readonly byId = new Map<number, Continuation>();
  private readonly byRequest = new Map<PointRequest, Continuation>();
  private sequenceNumber = 0;
  /** The task that ran the last step, and its thread when it was one. */
  private lastTask: number | undefined;
  /** The task of the last step decision's pick: the round-robin continuation's own place (RoundRobinChooser's cursor). */
  private lastPicked: number | undefined;
  private lastThread: VirtualThread | undefined;
  /** The actor of the step running now, by name, and the threads whose continuations the step started. */
  private actor: string | undefined;
  private readonly stepThreads = new Set<ThreadId>();
  private readonly joins: boolean;
  /** Whether the task that ran the last step now waits in `rt.yield()`, for this step's decisions. */
  private yielding = false;
  private readonly session: Session;
  /** Where the event loop stands: polling (continuations run), or inside its check or timers phase. */
  private readonly loop: EventLoopPosition;
  /** The loop turn offered at the step decision being made, if any (LOOP_DUE or LOOP_EARLY). */
  private offeredLoop: number | undefined;
  /** Set once the execution has been judged and its leftover timers run out: what its code does then is nobody's finding. */
  private unjudged = false;
  /** Under the fair continuation: what the step running now resumed, and the threads whose code armed a timer in it. */
  private fairLabel: { readonly actor: string; readonly timer: boolean; readonly label: string } | undefined;
  private readonly armedBy = new Set<ThreadId>();
  private code: number | undefined;
  private endType: ExecutionEnd['type'] | undefined;
  private readonly resources = new Map<string, number>();
  private readonly rejections: unknown[] = [];
  private readonly afterStepCallback = this.afterStep.bind(this);

  constructor(
    private readonly plan: ExecutionPlan<S>,
    private readonly options: ExecutionOptions,
    private readonly resolve: (result: ExecutionResult) => void,
  ) {
    this.clock = options.clock;
    this.chooser = options.chooser;
    this.recording = options.record;
    this.recorder = options.record ? new StepRecorder() : undefined;
    this.joins = options.joins !== false;
    this.session = options.session ?? { open: true };
    this.setupStore = { clock: this.clock, thread: undefined, owner: this };
    this.threads = plan.threadNames.map((name, id) => new VirtualThread(id, name, { clock: this.clock, owner: this }));
    this.running = this.threads.length;
    this.names = { continuation: (id) => this.byId.get(id), threadName: (thread) => this.threadName(thread), threadCount: this.threads.length };
    this.threadIdList = this.threads.map((t) => t.id);
    this.loop = new EventLoopPosition(options.loopObserver);
  }

  /** Virtual milliseconds since the execution began. */
  get time(): number {
    return this.clock.elapsed;
  }

  begin(): void {
    this.clock.reset();
    this.clock.observer = this.options.loopObserver;
    const heartbeat = this.options.heartbeat;
    if (heartbeat !== undefined) {
      // A new execution: what hangs from now on hangs in its setup, until its first step says otherwise.
      heartbeat[STEP] = 0;
      heartbeat[ACTOR] = SETUP_ACTOR;
      heartbeat[TAPE_LENGTH] = 0;
      heartbeat[JOINED] = 0;
      Atomics.add(heartbeat, BEATS, 1);
    }
    for (const thread of this.threads) this.addContinuation(thread, START);
    try {
      this.runAs(this.setupStore, () => {
        this.runtime = createVirtualRuntime(this);
        this.state = this.plan.setup(this.runtime, this);
        this.monitorList = this.plan.monitors(this.state, this);
      });
      if (this.recording) this.code = codeFingerprint(this.plan.code ?? this.plan.bodies, this.state, [this, this.runtime, this.clock, ...this.primitives]);
    } catch (error) {
      this.finish({ type: 'setup-error', error });
      return;
    }
    whenSettled(this.afterStepCallback);
  }

  // ---- ExecutionOwner: what the code of this execution leaves behind ----------

  noteResource(type: string): void {
    if (this.unjudged) return;
    this.resources.set(type, (this.resources.get(type) ?? 0) + 1);
  }

  noteUncaught(callback: string, error: unknown): void {
    if (this.unjudged) return;
    this.callbackError ??= { callback, error };
  }

  noteArmedBy(thread: ThreadId): void {
    if (this.fair !== undefined) this.armedBy.add(thread);
  }

  noteRejection(reason: unknown): boolean {
    if (!this.session.open) return false;
    // Even once unjudged: Node reports a rejection of the judged part only on a later turn of its loop.
    this.rejections.push(reason);
    return true;
  }

  // ---- VirtualHost -------------------------------------------------------

  currentThread(): ThreadId | undefined {
    const store = currentStore();
    return store?.owner === this ? store.thread : undefined;
  }

  threadName(id: ThreadId | undefined): string {
    return id === undefined ? 'setup/timer code' : (this.threads[id]?.name ?? `thread#${id}`);
  }

  threadIds(): readonly ThreadId[] {
    return this.threadIdList;
  }

  isFinished(id: ThreadId): boolean {
    return this.threads[id]?.finished === true;
  }

  point(request: PointRequest): Promise<void> {
    const thread = this.callingThread(request.op, request.object);
    // Code of an execution that has ended (a chain woken late) parks for good, quietly.
    if (this.finished) return NEVER;
    const continuation = this.addContinuation(thread, request);
    this.recorder?.event(thread.name, 'block', request.op, request.object);
    return new Promise((resolve) => {
      continuation.gate = resolve;
    });
  }

  /**
   * `rt.yield()`: an immediate in the clock's queue, as realRuntime's
   * `setImmediate` is, that resumes the thread's continuation when a check
   * phase runs it — first in, first out with every other immediate (law c),
   * in a step of its own (law b).
   */
  yield(): Promise<void> {
    const thread = this.callingThread('yield');
    if (this.finished) return NEVER;
    const continuation = this.addContinuation(thread, YIELD);
    this.clock.create('immediate', noop, 0, [], thread.store, continuation.id);
    this.recorder?.event(thread.name, 'block', 'yield');
    return new Promise((resolve) => {
      continuation.gate = resolve;
    });
  }

  sleep(ms: number): Promise<void> {
    const thread = this.callingThread('sleep');
    if (this.finished) return NEVER;
    const label = `sleep(${ms})`;
    const continuation = this.addContinuation(thread, {
      op: 'sleep',
      object: undefined,
      enabled: () => false,
      proceed: () => {},
      blocker: () => ({ waitsFor: label, kind: 'sleep', heldBy: [] }),
    });
    this.clock.create('sleep', () => {}, ms, [], thread.store, continuation.id);
    this.recorder?.event(thread.name, 'block', 'sleep', undefined, String(ms));
    return new Promise((resolve) => {
      continuation.gate = resolve;
    });
  }

  chooseWaiter(waiting: readonly PointRequest[]): number {
    const ids: number[] = [];
    for (const request of waiting) ids.push(this.byRequest.get(request)!.id);
    const sorted = [...ids].sort((a, b) => a - b);
    const picked = this.decide('notify', sorted, sorted.map((id) => this.byId.get(id)!.thread));
    return ids.indexOf(picked);
  }

  record(op: string, type: 'effect' | 'invoke' | 'response', object?: string, value?: string, thread?: ThreadId): void {
    this.recorder?.event(this.threadName(thread ?? this.currentThread()), type, op, object, value);
  }

  stepIndex(): number {
    return this.step;
  }

  sequence(): number {
    return this.sequenceNumber++;
  }

  now(): number {
    return this.clock.performanceNow();
  }

  defaultName(kind: string): string {
    const n = (this.defaultNames.get(kind) ?? 0) + 1;
    this.defaultNames.set(kind, n);
    return `${kind}#${n}`;
  }

  changed(resource: object): void {
    const watching = this.watchers.get(resource);
    if (watching === undefined) return;
    for (const c of watching) {
      if (c.request.enabled()) this.ready.add(c);
      else this.ready.remove(c);
    }
  }

  register(primitive: Primitive): void {
    this.primitives.push(primitive);
  }

  // ---- the step loop ------------------------------------------------------

  /** After a step has settled: check it, then pick and start the next one. */
  private afterStep(): void {
    if (this.finished) return;
    this.actor = undefined;
    if (this.recorder !== undefined) this.recordStep(this.recorder);
    if (this.divergence !== undefined) return this.finish({ type: 'diverged', message: this.divergence });
    if (this.failed !== undefined) return this.finish({ type: 'thread-error', thread: this.failed.id, error: this.failed.error });
    if (this.callbackError !== undefined) return this.finish({ type: 'callback-error', callback: this.callbackError.callback, error: this.callbackError.error });
    for (const monitor of this.monitorList) {
      const verdict = this.detect(() => monitor.afterStep?.(this));
      if (verdict === THREW) return;
      if (verdict !== undefined) return this.finish({ type: 'verdict', verdict, atEnd: false });
    }
    if (this.fair !== undefined && this.fairLabel !== undefined) this.fair.stepped(this.fairStepLabel(this.fairLabel));
    if (this.fair?.wants(this.step) === true) {
      this.fair.observe(this.step, fingerprint(this.threads, this.primitives, this.clock, this.lastPicked, this.plan.progressState?.(this.state) ?? this.state));
    }
    if (this.options.checkReady === true) this.checkReadySet();
    this.scheduleNext();
  }

  private scheduleNext(): void {
    if (this.finished) return;
    // Inside a phase of the event loop, its callbacks run back to back, each a step of its own, in Node's order (laws a and c).
    const due = this.nextInPhase();
    if (due !== undefined) return this.executeTimer(due);
    const allDone = this.running === 0;
    if (allDone && this.drainStartedAt < 0) this.drainStartedAt = this.clock.now;
    const loop = this.loopOffer(allDone);
    if (this.ready.size === 0 && loop === undefined) {
      // A continuation still blocked once every body has returned waits in a promise nobody awaits: it does not keep the execution open.
      if (allDone) return this.end();
      return this.finish({ type: 'stuck' });
    }
    if ((this.step & 255) === 255 && this.options.outOfTime?.() === true) return this.finish({ type: 'out-of-time' });
    if (this.step >= this.options.maxSteps) {
      if (this.fair === undefined) {
        this.fair = new FairContinuation(this.step, Math.max(1, Math.ceil(this.threads.length / 32)));
        if (!this.options.replaying) this.chooser = new RoundRobinChooser();
      } else if (this.step - this.fair.from >= (this.options.fairSteps ?? Math.max(this.options.maxSteps, 1000))) {
        return this.finish(this.fair.verdict(this.step));
      }
    }
    this.yielding = this.lastYielded();
    // The ready set's own arrays, read-only, with the loop's turn appended for the decision only: no copy per step.
    const { ids, tasks } = this.ready;
    if (loop !== undefined) {
      ids.push(loop);
      tasks.push(this.threads.length);
    }
    this.offeredLoop = loop;
    let picked: number;
    try {
      picked = this.decide('step', ids, tasks);
    } finally {
      if (loop !== undefined) {
        ids.pop();
        tasks.pop();
      }
      this.offeredLoop = undefined;
    }
    this.lastPicked = isLoopId(picked) ? this.threads.length : this.byId.get(picked)?.thread;
    if (isLoopId(picked)) {
      this.enterLoop(picked === LOOP_EARLY);
      return this.scheduleNext();
    }
    this.executeContinuation(picked);
  }

  /**
   * Whether the event loop's next turn is a choice now, and of which kind:
   * LOOP_DUE when it has callbacks due (queued immediates, due timers);
   * LOOP_EARLY when it has none but time may move to a timer's deadline —
   * whenever no continuation is ready (time must move), and while only
   * continuations that real Node starts in a macrotask of their own are
   * (real time passes between macrotasks, as much as a busy process makes
   * it). Not while a continuation that real code resumes in the microtasks
   * of the step that freed it (a lock, a permit) is ready.
   */
  private loopOffer(allDone: boolean): number | undefined {
    if (this.clock.hasImmediates() || this.clock.hasDue()) return LOOP_DUE;
    if (this.ready.size > 0 && !this.ready.betweenMacrotasks) return undefined;
    if (!this.clock.hasArmed(!allDone)) return undefined;
    return this.clock.wakeInstants(this.horizon(allDone), 1, !allDone).length > 0 ? LOOP_EARLY : undefined;
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

  /** The scheduler chose the loop's turn: its check phase (none on the loop's first turn, as after Node's main script), then its timers phase. */
  private enterLoop(early: boolean): void {
    const loop = this.loop;
    loop.early = early;
    if (loop.checkFirst) {
      loop.enter('check', this.clock.now);
      this.clock.beginCheckPhase();
    } else {
      this.beginTimersPhase();
    }
  }

  /** The next callback of the phase the loop is in, moving from the check phase to the timers phase to polling; undefined once polling. */
  private nextInPhase(): VirtualTimer | undefined {
    const loop = this.loop;
    if (loop.phase === 'check') {
      const immediate = this.clock.nextImmediate();
      if (immediate !== undefined) return immediate;
      this.beginTimersPhase();
    }
    if (loop.phase === 'timers') {
      const timer = this.clock.nextTimer();
      if (timer !== undefined) return timer;
      loop.enter('poll', this.clock.now);
    }
    return undefined;
  }

  /**
   * The timers phase begins once the loop wakes — punctually, or late: how
   * late is the only choice (law a). A turn taken to let time pass must
   * move it; a turn taken for due callbacks may leave it where it is. While
   * a continuation real code resumes in a step's microtasks is ready, time
   * stays (see loopOffer). Then every timer due by then fires, in Node's
   * order (NodeTimerLists), with nothing else in between.
   */
  private beginTimersPhase(): void {
    const allDone = this.running === 0;
    const early = this.loop.early;
    if (early || this.ready.size === 0 || this.ready.betweenMacrotasks) {
      const instants = this.clock.wakeInstants(this.horizon(allDone), MAX_LATENESS + 1, !allDone);
      if (instants.length > 0) {
        const choice = early ? this.decide('time', LATENESS.slice(0, instants.length), NO_TASKS) : this.decide('time', STILL_OR_LATE.slice(0, instants.length + 1), NO_TASKS);
        if (choice !== TIME_STILL) this.clock.advanceTo(instants[choice]!);
      }
    }
    this.loop.enter('timers', this.clock.now);
    this.clock.beginTimersPhase();
  }

  /** The ready set, kept by events, must be exactly what a scan of every pending continuation finds. */
  private checkReadySet(): void {
    const scanned = [...this.pending].filter((c) => c.request.enabled()).map((c) => c.id).sort((a, b) => a - b);
    const kept = [...this.ready.ids].sort((a, b) => a - b);
    if (scanned.join() !== kept.join()) throw new Error(`internal: ready set [${kept.join()}] but scan finds [${scanned.join()}] after step ${this.step}`);
  }

  /** Did the task that ran the last step end it waiting in `rt.yield()`? */
  private lastYielded(): boolean {
    const last = this.lastThread;
    if (last === undefined) return false;
    for (const c of last.continuations) if (c.request.op === 'yield' && c.createdStep === this.step) return true;
    return false;
  }

  /** Asks the chooser, records the choice, and notes a replay that left its recorded path. */
  private decide(kind: DecisionKind, candidates: readonly number[], tasks: readonly number[], sameOp: readonly boolean[] = NO_FLAGS): number {
    let picked = this.chooser.choose({ kind, candidates, tasks, sameOp, last: this.lastTask, yielding: this.yielding, threads: this.threads.length });
    const recorded = this.options.recordedKinds?.[this.log.length];
    if (recorded !== undefined && recorded !== kind && this.divergence === undefined) {
      this.divergence = `at step ${this.step + (kind === 'step' ? 1 : 0)} the recorded schedule's choice #${this.log.length + 1} is a ${recorded} decision, but this run asks for a ${kind} decision there: the run fell out of step with its recording`;
    }
    const valid =
      (candidates === this.ready.ids ? this.ready.includes(picked) || (picked === this.offeredLoop && picked !== undefined) : candidates.includes(picked)) ||
      (kind === 'join' && picked === JOIN_STOP);
    if (!valid) {
      const at = `at step ${this.step + (kind === 'step' ? 1 : 0)}`;
      this.divergence ??=
        picked === TAPE_END
          ? `the replay ran past the end of its recorded schedule ${at}`
          : `${at} ${divergence(kind, picked, candidates, this.names)}`;
      picked = kind === 'join' ? JOIN_STOP : candidates[0]!;
    }
    this.log.push(picked, kind, this.step);
    const heartbeat = this.options.heartbeat;
    if (heartbeat !== undefined) {
      const n = this.log.length;
      if (n <= heartbeat.length - TAPE) heartbeat[TAPE + n - 1] = picked;
      heartbeat[TAPE_LENGTH] = n;
    }
    return picked;
  }

  private executeContinuation(id: number): void {
    this.step++;
    const first = this.byId.get(id)!;
    if (this.options.heartbeat !== undefined) this.beat(first.thread, first.request.op);
    const thread = this.threads[first.thread]!;
    this.noteActor(thread);
    // What real Node resumes from a callback of its own (a yield's immediate, a sleep's timer) is a timer step, never here: law b.
    const joined = this.joins ? this.chooseJoins(first) : NO_JOINS;
    this.options.loopObserver?.continuationStep(first.request.op, joined.map((j) => j.continuation.request.op));
    this.beginStep(thread.name, 'thread', () => first.label, () => stepNote(first, thread));
    this.resume(first);
    if (joined.length > 0) this.startJoined(joined, 0);
    whenSettled(this.afterStepCallback);
  }

  /** A timer or immediate of the phase in progress: a step of its own (microtasks drain after each, as Node's runNextTicks does). */
  private executeTimer(timer: VirtualTimer): void {
    this.step++;
    if (this.options.heartbeat !== undefined) {
      // A yield's immediate or a sleep's timer resumes its thread: if the step never settles, that thread's code hung.
      const resumed = timer.sleeper === undefined ? undefined : this.byId.get(timer.sleeper);
      if (resumed !== undefined) this.beat(resumed.thread, resumed.request.op);
      else this.beat(-1 - timer.seq, 'timer');
    }
    this.options.loopObserver?.timerStep(timer.seq);
    this.fire(timer);
    this.clock.afterFired(timer);
    whenSettled(this.afterStepCallback);
  }

  /** Tells a watchdog the step has begun, and whose: if it never settles, this is what hung. */
  private beat(actor: number, op: string): void {
    const heartbeat = this.options.heartbeat!;
    heartbeat[STEP] = this.step;
    heartbeat[ACTOR] = actor;
    heartbeat[OPERATION] = operationCode(op);
    heartbeat[JOINED] = 0;
    Atomics.add(heartbeat, BEATS, 1);
  }

  /** A continuation joined the step: if the step never settles, this one (the last to start) is the likelier culprit. No new beat: it is the same step. */
  private beatJoined(c: Continuation): void {
    const heartbeat = this.options.heartbeat!;
    heartbeat[ACTOR] = c.thread;
    heartbeat[OPERATION] = operationCode(c.request.op);
    heartbeat[JOINED] = (heartbeat[JOINED] ?? 0) + 1;
  }

  private noteActor(thread: VirtualThread): void {
    this.lastTask = thread.id;
    this.lastThread = thread;
    this.lastThreadStepAt = this.clock.now;
    this.actor = thread.name;
    this.stepThreads.clear();
    this.stepThreads.add(thread.id);
  }

  /** Which other enabled continuations start in this macrotask, in order, and at which offsets: a choice like any other. */
  private chooseJoins(first: Continuation): readonly Joined[] {
    let ids: number[] | undefined;
    let tasks: number[] | undefined;
    let sameOp: boolean[] | undefined;
    let others: Continuation[] | undefined;
    const op = first.request.op;
    const ready = this.ready;
    // At most MAX_JOIN_CANDIDATES, the next ones after the first in the ready order (cyclically): with thousands of threads ready,
    // a step must not cost a look at every one of them. With fewer ready, that is all of them, in id order.
    const n = ready.size;
    const from = ready.indexOf(first.id);
    const chosen: number[] = [];
    for (let k = 1; k < n && chosen.length < MAX_JOIN_CANDIDATES; k++) chosen.push((from + k) % n);
    chosen.sort((a, b) => a - b);
    for (const i of chosen) {
      const c = ready.continuations[i]!;
      if (c === first) continue;
      (ids ??= []).push(c.id);
      (tasks ??= []).push(c.thread);
      (sameOp ??= []).push(c.request.op === op);
      (others ??= []).push(c);
    }
    // Asked even with nothing else enabled (a forced "none"), so that every continuation step that may join has the same shape on the tape.
    if (ids === undefined) {
      this.decide('join', NO_TASKS, NO_TASKS);
      return NO_JOINS;
    }
    const joined: Joined[] = [];
    for (;;) {
      const id = this.decide('join', ids, tasks!, sameOp);
      if (id === JOIN_STOP) break;
      const offset = this.decide('offset', OFFSETS, NO_TASKS);
      const i = ids.indexOf(id);
      joined.push({ continuation: others![i]!, offset });
      for (const list of [ids, tasks!, sameOp!, others!] as unknown[][]) list.splice(i, 1);
    }
    return joined;
  }

  /**
   * Starts the joined continuations one after the other, each `offset`
   * microtask turns after the one before, as code that starts several
   * operations in one macrotask does (`Promise.all([q.take(), q.take()])`:
   * offset 0). One that can no longer proceed when its turn comes (another
   * took the lock meanwhile) stays where it is.
   */
  private startJoined(joined: readonly Joined[], i: number): void {
    const { continuation, offset } = joined[i]!;
    afterMicrotasks(offset, () => {
      const started = continuation.pending && continuation.request.enabled();
      this.recorder?.joined(this.threadName(continuation.thread), continuation.label, offset, started);
      if (started) {
        this.stepThreads.add(continuation.thread);
        if (this.options.heartbeat !== undefined) this.beatJoined(continuation);
        this.resume(continuation);
      }
      if (i + 1 < joined.length) this.startJoined(joined, i + 1);
    });
  }

  private resume(continuation: Continuation): void {
    this.remove(continuation);
    if (continuation.request === START) return this.start(this.threads[continuation.thread]!);
    continuation.request.proceed();
    const gate = continuation.gate!;
    continuation.gate = null;
    gate();
  }

  private start(thread: VirtualThread): void {
    thread.body = 'running';
    this.runAs(thread.store, runThreadBody, this, thread).then(
      () => {
        thread.body = 'done';
        thread.settledStep = this.step;
        this.running--;
        this.recorder?.event(thread.name, 'done', 'return');
      },
      (error: unknown) => {
        thread.body = 'failed';
        thread.settledStep = this.step;
        thread.error = error;
        this.failed ??= thread;
        this.recorder?.event(thread.name, 'error', 'throw', undefined, errorLine(error));
      },
    );
  }

  /** Calls a thread's body; a synchronous throw becomes a rejection like any other. */
  runBody(thread: VirtualThread): Promise<unknown> {
    try {
      return Promise.resolve(this.plan.bodies[thread.id]!(this.state, this.runtime, this));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private fire(timer: VirtualTimer): void {
    if (timer.sleeper !== undefined) {
      const continuation = this.byId.get(timer.sleeper)!;
      const thread = this.threads[continuation.thread]!;
      this.noteActor(thread);
      this.beginStep(thread.name, 'thread', () => (timer.kind === 'immediate' ? 'yield' : `sleep(${timer.delay})`), () => stepNote(continuation, thread));
      return this.resume(continuation);
    }
    const name = `timer#${timer.seq}`;
    // Its own task, past the threads' and the loop's (threads.length): a timer callback is nobody's continuation.
    this.lastTask = this.threads.length + 1 + timer.seq;
    this.lastThread = undefined;
    this.actor = name;
    this.stepThreads.clear();
    this.beginStep(name, 'timer', () => (timer.kind === 'immediate' ? 'setImmediate' : `${timer.kind === 'interval' ? 'setInterval' : 'setTimeout'}(${timer.delay})`));
    // A timer callback runs in the async context that created it, as it does under Node.
    this.runAs(timer.store ?? this.setupStore, () => {
      try {
        timer.callback(...timer.args);
      } catch (error) {
        this.callbackError ??= { callback: `${name} (a timer callback)`, error };
      }
    });
  }

  private runAs<A extends unknown[], R>(store: ContextStore, fn: (...args: A) => R, ...args: A): R {
    return executionContext.run(store, fn, ...args);
  }

  /**
   * Runs a detector, which calls into the scenario (its `size`, `invariant`,
   * `final`...): whatever that code throws ends the execution as a finding,
   * never a crash of the harness. Detectors that know which callback threw
   * say so themselves.
   */
  private detect(run: () => Verdict | undefined): Verdict | undefined | typeof THREW {
    try {
      return run();
    } catch (error) {
      this.finish({ type: 'callback-error', callback: "the scenario's code, called by a detector after the step,", error });
      return THREW;
    }
  }

  private end(): void {
    for (const monitor of this.monitorList) {
      const verdict = this.detect(() => monitor.atEnd?.(this));
      if (verdict === THREW) return;
      if (verdict !== undefined) return this.finish({ type: 'verdict', verdict, atEnd: true });
    }
    this.finish({ type: 'completed' });
  }

  private finish(end: ExecutionEnd): void {
    if (this.finished) return;
    this.finished = true;
    this.endType = end.type;
    // Parked code stays parked forever; drop the gates so nothing here keeps it alive.
    for (const c of this.pending) c.gate = null;
    const log = this.log;
    this.resolve({
      end,
      step: this.step,
      // Read only when wanted (a failure to report, a minimisation): most executions pass, and their tapes are dropped unread.
      get tape() {
        return log.choices();
      },
      get kinds() {
        return log.kinds();
      },
      get decisionSteps() {
        return log.steps();
      },
      steps: this.recorder?.steps ?? [],
      view: this,
      state: this.state,
      resources: this.resources,
      rejections: this.rejections,
      code: this.code,
      runOut: () => this.runOut(),
    });
  }

  /** See ExecutionResult.runOut: Node's phases, punctually, with nothing judged, recorded or chosen. */
  private async runOut(): Promise<void> {
    if (this.unjudged) return;
    this.unjudged = true;
    this.clock.observer = undefined;
    // A passing execution has had its drain, judged; what is left (intervals, timeouts past the horizon) stays, as it always did.
    if (this.endType === 'completed') return;
    const limit = this.clock.now + DRAIN_HORIZON_MS;
    let budget = RUN_OUT_CALLBACKS;
    const settled = (): Promise<void> => new Promise((resolve) => whenSettled(resolve));
    for (;;) {
      this.clock.beginCheckPhase();
      for (let t = this.clock.nextImmediate(); t !== undefined && budget > 0; t = this.clock.nextImmediate(), budget--) {
        this.fireQuietly(t);
        await settled();
      }
      this.clock.beginTimersPhase();
      for (let t = this.clock.nextTimer(); t !== undefined && budget > 0; t = this.clock.nextTimer(), budget--) {
        this.fireQuietly(t);
        this.clock.afterFired(t);
        await settled();
      }
      if (budget <= 0) return;
      if (this.clock.hasImmediates() || this.clock.hasDue()) continue;
      const next = this.clock.wakeInstants(limit, 1, false)[0];
      if (next === undefined) return;
      this.clock.advanceTo(next);
    }
  }

  /** A leftover callback of a judged execution: a sleep's thread is over, so only timer and immediate callbacks run, and what they throw is dropped. */
  private fireQuietly(timer: VirtualTimer): void {
    if (timer.sleeper !== undefined) return;
    this.runAs(timer.store ?? this.setupStore, () => {
      try {
        timer.callback(...timer.args);
      } catch {
        // Unjudged: the execution's verdict is already given.
      }
    });
  }

  // ---- continuations -----------------------------------------------------

  /** A new pending continuation of `thread` (its id: see ids.ts). */
  private addContinuation(thread: VirtualThread, request: PointRequest): Continuation {
    // Code of a thread the step did not start runs here only because another's code ran it (a release that runs the next task).
    const during = this.actor !== undefined && !this.stepThreads.has(thread.id) ? this.actor : undefined;
    const id = continuationId(thread.created++, this.threads.length, thread.id);
    const continuation = new Continuation(id, thread.id, request, this.step, during);
    thread.continuations.push(continuation);
    this.pending.add(continuation);
    this.byId.set(continuation.id, continuation);
    // Only points on harness objects are ever looked up by request (a notify's waiters); pauses and yields share one request object.
    if (request.resources !== undefined) this.byRequest.set(request, continuation);
    for (const resource of request.resources ?? NO_RESOURCES) {
      let watching = this.watchers.get(resource);
      if (watching === undefined) this.watchers.set(resource, (watching = new Set()));
      watching.add(continuation);
    }
    if (request.enabled()) this.ready.add(continuation);
    return continuation;
  }

  private remove(continuation: Continuation): void {
    continuation.pending = false;
    this.ready.remove(continuation);
    for (const resource of continuation.request.resources ?? NO_RESOURCES) this.watchers.get(resource)?.delete(continuation);
    this.pending.delete(continuation);
    removeFrom(this.threads[continuation.thread]!.continuations, continuation);
    this.byId.delete(continuation.id);
    if (continuation.request.resources !== undefined) this.byRequest.delete(continuation.request);
  }

  private callingThread(op: string, object?: string): VirtualThread {
    const store = currentStore();
    const what = object === undefined ? `${op}()` : `${op}() on '${object}'`;
    if (store?.owner !== this) {
      throw new HarnessUsageError(`${what} was called outside the execution that created it (a runtime kept after its execution ended?).`);
    }
    if (store.thread === undefined) {
      throw new HarnessUsageError(`${what} was called from setup or a timer callback set up by it; only threads may wait at a scheduling point.`);
    }
    return this.threads[store.thread]!;
  }

  // ---- recording ---------------------------------------------------------

  /** What the step resumed, and why it may surprise, are worded only when someone reads them: a trace, or a livelock's cycle. */
  private beginStep(actor: string, actorKind: 'thread' | 'timer', resumed: () => string, note?: () => string | undefined): void {
    this.fairLabel = undefined;
    if (this.fair === undefined && this.recorder === undefined) return;
    const label = resumed();
    if (this.fair !== undefined) {
      this.fairLabel = { actor, timer: actorKind === 'timer', label };
      this.armedBy.clear();
    }
    this.recorder?.beginStep(actor, actorKind, label, note?.());
  }

  /**
   * How a step of the fair continuation reads in a livelock's cycle. A timer
   * callback in whose step a thread's code armed a timer is that thread's
   * doing (a poll loop: the body went on and waits again), and the cycle is
   * the thread's livelock; one that only fires (a heartbeat interval while
   * the threads are deadlocked) stays `timer#N`, and a cycle of those alone
   * is a deadlock with a timer armed.
   */
  private fairStepLabel(step: { readonly actor: string; readonly timer: boolean; readonly label: string }): string {
    if (!step.timer || this.armedBy.size === 0) return `${step.actor}: ${step.label}`;
    return `${[...this.armedBy].map((t) => this.threadName(t)).join(', ')} (${step.actor}): ${step.label}`;
  }

  private recordStep(recorder: StepRecorder): void {
    const threadsAfter: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const t of this.threads) threadsAfter[t.name] = describeThread(t, this);
    recorder.endStep(this.step, threadsAfter, () => snapshotOf(this.primitives, this, this.clock.elapsed, this.plan.buffer?.(this.state)));
  }
}

function removeFrom<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}

function runThreadBody<S>(execution: Execution<S>, thread: VirtualThread): Promise<unknown> {
  return execution.runBody(thread);
}
