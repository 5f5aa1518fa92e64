import { HarnessUsageError, type Blocker, type PointRequest, type Primitive, type ThreadId, type VirtualHost } from '../runtime/virtual/host.ts';
import { createVirtualRuntime } from '../runtime/virtual/runtime.ts';
import type { Runtime } from '../runtime/types.ts';
import type { TraceStep } from '../trace/index.ts';
import { RoundRobinChooser, type Chooser } from './chooser.ts';
import type { VirtualClock, VirtualTimer } from './clock.ts';
import { currentStore, executionContext, setDirectStore, type ContextStore } from './context.ts';
import { installRouting } from './globals.ts';
import type { ExecutionView, Monitor, ThreadStatus, ThreadView, Verdict } from './monitor.ts';
import { findRepeatingCycle } from './cycle.ts';
import { whenSettled } from './quiescence.ts';
import { snapshotOf } from './snapshot.ts';
import { StepRecorder } from './recorder.ts';

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
  /** Record a trace step by step. */
  readonly record: boolean;
  /**
   * Run in direct mode (no async context; see context.ts). The execution ends
   * with `needs-context` as soon as a thread parks on an ordinary promise, to
   * be run again with async context.
   */
  readonly direct?: boolean;
  /** Decisions to take as recorded before the chooser is asked: the part of a direct run to repeat with async context. */
  readonly prefix?: readonly number[];
}

/** How an execution ended. */
export type ExecutionEnd =
  | { readonly type: 'completed' }
  /** No thread can step, no timer is due, and some thread has not finished. */
  | { readonly type: 'stuck' }
  | { readonly type: 'verdict'; readonly verdict: Verdict }
  | { readonly type: 'thread-error'; readonly thread: ThreadId; readonly error: unknown }
  | { readonly type: 'timer-error'; readonly timer: string; readonly error: unknown }
  | { readonly type: 'step-limit'; readonly repeating: readonly string[] }
  | { readonly type: 'diverged'; readonly message: string }
  | { readonly type: 'setup-error'; readonly error: unknown }
  /** In direct mode, a thread parked on an ordinary promise: the steps from here on need async context. */
  | { readonly type: 'needs-context' };

export interface ExecutionResult {
  readonly end: ExecutionEnd;
  /** The step at which it ended. */
  readonly step: number;
  /** Every choice made, in order: the replay tape. */
  readonly tape: readonly number[];
  /** Recorded steps, when asked for. */
  readonly steps: readonly TraceStep[];
  /** The execution as it stood at its end, for classifying a stuck run. */
  readonly view: ExecutionView;
  readonly state: unknown;
}

/** Once every thread is done, timeouts and immediates keep firing for at most this long. */
const DRAIN_HORIZON_MS = 60 * 60 * 1000;

class VirtualThread implements ThreadView {
  status: ThreadStatus = 'start';
  request: PointRequest | null = START;
  gate: (() => void) | null = null;
  error: unknown = undefined;
  readonly store: ContextStore;

  constructor(
    readonly id: ThreadId,
    readonly name: string,
    clock: VirtualClock,
    owner: object,
  ) {
    this.store = { clock, thread: id, owner };
  }

  get op(): string | undefined {
    return this.request?.op;
  }

  get object(): string | undefined {
    return this.request?.object;
  }

  get enabled(): boolean {
    return (this.status === 'point' || this.status === 'start') && this.request!.enabled();
  }

  blocker(): Blocker | undefined {
    return this.status === 'point' && !this.request!.enabled() ? this.request!.blocker() : undefined;
  }
}

const START: PointRequest = {
  op: 'start',
  enabled: () => true,
  proceed: () => {},
  blocker: () => ({ waitsFor: 'start', kind: 'other', heldBy: [] }),
};

/** Runs one execution of a plan to its end. */
export function runExecution<S>(plan: ExecutionPlan<S>, options: ExecutionOptions): Promise<ExecutionResult> {
  return new Promise((resolve) => new Execution(plan, options, resolve).begin());
}

class Execution<S> implements VirtualHost, ExecutionView {
  step = 0;
  readonly threads: VirtualThread[];
  readonly primitives: Primitive[] = [];
  readonly recording: boolean;

