import { HarnessUsageError, type PointRequest, type Primitive, type ThreadId, type VirtualHost } from '../runtime/virtual/host.ts';
import { createVirtualRuntime } from '../runtime/virtual/runtime.ts';
import type { Runtime } from '../runtime/types.ts';
import { errorLine } from '../trace/index.ts';
import type { VirtualClock, VirtualTimer } from './clock.ts';
import { codeFingerprint } from './codeFingerprint.ts';
import { executionContext, currentStore, type ContextStore, type ExecutionOwner } from './context.ts';
import type { Continuation } from './continuation.ts';
import { VirtualThread } from './continuation.ts';
import { DecisionLayer } from './decisions.ts';
import { describeThread, stepNote } from './describeThread.ts';
import type { Names } from './divergence.ts';
import { DRAIN_HORIZON_MS, EventLoop } from './eventLoop.ts';
import { FairChooser, FairContinuation } from './fairContinuation.ts';
import { fingerprint } from './fingerprint.ts';
import { installRouting } from './globals.ts';
import { isLoopId, LOOP_EARLY } from './ids.ts';
import { chooseJoins, NO_JOINS, startJoined, type Joined } from './joins.ts';
import type { ExecutionView, Monitor, Verdict } from './monitor.ts';
import type { ExecutionObserver } from './observer.ts';
import type { ExecutionEnd, ExecutionOptions, ExecutionPlan, ExecutionResult, Session } from './plan.ts';
import { whenSettled } from './quiescence.ts';
import { StepRecorder } from './recorder.ts';
import { ContinuationRegistry } from './registry.ts';
import { snapshotOf } from './snapshot.ts';

export type { ExecutionEnd, ExecutionOptions, ExecutionPlan, ExecutionResult, Session } from './plan.ts';

installRouting();

/** A thread's first continuation: its body starts when the scheduler picks it, in a macrotask of its own. */
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
const THREW = Symbol('threw');
/** Callbacks an unjudged run-out fires at most: a timer chain that reschedules itself for ever must not hold the next execution up. */
const RUN_OUT_CALLBACKS = 10_000;
const NEVER = new Promise<void>(() => {});

/** Runs one execution of a plan to its end. Past its step budget, the fair continuation chooses (fairContinuation.ts); a replay's tape already holds its choices. */
export function runExecution<S>(plan: ExecutionPlan<S>, options: ExecutionOptions): Promise<ExecutionResult> {
  return new Promise((resolve) => new Execution(plan, options, resolve).begin());
}

/**
 * One execution: the step loop. After a step has settled (every microtask
 * and tick drained), the detectors judge it; then the next step is chosen
 * among the ready continuations and the event loop's turn, through the
 * decision layer (decisions.ts), and run. Which continuations exist and may
 * run is the registry's (registry.ts); what starts in the same macrotask,
 * joins.ts's; the loop's phases and how far time moves, eventLoop.ts's.
 */
class Execution<S> implements VirtualHost, ExecutionView, ExecutionOwner {
  step = 0;
  readonly threads: VirtualThread[];
  readonly primitives: Primitive[] = [];
  readonly recording: boolean;

  private state!: S;
  private runtime!: Runtime;
  private monitorList: readonly Monitor[] = [];
  private readonly decisions: DecisionLayer;
  private readonly registry: ContinuationRegistry;
  private readonly loop: EventLoop;
  private readonly clock: VirtualClock;
  private readonly observer: ExecutionObserver | undefined;
  private readonly setupStore: ContextStore;
  private readonly defaultNames = new Map<string, number>();
  private finished = false;
  private callbackError: { callback: string; error: unknown } | undefined;
  private failed: VirtualThread | undefined;
  /** The fair continuation's evidence past the step budget, once it has begun. */
  private fair: FairContinuation | undefined;
  private readonly recorder: StepRecorder | undefined;
  private readonly threadIdList: readonly ThreadId[];
  /** Threads whose body has not returned yet. */
  private running = 0;
  private sequenceNumber = 0;
  /** The task of the last step decision's pick: the round-robin continuation's own place (RoundRobinChooser's cursor). */
  private lastPicked: number | undefined;
  private lastThread: VirtualThread | undefined;
  /** The actor of the step running now, by name, and the threads whose continuations the step started. */
  private actor: string | undefined;
  private readonly stepThreads = new Set<ThreadId>();
  private readonly joins: boolean;
  private readonly session: Session;
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
  private readonly isReady = (id: number): boolean => this.registry.ready.includes(id) || id === this.offeredLoop;
  /** The loop turn offered at the step decision being made, if any (LOOP_DUE or LOOP_EARLY). */
  private offeredLoop: number | undefined;

