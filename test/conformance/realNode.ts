/**
 * Runs a scenario on real Node, as production would: `realRuntime`, real
 * promises and timers, and real lateness. Wherever the harness has a
 * scheduling point of the workload (each thread's start, the pause before
 * each put and take), a real run waits a random real delay: nothing, a few
 * microtask turns, one to three `setImmediate` hops, a real timer of 0–3 ms,
 * a message that arrives in the poll phase (as a client's request does), or
 * now and then a slow client's 5–20 ms. Meanwhile a disturber keeps the
 * event loop busy with random `setImmediate` hops and timers, and both it
 * and the delays block the loop for random real durations at random
 * moments (busy-waiting, as a slow callback does), so that timers fire late,
 * several of their lists in one timers phase. Each run draws its own mix of
 * these (swarm testing): some runs are quick, some heavily blocked.
 *
 * A run that stops making progress is a hang: no workload point reached or
 * released, no thread finished, no delay of its own still pending, for
 * `idleMs` of real time and several watchdog turns in a row. A run that is
 * slow because the machine is loaded, but still moving, is not hung.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { realRuntime, type Runtime } from 'interleave';
import { real } from '../../src/engine/realTimers.ts';
import type { PointRequest, VirtualHost } from '../../src/runtime/virtual/host.ts';
import { definitionOf, type Scenario, type ScenarioDefinition } from '../../src/workload/scenario.ts';

/** A small seeded generator (mulberry32): the kinds of delay are reproducible, real timing is not. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Real milliseconds (the host's monotonic clock, never a virtual one). */
export const realNow = (): number => real.performanceNow();

/** Blocks the event loop for `ms` of real time, as a slow synchronous callback does. */
export function busyWait(ms: number): void {
  busyUntil(realNow() + ms);
}

/** Blocks the event loop until the real clock reads `at`. */
export function busyUntil(at: number): void {
  while (realNow() < at) {
    // busy: nothing else runs meanwhile
  }
}

/** A poll-phase macrotask source: each message is delivered in the poll phase, a callback of its own with microtasks drained after it. */
export class PollPhase {
  private readonly channel = new MessageChannel();
  private readonly waiting = new Map<number, () => void>();
  private next = 0;

  constructor() {
    this.channel.port2.on('message', (id: number) => {
      const fn = this.waiting.get(id);
      this.waiting.delete(id);
      fn?.();
    });
  }

  /** Runs `fn` in a poll phase: this one's, when posted from a poll-phase callback; else the next. */
  post(fn: () => void): void {
    const id = this.next++;
    this.waiting.set(id, fn);
    this.channel.port1.postMessage(id);
  }

  close(): void {
    this.waiting.clear();
    for (const port of [this.channel.port1, this.channel.port2] as MessagePort[]) port.close();
  }
}

/** What one real run draws: how often, and how long, it blocks the loop, and which delays its workload points wait. */
interface Profile {
  /** Cumulative weights of the delay kinds: now, microtasks, immediates, timer, message, slow client. */
  readonly kinds: readonly number[];
  /** Probability that a callback of the run (a delay's end, a disturber hop) busy-waits, and the longest it does. */
  readonly blockChance: number;
  readonly blockMaxMs: number;
  readonly disturber: boolean;
}

function drawProfile(random: () => number): Profile {
  const weights = [1.2, 1, 1, 0.8, 0.8, 0.08].map((w) => w * (0.25 + random()));
  let sum = 0;
  const kinds = weights.map((w) => (sum += w));
  const total = sum;
  const heavy = random();
  return {
    kinds: kinds.map((k) => k / total),
    blockChance: heavy < 0.3 ? 0 : heavy < 0.7 ? 0.15 : 0.4,
    blockMaxMs: [1, 3, 8, 16][Math.floor(random() * 4)]!,
    disturber: random() < 0.75,
  };
}

const HANG = 'hang';
export { HANG };