  private state!: S;
  private runtime!: Runtime;
  private monitorList: readonly Monitor[] = [];
  private chooser: Chooser;
  private readonly tape: number[] = [];
  private readonly clock: VirtualClock;
  private readonly setupStore: ContextStore;
  private readonly names = new Map<string, number>();
  private finished = false;
  private divergence: string | undefined;
  private timerError: { timer: string; error: unknown } | undefined;
  private failed: VirtualThread | undefined;
  private continuationFrom = -1;
  private continuationLabels: string[] = [];
  private lastThreadStepAt = 0;
  private drainStartedAt = -1;
  private readonly recorder: StepRecorder | undefined;
  private readonly threadIdList: readonly ThreadId[];
  private readonly direct: boolean;
  private lastThread: VirtualThread | undefined;
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
    this.direct = options.direct === true;
    this.setupStore = { clock: this.clock, thread: undefined, owner: this };
    this.threads = plan.threadNames.map((name, id) => new VirtualThread(id, name, this.clock, this));
    this.threadIdList = this.threads.map((t) => t.id);
  }

  get time(): number {
    return this.clock.now;
  }

  begin(): void {
    this.clock.reset();
    try {
      this.runAs(this.setupStore, () => {
        this.runtime = createVirtualRuntime(this);
        this.state = this.plan.setup(this.runtime, this);
        this.monitorList = this.plan.monitors(this.state, this);
      });
    } catch (error) {
      this.finish({ type: 'setup-error', error });
      return;
    }
    whenSettled(this.afterStepCallback);
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
    const status = this.threads[id]?.status;
    return status === 'done' || status === 'failed';
  }

  point(request: PointRequest): Promise<void> {
    const thread = this.callingThread(request.op, request.object);
    thread.status = 'point';
    thread.request = request;
    this.recorder?.event(thread.name, 'block', request.op, request.object);
    return new Promise((resolve) => {
      thread.gate = resolve;
    });
  }

  sleep(ms: number): Promise<void> {
    const thread = this.callingThread('sleep');
    const label = `sleep(${ms})`;
    thread.status = 'point';
    thread.request = {
      op: 'sleep',
      object: undefined,
      enabled: () => false,
      proceed: () => {},
      blocker: () => ({ waitsFor: label, kind: 'sleep', heldBy: [] }),
    };
    this.clock.create('sleep', () => {}, ms, [], thread.store, thread.id);
    this.recorder?.event(thread.name, 'block', 'sleep', undefined, String(ms));
    return new Promise((resolve) => {
      thread.gate = resolve;
    });
  }

  chooseWaiter(candidates: readonly ThreadId[]): number {
    const sorted = [...candidates].sort((a, b) => a - b);
    const picked = this.decide(sorted, 'notify');
    return candidates.indexOf(picked);
  }

  record(op: string, type: 'effect' | 'invoke' | 'response', object?: string, value?: string, thread?: ThreadId): void {
    this.recorder?.event(this.threadName(thread ?? this.currentThread()), type, op, object, value);
  }

  stepIndex(): number {
    return this.step;
  }

  now(): number {
    return this.clock.now;
  }

  defaultName(kind: string): string {
    const n = (this.names.get(kind) ?? 0) + 1;
    this.names.set(kind, n);
    return `${kind}#${n}`;
  }

  register(primitive: Primitive): void {
    this.primitives.push(primitive);
  }

  // ---- the step loop ------------------------------------------------------

  /** After a step has settled: check it, then pick and start the next one. */
  private afterStep(): void {
    if (this.finished) return;
    if (this.direct) setDirectStore(undefined);
    let parked = false;
    for (const t of this.threads) {
      if (t.status === 'running') {
        t.status = 'parked';
        parked = true;
      }
    }
    if (parked && this.direct) return this.finish({ type: 'needs-context' });
    if (this.recorder !== undefined) this.recordStep(this.recorder);
    if (this.divergence !== undefined) return this.finish({ type: 'diverged', message: this.divergence });
    if (this.failed !== undefined) return this.finish({ type: 'thread-error', thread: this.failed.id, error: this.failed.error });
    if (this.timerError !== undefined) return this.finish({ type: 'timer-error', ...this.timerError });
    for (const monitor of this.monitorList) {
      const verdict = monitor.afterStep?.(this);
      if (verdict !== undefined) return this.finish({ type: 'verdict', verdict });
    }
    this.scheduleNext();
  }

  private scheduleNext(): void {
    if (this.finished) return;
    this.clock.settleNow();
    const allDone = this.threads.every((t) => t.status === 'done');
    if (allDone && this.drainStartedAt < 0) this.drainStartedAt = this.clock.now;
    let candidates = this.candidates(!allDone);
    while (candidates.length === 0) {
      const limit = allDone
        ? this.drainStartedAt + DRAIN_HORIZON_MS
        : this.clock.hasArmed(false)
          ? Infinity
          : this.lastThreadStepAt + DRAIN_HORIZON_MS; // only intervals left: they cannot run forever for nobody
      if (!this.clock.advance(!allDone, limit)) {
        if (allDone) return this.end();
        return this.finish({ type: 'stuck' });
      }
      candidates = this.candidates(!allDone);
    }
    if (this.step >= this.options.maxSteps) {
      if (this.continuationFrom < 0) {
        this.continuationFrom = this.step;
        if (!this.options.replaying) this.chooser = new RoundRobinChooser();
      } else if (this.step - this.continuationFrom >= (this.options.fairSteps ?? Math.max(this.options.maxSteps, 1000))) {
        return this.finish({ type: 'step-limit', repeating: findRepeatingCycle(this.continuationLabels) });
      }
    }
    this.execute(this.decide(candidates, 'step'));
  }

  private candidates(includeIntervals: boolean): number[] {
    const ids: number[] = [];
    for (const t of this.threads) {
      if ((t.status === 'point' || t.status === 'start') && t.request!.enabled()) ids.push(t.id);
    }
    if (this.clock.hasDue()) for (const timer of this.clock.eligible(includeIntervals)) ids.push(this.threads.length + timer.seq);
    return ids;
  }

  /** Asks the chooser, records the choice, and notes a replay that left its recorded path. */
  private decide(candidates: readonly number[], kind: 'step' | 'notify'): number {
    const prefix = this.options.prefix;
    let picked =
      prefix !== undefined && this.tape.length < prefix.length
        ? prefix[this.tape.length]!
        : candidates.length === 1 && !this.options.replaying
          ? candidates[0]!
          : this.chooser.choose(candidates, kind, kind === 'step' ? this.yielder() : undefined);
    if (!candidates.includes(picked)) {
      this.divergence ??=
        picked < 0
          ? `the replay ran past the end of its recorded schedule at step ${this.step + (kind === 'step' ? 1 : 0)}`
          : `at step ${this.step + (kind === 'step' ? 1 : 0)} the recorded schedule picks ${this.describeId(picked)}, ` +
            `but only ${candidates.map((c) => this.describeId(c)).join(', ')} could ${kind === 'step' ? 'step' : 'be woken'}`;
      picked = candidates[0]!;
    }
    this.tape.push(picked);
    return picked;
  }

  /** The thread that ran the last step, if it now waits in `rt.yield()`. */
  private yielder(): number | undefined {
    const last = this.lastThread;
    return last !== undefined && last.status === 'point' && last.request?.op === 'yield' ? last.id : undefined;
  }

  private describeId(id: number): string {
    return id < this.threads.length ? this.threads[id]!.name : `timer#${id - this.threads.length}`;
  }

  private execute(id: number): void {
    this.step++;
    if (id < this.threads.length) {
      const thread = this.threads[id]!;
      this.lastThreadStepAt = this.clock.now;
      this.lastThread = thread;
      this.beginStep(thread.name, 'thread', this.label(thread));
      if (this.direct) setDirectStore(thread.store);
      this.resume(thread);
    } else {
      const timer = this.clock.eligible(true).find((t) => t.seq === id - this.threads.length)!;
      this.lastThread = timer.sleeper === undefined ? undefined : this.threads[timer.sleeper];
      this.clock.take(timer);
      this.fire(timer);
    }
    whenSettled(this.afterStepCallback);
  }

  private resume(thread: VirtualThread): void {
    const request = thread.request!;
    thread.request = null;
    thread.status = 'running';
    if (request === START) return this.start(thread);
    request.proceed();
    const gate = thread.gate!;
    thread.gate = null;
    gate();
  }

  private start(thread: VirtualThread): void {
    this.runAs(thread.store, runThreadBody, this, thread).then(
      () => {
        thread.status = 'done';
        this.recorder?.event(thread.name, 'done', 'return');
      },
      (error: unknown) => {
        thread.status = 'failed';
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
      const thread = this.threads[timer.sleeper]!;
      this.lastThreadStepAt = this.clock.now;
      this.beginStep(thread.name, 'thread', `sleep(${timer.delay})`);
      if (this.direct) setDirectStore(thread.store);
      return this.resume(thread);
    }
    const name = `timer#${timer.seq}`;
    this.beginStep(name, 'timer', timer.kind === 'immediate' ? 'setImmediate' : `${timer.kind === 'interval' ? 'setInterval' : 'setTimeout'}(${timer.delay})`);
    const store: ContextStore = { clock: this.clock, thread: undefined, owner: this };
    this.runAs(store, () => {
      try {
        timer.callback(...timer.args);
      } catch (error) {
        this.timerError ??= { timer: name, error };
      }
    });
  }

  /**
   * Runs `fn` as code of `store`: inside its async context, or in direct mode
   * by naming it the step's store (it stays named until the step settles, so
   * the promise continuations of the step see it too).
   */
  private runAs<A extends unknown[], R>(store: ContextStore, fn: (...args: A) => R, ...args: A): R {
    if (!this.direct) return executionContext.run(store, fn, ...args);
    setDirectStore(store);
    return fn(...args);
  }

  private label(thread: VirtualThread): string {
    const request = thread.request!;
    return request.object === undefined ? request.op : `${request.op}(${request.object})`;
  }

  private end(): void {
    for (const monitor of this.monitorList) {
      const verdict = monitor.atEnd?.(this);
      if (verdict !== undefined) return this.finish({ type: 'verdict', verdict });
    }
    this.finish({ type: 'completed' });
  }

  private finish(end: ExecutionEnd): void {
    if (this.finished) return;
    this.finished = true;
    if (this.direct) setDirectStore(undefined);
    // Parked threads stay parked forever; drop their gates so nothing here keeps them alive.
    for (const t of this.threads) t.gate = null;
    this.resolve({ end, step: this.step, tape: this.tape, steps: this.recorder?.steps ?? [], view: this, state: this.state });
  }

  // ---- threads -----------------------------------------------------------

  private callingThread(op: string, object?: string): VirtualThread {
    const store = currentStore();
    const what = object === undefined ? `${op}()` : `${op}() on '${object}'`;
    if (store?.owner !== this) {
      throw new HarnessUsageError(`${what} was called outside the execution that created it (a runtime kept after its execution ended?).`);
    }
    if (store.thread === undefined) {
      throw new HarnessUsageError(`${what} was called from setup or a timer callback; only threads may wait at a scheduling point.`);
    }
    const thread = this.threads[store.thread]!;
    if (thread.status === 'point') {
      throw new HarnessUsageError(
        `${thread.name} called ${what} while already waiting at ${this.label(thread)}: an async chain it left running (not awaited) reached a scheduling point.`,
      );
    }
    return thread;
  }

  // ---- recording ---------------------------------------------------------

  private beginStep(actor: string, actorKind: 'thread' | 'timer', resumed: string): void {
    if (this.continuationFrom >= 0) this.continuationLabels.push(`${actor}: ${resumed}`);
    this.recorder?.beginStep(actor, actorKind, resumed);
  }

  private recordStep(recorder: StepRecorder): void {
    const threadsAfter: Record<string, string> = {};
    for (const t of this.threads) threadsAfter[t.name] = describeThread(t, this);
    recorder.endStep(this.step, threadsAfter, () => snapshotOf(this.primitives, this, this.clock.now, this.plan.buffer?.(this.state)));
  }
}

function runThreadBody<S>(execution: Execution<S>, thread: VirtualThread): Promise<unknown> {
  return execution.runBody(thread);
}

function describeThread(t: VirtualThread, view: ExecutionView): string {
  switch (t.status) {
    case 'start':
      return 'not started';
    case 'done':
      return 'done';
    case 'failed':
      return `failed: ${errorLine(t.error)}`;
    case 'parked':
    case 'running':
      return 'parked on a promise';
    case 'point': {
      const blocker = t.blocker();
      if (blocker === undefined) return `ready at ${t.op}${t.object === undefined ? '' : `(${t.object})`}`;
      // A semaphore has no holder, only threads that could release it: the blocked set says which.
      const held = blocker.kind !== 'acquire' && blocker.heldBy.length > 0 ? ` held by ${blocker.heldBy.map((id) => view.threadName(id)).join(', ')}` : '';
      return `blocked in ${blocker.waitsFor}${held}`;
    }
  }
}

export function errorLine(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