  constructor(
    private readonly plan: ExecutionPlan<S>,
    private readonly options: ExecutionOptions,
    private readonly resolve: (result: ExecutionResult) => void,
  ) {
    this.clock = options.clock;
    this.observer = options.observer;
    this.recording = options.record;
    this.recorder = options.record ? new StepRecorder() : undefined;
    this.joins = options.joins !== false;
    this.session = options.session ?? { open: true };
    this.setupStore = { clock: this.clock, thread: undefined, owner: this };
    this.threads = plan.threadNames.map((name, id) => new VirtualThread(id, name, { clock: this.clock, owner: this }));
    this.running = this.threads.length;
    this.threadIdList = this.threads.map((t) => t.id);
    this.registry = new ContinuationRegistry(this.threads.length);
    const names: Names = { continuation: (id) => this.registry.get(id), threadName: (thread) => this.threadName(thread), threadCount: this.threads.length };
    const chooser = options.replaying ? options.chooser : new FairChooser(options.chooser, options.maxSteps);
    this.decisions = new DecisionLayer(chooser, this.threads.length, names, options.recordedKinds, this.observer);
    this.loop = new EventLoop(this.clock, this.registry.ready, this.decisions, options.loopObserver);
  }

  /** Virtual milliseconds since the execution began. */
  get time(): number {
    return this.clock.elapsed;
  }

  begin(): void {
    this.clock.reset();
    this.clock.observer = this.options.loopObserver;
    this.observer?.began?.();
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
    this.clock.create('sleep', noop, ms, [], thread.store, continuation.id);
    this.recorder?.event(thread.name, 'block', 'sleep', undefined, String(ms));
    return new Promise((resolve) => {
      continuation.gate = resolve;
    });
  }

  chooseWaiter(waiting: readonly PointRequest[]): number {
    const ids: number[] = [];
    for (const request of waiting) ids.push(this.registry.ofRequest(request)!.id);
    const sorted = [...ids].sort((a, b) => a - b);
    const picked = this.decisions.notify(sorted, sorted.map((id) => this.registry.get(id)!.thread));
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
    this.registry.changed(resource);
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
    const diverged = this.decisions.divergence;
    if (diverged !== undefined) return this.finish({ type: 'diverged', message: diverged });
    if (this.failed !== undefined) return this.finish({ type: 'thread-error', thread: this.failed.id, error: this.failed.error });
    if (this.callbackError !== undefined) return this.finish({ type: 'callback-error', callback: this.callbackError.callback, error: this.callbackError.error });
    for (const monitor of this.monitorList) {
      const verdict = this.detect(() => monitor.afterStep?.(this));
      if (verdict === THREW) return;
      if (verdict !== undefined) return this.finish({ type: 'verdict', verdict, atEnd: false });
    }
    const fair = this.fair;
    if (fair !== undefined) {
      if (this.fairLabel !== undefined) fair.stepped(this.fairStepLabel(this.fairLabel));
      if (fair.wants(this.step)) fair.observe(this.step, fingerprint(this.threads, this.primitives, this.clock, this.lastPicked, this.plan.progressState?.(this.state) ?? this.state));
    }
    if (this.options.checkReady === true) this.registry.check(this.step);
    this.scheduleNext();
  }

  private scheduleNext(): void {
    if (this.finished) return;
    const allDone = this.running === 0;
    // Inside a phase of the event loop, its callbacks run back to back, each a step of its own, in Node's order (laws a and c).
    const due = this.loop.nextInPhase(allDone);
    if (due !== undefined) return this.executeTimer(due);
    const loop = this.loop.offer(allDone);
    const ready = this.registry.ready;
    if (ready.size === 0 && loop === undefined) {
      // A continuation still blocked once every body has returned waits in a promise nobody awaits: it does not keep the execution open.
      if (allDone) return this.end();
      return this.finish({ type: 'stuck' });
    }
    if ((this.step & 255) === 255 && this.options.outOfTime?.() === true) return this.finish({ type: 'out-of-time' });
    if (this.step >= this.options.maxSteps) {
      if (this.fair === undefined) {
        this.fair = new FairContinuation(this.step, Math.max(1, Math.ceil(this.threads.length / 32)));
      } else if (this.step - this.fair.from >= (this.options.fairSteps ?? Math.max(this.options.maxSteps, 1000))) {
        return this.finish(this.fair.verdict(this.step));
      }
    }
    const decisions = this.decisions;
    decisions.yielding = this.lastYielded();
    // The ready set's own arrays, read-only, with the loop's turn appended for the decision only: no copy per step.
    const { ids, tasks } = ready;
    if (loop !== undefined) {
      ids.push(loop);
      tasks.push(this.loop.taskOf(this.threads.length));
    }
    this.offeredLoop = loop;
    let picked: number;
    try {
      picked = decisions.step(ids, tasks, this.isReady);
    } finally {
      if (loop !== undefined) {
        ids.pop();
        tasks.pop();
      }
      this.offeredLoop = undefined;
    }
    if (isLoopId(picked)) {
      this.lastPicked = this.threads.length;
      this.loop.enter(picked === LOOP_EARLY, allDone);
      return this.scheduleNext();
    }
    const first = this.registry.get(picked)!;
    this.lastPicked = first.thread;
    this.executeContinuation(first);
  }