/** How one real run drives its workload points (a random run draws a delay for each; a directed run holds them). */
export interface Driver {
  /** Thread `thread` reached a workload point: the promise its code awaits before going on. */
  point(thread: number, request: PointRequest, run: RealRun): Promise<void>;
  /** Thread `thread` waits to start; call `start` to start it (synchronously, as the harness does). */
  start(thread: number, start: () => void, run: RealRun): void;
  /** The run is over (done, hung or threw): stop whatever the driver has running. */
  stop?(): void;
}

/** One real run in progress, as its driver sees it. */
export interface RealRun {
  /** Something happened: the run is not idle. */
  progress(): void;
  /** A delay of the run's own is pending (`+1`) or over (`-1`): while one is, the run is not idle. */
  pending(delta: number): void;
  readonly threadNames: readonly string[];
  /** The timers and immediates the run's code created, in order. */
  readonly timers: TimerWatch;
}

/** A timer or immediate the run's code created: when (real ms), and its delay as Node files it (0 for an immediate). */
export interface CreatedTimer {
  readonly at: number;
  readonly delay: number;
  readonly kind: 'timeout' | 'interval' | 'immediate';
  readonly handle: { readonly _destroyed?: boolean };
}

type TimerGlobals = Pick<typeof globalThis, 'setTimeout' | 'setInterval' | 'setImmediate'>;

/**
 * Watches the timers and immediates a real run's code creates (the globals,
 * wrapped for the run's duration: the callbacks and handles are Node's own,
 * so nothing runs in another order): which are still pending (a Timeout or
 * Immediate is `_destroyed` once fired or cleared), and when each was made.
 */
export class TimerWatch {
  readonly created: CreatedTimer[] = [];
  private readonly saved: TimerGlobals;
  private live: CreatedTimer[] = [];
  private settled = 0;

  constructor() {
    const g = globalThis as unknown as TimerGlobals;
    const saved = (this.saved = { setTimeout: g.setTimeout, setInterval: g.setInterval, setImmediate: g.setImmediate });
    const note = (kind: CreatedTimer['kind'], delay: unknown, handle: CreatedTimer['handle']): void => {
      const ms = Math.trunc(Number(delay));
      const timer = { at: realNow(), delay: kind === 'immediate' ? 0 : ms >= 1 && ms <= 2 ** 31 - 1 ? ms : 1, kind, handle };
      this.created.push(timer);
      this.live.push(timer);
    };
    const wrap = <F extends Function>(original: F, wrapped: F): F => Object.assign(wrapped, original) as F;
    g.setTimeout = wrap(saved.setTimeout, function (this: unknown, callback: unknown, ms?: unknown, ...args: unknown[]) {
      const handle = (saved.setTimeout as Function).call(this, callback, ms, ...args);
      note('timeout', ms, handle);
      return handle;
    } as typeof setTimeout);
    g.setInterval = wrap(saved.setInterval, function (this: unknown, callback: unknown, ms?: unknown, ...args: unknown[]) {
      const handle = (saved.setInterval as Function).call(this, callback, ms, ...args);
      note('interval', ms, handle);
      return handle;
    } as typeof setInterval);
    g.setImmediate = wrap(saved.setImmediate, function (this: unknown, callback: unknown, ...args: unknown[]) {
      const handle = (saved.setImmediate as Function).call(this, callback, ...args);
      note('immediate', 0, handle);
      return handle;
    } as typeof setImmediate);
  }

  /** How many timeouts and immediates are still to fire (intervals aside: they never end by themselves). */
  pending(): number {
    this.live = this.live.filter((t) => {
      if (t.handle._destroyed !== true) return true;
      this.settled++;
      return false;
    });
    return this.live.filter((t) => t.kind !== 'interval').length;
  }

  /** How many intervals are still armed. */
  intervals(): number {
    return this.live.filter((t) => t.kind === 'interval' && t.handle._destroyed !== true).length;
  }

  /** How many have fired or been cleared so far: each is progress. */
  get done(): number {
    this.pending();
    return this.settled;
  }

  restore(): void {
    Object.assign(globalThis, this.saved);
  }
}

/** The host the workload's own code talks to, on real Node: `thread`'s workload points go to the driver. */
function realHost(thread: number | undefined, run: RealRun, driver: Driver): VirtualHost {
  let sequence = 0;
  return {
    currentThread: () => thread,
    threadName: (id) => (id === undefined ? 'setup' : (run.threadNames[id] ?? `thread#${id}`)),
    threadIds: () => run.threadNames.map((_, i) => i),
    isFinished: () => false,
    point: (request: PointRequest) => {
      if (thread === undefined) throw new Error('a workload point outside a thread');
      run.progress();
      return driver.point(thread, request, run);
    },
    sleep: (ms) => realRuntime.sleep(ms),
    yield: () => realRuntime.yield(),
    chooseWaiter: () => 0,
    record: () => {},
    recording: false,
    stepIndex: () => 0,
    sequence: () => sequence++,
    now: () => realNow(),
    defaultName: (kind) => kind,
    changed: () => {},
    register: () => {},
  };
}

export interface RealRunOptions {
  /**
   * With only intervals left to fire (or nothing the run can see), real
   * milliseconds without progress before a run is called hung (default
   * 1,000). With nothing at all pending, a few turns of the loop suffice.
   */
  readonly idleMs?: number;
}

/**
 * One real run of a scenario under `driver`: its outcome, `hang`, or
 * `exception: …`. The scenario's setup runs in the calling macrotask; its
 * threads start when the driver starts them.
 */
export async function runReal(scenario: Scenario, driver: Driver, options: RealRunOptions = {}, runtime: Runtime = realRuntime): Promise<string> {
  const definition = definitionOf(scenario);
  if (definition?.outcome === undefined) throw new TypeError(`'${scenario.name}' has no outcome to compare`);
  const timers = new TimerWatch();
  try {
    return await runDefinition(definition, driver, timers, options.idleMs ?? 1000, runtime);
  } finally {
    timers.restore();
  }
}

/** Turns of the watchdog with nothing pending and nothing done before a run is called hung. */
const QUIET_TURNS = 3;

function runDefinition(definition: ScenarioDefinition, driver: Driver, timers: TimerWatch, idleMs: number, runtime: Runtime): Promise<string> {
  return new Promise<string>((resolveRun) => {
    let progressCount = 0;
    let pendingDelays = 0;
    let lastProgressAt = realNow();
    let running = definition.bodies.length;
    let over = false;
    const run: RealRun = {
      progress: () => {
        progressCount++;
        lastProgressAt = realNow();
      },
      pending: (delta) => {
        pendingDelays += delta;
        run.progress();
      },
      threadNames: definition.threadNames,
      timers,
    };
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    const end = (result: () => string): void => {
      if (over) return;
      over = true;
      if (watchdog !== undefined) real.clearTimeout(watchdog);
      driver.stop?.();
      let outcome: string;
      try {
        outcome = result();
      } catch (error) {
        outcome = `exception: ${error instanceof Error ? error.message : String(error)}`;
      }
      resolveRun(outcome);
    };
    // A hang is inactivity, never a total time: a run the loaded machine slows down is still moving. Idle: nothing
    // happened since the last turn, and nothing of the run is pending (a delay of its own, a timeout, an immediate) —
    // then a few turns of the loop suffice; with intervals only, or what the run cannot see, `idleMs` without progress.
    let seen = -1;
    let doneSeen = 0;
    let quietTurns = 0;
    const watch = (): void => {
      if (over) return;
      const done = timers.done;
      const quiet = pendingDelays === 0 && timers.pending() === 0;
      if (done !== doneSeen) {
        doneSeen = done;
        run.progress(); // a timer fired, or was cleared
      }
      if (progressCount !== seen) {
        seen = progressCount;
        quietTurns = 0;
      } else quietTurns = quiet ? quietTurns + 1 : 0;
      if (quiet && (timers.intervals() === 0 ? quietTurns >= QUIET_TURNS : realNow() - lastProgressAt >= idleMs)) return end(() => HANG);
      watchdog = real.setTimeout(watch, 1);
    };
    let state: unknown;
    try {
      state = definition.setup(runtime, realHost(undefined, run, driver));
    } catch (error) {
      return end(() => `exception: ${error instanceof Error ? error.message : String(error)}`);
    }
    watch();
    definition.bodies.forEach((body, thread) => {
      driver.start(
        thread,
        () => {
          run.progress();
          let result: unknown;
          try {
            result = body(state, runtime, realHost(thread, run, driver));
          } catch (error) {
            result = Promise.reject(error);
          }
          Promise.resolve(result).then(
            () => {
              run.progress();
              if (--running === 0) end(() => definition.outcome!(state));
            },
            (error: unknown) => end(() => `exception: ${error instanceof Error ? error.message : String(error)}`),
          );
        },
        run,
      );
    });
  });
}