  /** Did the task that ran the last step end it waiting in `rt.yield()`? */
  private lastYielded(): boolean {
    const last = this.lastThread;
    if (last === undefined) return false;
    for (const c of last.continuations) if (c.request === YIELD && c.createdStep === this.step) return true;
    return false;
  }

  private beginStepCount(): void {
    this.step++;
    this.decisions.stepCount = this.step;
  }

  private executeContinuation(first: Continuation): void {
    this.beginStepCount();
    this.observer?.stepBegan?.(this.step, first.thread, first.request.op);
    const thread = this.threads[first.thread]!;
    this.noteActor(thread);
    // What real Node resumes from a callback of its own (a yield's immediate, a sleep's timer) is a timer step, never here: law b.
    const joined = this.joins ? chooseJoins(first, this.registry.ready, this.decisions) : NO_JOINS;
    this.options.loopObserver?.continuationStep(first.request.op, joined.map((j) => j.continuation.request.op));
    this.beginStep(thread.name, 'thread', () => first.label, () => stepNote(first, thread));
    this.resume(first);
    if (joined.length > 0) startJoined(joined, this.startJoinedOne);
    whenSettled(this.afterStepCallback);
  }

  /** A joined continuation's turn has come: it starts unless it can no longer proceed (another took the lock meanwhile). */
  private readonly startJoinedOne = ({ continuation, offset }: Joined): void => {
    const started = continuation.pending && continuation.request.enabled();
    this.recorder?.joined(this.threadName(continuation.thread), continuation.label, offset, started);
    if (!started) return;
    this.stepThreads.add(continuation.thread);
    this.observer?.joined?.(continuation.thread, continuation.request.op);
    this.resume(continuation);
  };

  /** A timer or immediate of the phase in progress: a step of its own (microtasks drain after each, as Node's runNextTicks does). */
  private executeTimer(timer: VirtualTimer): void {
    this.beginStepCount();
    if (this.observer?.stepBegan !== undefined) {
      // A yield's immediate or a sleep's timer resumes its thread: if the step never settles, that thread's code hung.
      const resumed = timer.sleeper === undefined ? undefined : this.registry.get(timer.sleeper);
      if (resumed !== undefined) this.observer.stepBegan(this.step, resumed.thread, resumed.request.op);
      else this.observer.stepBegan(this.step, -1 - timer.seq, 'timer');
    }
    this.options.loopObserver?.timerStep(timer.seq);
    this.fire(timer);
    this.clock.afterFired(timer);
    whenSettled(this.afterStepCallback);
  }

  private noteActor(thread: VirtualThread): void {
    this.decisions.last = thread.id;
    this.lastThread = thread;
    this.loop.lastThreadStepAt = this.clock.now;
    this.actor = thread.name;
    this.stepThreads.clear();
    this.stepThreads.add(thread.id);
  }

  private resume(continuation: Continuation): void {
    this.registry.remove(continuation, this.threads[continuation.thread]!);
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
      const continuation = this.registry.get(timer.sleeper)!;
      const thread = this.threads[continuation.thread]!;
      this.noteActor(thread);
      this.beginStep(thread.name, 'thread', () => (timer.kind === 'immediate' ? 'yield' : `sleep(${timer.delay})`), () => stepNote(continuation, thread));
      return this.resume(continuation);
    }
    const name = `timer#${timer.seq}`;
    // Its own task, past the threads' and the loop's (threads.length): a timer callback is nobody's continuation.
    this.decisions.last = this.threads.length + 1 + timer.seq;
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
    for (const c of this.registry.pending()) c.gate = null;
    const log = this.decisions.log;
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

  private addContinuation(thread: VirtualThread, request: PointRequest): Continuation {
    // Code of a thread the step did not start runs here only because another's code ran it (a release that runs the next task).
    const during = this.actor !== undefined && !this.stepThreads.has(thread.id) ? this.actor : undefined;
    return this.registry.add(thread, request, this.step, during);
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

function runThreadBody<S>(execution: Execution<S>, thread: VirtualThread): Promise<unknown> {
  return execution.runBody(thread);
}