/**
 * The random driver: a random real delay at every workload point and before
 * every start, and a disturber that keeps the loop busy and blocks it, as
 * its profile says.
 */
class RandomDriver implements Driver {
  private readonly profile: Profile;
  private stopped = false;
  private poll: PollPhase | undefined;

  constructor(private readonly random: () => number) {
    this.profile = drawProfile(random);
  }

  start(_thread: number, start: () => void, run: RealRun): void {
    if (this.profile.disturber && _thread === 0) this.disturb();
    void this.delay(run).then(start);
  }

  point(_thread: number, _request: PointRequest, run: RealRun): Promise<void> {
    return this.delay(run);
  }

  stop(): void {
    this.stopped = true;
    this.poll?.close();
  }

  /** Sometimes, blocks the loop for a random real duration (inside the callback running now); `share` of the profile's chance. */
  private maybeBlock(share = 1): void {
    const { blockChance, blockMaxMs } = this.profile;
    if (blockChance > 0 && this.random() < blockChance * share) busyWait(this.random() * blockMaxMs);
  }

  private delay(run: RealRun): Promise<void> {
    const r = this.random();
    const kind = this.profile.kinds.findIndex((k) => r < k);
    if (kind <= 0) return Promise.resolve();
    if (kind === 1) {
      let p = Promise.resolve();
      for (let i = Math.floor(this.random() * 3); i >= 0; i--) p = p.then(() => undefined);
      return p;
    }
    run.pending(+1);
    return new Promise<void>((resolve) => {
      const done = (): void => {
        this.maybeBlock();
        run.pending(-1);
        resolve();
      };
      if (kind === 2) {
        let hops = 1 + Math.floor(this.random() * 3);
        const hop = (): void => {
          if (--hops > 0) real.setImmediate(hop);
          else done();
        };
        real.setImmediate(hop);
      } else if (kind === 3) real.setTimeout(done, Math.floor(this.random() * 4));
      else if (kind === 4) (this.poll ??= new PollPhase()).post(done);
      else real.setTimeout(done, 5 + Math.floor(this.random() * 16));
    });
  }

  /** Random setImmediate hops and short timers for as long as the run lasts, some of them blocking the loop. */
  private disturb(): void {
    const hop = (): void => {
      if (this.stopped) return;
      this.maybeBlock(0.5);
      const r = this.random();
      if (r < 0.7) real.setImmediate(hop);
      else if (r < 0.9) real.setTimeout(hop, Math.floor(this.random() * 3));
      else (this.poll ??= new PollPhase()).post(hop);
    };
    real.setImmediate(hop);
  }
}

/** One random real run: its outcome, `hang`, or `exception: …`. */
export function runOnRealNode(scenario: Scenario, random: () => number, options: RealRunOptions = {}): Promise<string> {
  return runReal(scenario, new RandomDriver(random), options);
}
