/**
 * The differential check of src/check/laws/nodeTimerModel.ts against real
 * Node: random timer programs run in a child `node`, and the model, driven
 * with the very instants Node used, must fire what Node fired, in Node's
 * order, phase by phase, and end every phase with Node's lists.
 *
 * Run by hand for many cases (the test suite runs a few dozen):
 *
 *   npx tsx test/conformance/timerOrder.ts            # TIMER_CASES=300 by default
 *   TIMER_CASES=2000 TIMER_SEED=7 npx tsx test/conformance/timerOrder.ts
 *
 * How the instants are known exactly. The child runs plain JavaScript (no
 * Interleave routing) with --expose-internals, and re-registers Node's own
 * processTimers and processImmediate (a second closure over the same
 * module state of lib/internal/timers.js, from getTimerCallbacks) behind
 * wrappers that only log: each timers phase's `now` as libuv passed it, the
 * start of each check phase, which callback ran, and, after each phase,
 * Node's lists (timerListMap with each timer's `_idleStart`) and its
 * immediate queue. Every insert's start is read from the Timeout's
 * `_idleStart` right after setTimeout/setInterval/refresh, and an interval's
 * re-insert start right after its callback. Real timing still varies from
 * run to run (which is the point: busy-waits make the loop wake late by
 * random amounts), but whatever happened is known to the millisecond Node
 * used, so no margin is needed and no case has to be thrown away.
 *
 * What is checked, per program: every timers phase fires, in order, what
 * the model's nextTimer() returns for the same `now`, and nothing more;
 * every check phase runs what nextImmediate() returns; after every phase
 * the model's lists (durations, expiries, queue order, timers and starts)
 * and waiting immediates equal Node's, and its nextWake() is the expiry
 * processTimers returned; at the end the model has nothing left.
 */
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { coerceDelay, NodeTimerModel } from '../../src/check/laws/nodeTimerModel.ts';

// ---------------------------------------------------------------------------
// Programs

/** A raw delay argument as JSON can carry it: null is undefined, 'NaN' is NaN, other strings go as strings. */
export type Delay = number | string | null;

export function decodeDelay(delay: Delay): unknown {
  return delay === null ? undefined : delay === 'NaN' ? Number.NaN : delay;
}

export type Action =
  | { do: 'arm'; id: number; delay: Delay; repeat: boolean }
  | { do: 'imm'; id: number }
  | { do: 'clear'; id: number }
  | { do: 'refresh'; id: number }
  | { do: 'clearImm'; id: number }
  /** Busy-wait this long (real ms): the loop is blocked, so timers fall due meanwhile and fire late. */
  | { do: 'busy'; ms: number };

export interface Program {
  /** The main script. */
  main: Action[];
  /** What callback `id` does on its k-th run (k from 0); none where missing. */
  on: Record<string, Action[][]>;
}

/** What the generator draws before ids are given out. */
interface Spec {
  kind: 'timeout' | 'interval' | 'immediate';
  delay: Delay;
  runs: Step[][];
}
type Step =
  | { busy: number }
  | { spawn: Spec }
  | { clear: number }
  | { refresh: number }
  | { clearImm: number };

const delayArb: fc.Arbitrary<Delay> = fc.oneof(
  // A few durations, so that lists hold several timers and expiries tie.
  { weight: 14, arbitrary: fc.constantFrom<Delay>(1, 2, 3, 5, 8, 10, 12, 15, 20) },
  // Node's coercion: all of these but '7' and 2.5 land in list 1.
  { weight: 2, arbitrary: fc.constantFrom<Delay>(0, -5, 'NaN', 1.7, 2.5, '7', 2 ** 31, null) },
);
const busyArb = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 1, max: 6 }) }, { weight: 1, arbitrary: fc.integer({ min: 8, max: 25 }) });

const { step: stepArb } = fc.letrec<{ spec: Spec; step: Step }>((tie) => ({
  spec: fc.record({
    kind: fc.constantFrom<Spec['kind']>('timeout', 'timeout', 'timeout', 'interval', 'immediate', 'immediate'),
    delay: delayArb,
    runs: fc.array(fc.array(tie('step'), { maxLength: 3 }), { minLength: 1, maxLength: 3 }),
  }),
  step: fc.oneof(
    { maxDepth: 3, depthSize: 'small' },
    fc.record({ busy: busyArb }),
    fc.record({ clear: fc.nat(50) }),
    fc.record({ refresh: fc.nat(50) }),
    fc.record({ clearImm: fc.nat(50) }),
    fc.record({ spawn: tie('spec') }),
    fc.record({ spawn: tie('spec') }),
  ),
}));

/**
 * Random timer programs: a main script that arms timers and immediates
 * between busy-waits (so they are armed at different instants), and
 * callbacks that arm, clear and refresh timers, queue and clear immediates
 * and busy-wait (so later timers fall due during a phase and the loop wakes
 * late). An interval clears itself on its last scripted run.
 */
const timerSpecArb: fc.Arbitrary<Step> = fc.record({
  spawn: fc.record({
    kind: fc.constantFrom<Spec['kind']>('timeout', 'timeout', 'timeout', 'interval'),
    delay: delayArb,
    runs: fc.array(fc.array(stepArb, { maxLength: 3 }), { minLength: 1, maxLength: 3 }),
  }),
});
/** Rounds of arming between busy-waits (timers of one duration armed at different instants), and a block at the end. */
const mainArb: fc.Arbitrary<Step[]> = fc
  .tuple(
    fc.array(fc.tuple(fc.option(busyArb, { nil: undefined }), fc.array(fc.oneof({ weight: 3, arbitrary: timerSpecArb }, { weight: 1, arbitrary: stepArb }), { minLength: 1, maxLength: 3 })), {
      minLength: 1,
      maxLength: 4,
    }),
    fc.option(fc.integer({ min: 5, max: 40 }), { nil: undefined }),
  )
  .map(([rounds, block]) => [
    ...rounds.flatMap(([busy, steps]) => [...(busy === undefined ? [] : [{ busy }]), ...steps]),
    ...(block === undefined ? [] : [{ busy: block }]),
  ]);

export const programArbitrary: fc.Arbitrary<Program> = mainArb
  .map(compile)
  .filter((program) => {
    const size = JSON.stringify(program).length;
    return size < 4000 && program.main.some((action) => action.do === 'arm' || action.do === 'imm');
  });

/** Gives every spawned timer and immediate an id, in order of appearance, and resolves references by index. */
function compile(main: Step[]): Program {
  let next = 1;
  const timerIds: number[] = [];
  const immediateIds: number[] = [];
  const specs = new Map<number, Spec>();
  const number = (steps: Step[]): void => {
    for (const step of steps) {
      if (!('spawn' in step)) continue;
      const id = next++;
      specs.set(id, step.spawn);
      (step.spawn.kind === 'immediate' ? immediateIds : timerIds).push(id);
      const runs = step.spawn.kind === 'immediate' ? step.spawn.runs.slice(0, 1) : step.spawn.runs;
      for (const run of runs) number(run);
    }
  };
  number(main);
  // The same walk again, now turning steps into actions.
  next = 1;
  const pick = (ids: number[], index: number): number | undefined => (ids.length === 0 ? undefined : ids[index % ids.length]);
  const on: Record<string, Action[][]> = {};
  const actions = (steps: Step[]): Action[] => {
    const out: Action[] = [];
    for (const step of steps) {
      if ('busy' in step) out.push({ do: 'busy', ms: step.busy });
      else if ('clear' in step) {
        const id = pick(timerIds, step.clear);
        if (id !== undefined) out.push({ do: 'clear', id });
      } else if ('refresh' in step) {
        const id = pick(timerIds, step.refresh);
        if (id !== undefined) out.push({ do: 'refresh', id });
      } else if ('clearImm' in step) {
        const id = pick(immediateIds, step.clearImm);
        if (id !== undefined) out.push({ do: 'clearImm', id });
      } else {
        const id = next++;
        const spec = step.spawn;
        if (spec.kind === 'immediate') {
          out.push({ do: 'imm', id });
          on[id] = [actions(spec.runs[0] ?? [])];
        } else {
          out.push({ do: 'arm', id, delay: spec.delay, repeat: spec.kind === 'interval' });
          const runs = spec.runs.map(actions);
          if (spec.kind === 'interval') runs[runs.length - 1]?.push({ do: 'clear', id });
          on[id] = runs;
        }
      }
    }
    return out;
  };
  return { main: actions(main), on };
}

// ---------------------------------------------------------------------------
// Real Node

/** One list as Node has it: [msecs, expiry, [timer id, _idleStart][]], in queue order. */
export type ListSnapshot = [number, number, [number, number][]];

export type Event =
  /** The main script begins. */
  | ['m']
  /** processTimers(now) begins. */
  | ['T', number]
  /** processTimers returned: 0 when no list is left, else ±(the top list's expiry). */
  | ['E', number]
  /** processImmediate begins, and returns. */
  | ['C']
  | ['D']
  /** Timer `id` runs for the k-th time (from 0); immediate `id` runs. */
  | ['t', number, number]
  | ['i', number]
  /** The `_idleStart` after an arm or refresh action (null: refresh of a timer not made yet). */
  | ['s', number | null]
  /** Interval `id`, after its k-th run, was re-inserted with this start. */
  | ['r', number, number, number]
  /** Node's lists and its waiting immediates, after the main script and after every phase. */
  | ['S', ListSnapshot[], number[]];

/** Plain JavaScript for `node --expose-internals`: runs the programs on stdin one after another, prints their logs. */
export const CHILD_SOURCE = String.raw`
'use strict';
const fs = require('fs');
const { internalBinding } = require('internal/test/binding');
const internalTimers = require('internal/timers');
const programs = JSON.parse(fs.readFileSync(0, 'utf8'));
const results = [];
let program, log, objects, fires, pendingRearm, index = 0, written = false;
const decode = (d) => (d === null ? undefined : d === 'NaN' ? NaN : d);

// An interval is re-inserted in listOnTimeout's finally, after its callback: read its start at the next event.
function observe() {
  if (pendingRearm === undefined) return;
  const [id, k, timer] = pendingRearm;
  pendingRearm = undefined;
  if (timer._idleTimeout !== -1) log.push(['r', id, k, timer._idleStart]);
}
function snapshot() {
  // Every queued list is in timerListMap (lists leave both together); the queue orders them by (expiry, id).
  const lists = Object.values(internalTimers.timerListMap)
    .sort((a, b) => a.expiry - b.expiry || a.id - b.id)
    .map((list) => {
      const timers = [];
      // L.peek(list) is list._idlePrev, the oldest; each item's _idlePrev is the next newer one.
      for (let t = list._idlePrev; t !== list; t = t._idlePrev) timers.push([t.__id, t._idleStart]);
      return [list.msecs, list.expiry, timers];
    });
  const immediates = [];
  for (let i = internalTimers.immediateQueue.head; i !== null; i = i._idleNext) immediates.push(i.__id);
  log.push(['S', lists, immediates]);
}
function run(actions) {
  for (const a of actions || []) {
    switch (a.do) {
      case 'arm': {
        const t = a.repeat ? setInterval(intervalCallback, decode(a.delay)) : setTimeout(timeoutCallback, decode(a.delay));
        t.__id = a.id;
        objects.set(a.id, t);
        log.push(['s', t._idleStart]);
        break;
      }
      case 'imm': {
        const i = setImmediate(immediateCallback);
        i.__id = a.id;
        objects.set(a.id, i);
        break;
      }
      case 'clear': clearTimeout(objects.get(a.id)); break;
      case 'refresh': {
        const t = objects.get(a.id);
        if (t !== undefined) t.refresh();
        log.push(['s', t === undefined ? null : t._idleStart]);
        break;
      }
      case 'clearImm': clearImmediate(objects.get(a.id)); break;
      case 'busy': { const end = performance.now() + a.ms; while (performance.now() < end); break; }
      default: throw new Error('unknown action ' + JSON.stringify(a));
    }
  }
}
function fired(timer, isInterval) {
  observe();
  const id = timer.__id;
  const k = fires.get(id) || 0;
  fires.set(id, k + 1);
  log.push(['t', id, k]);
  run(program.on[id] && program.on[id][k]);
  if (isInterval) pendingRearm = [id, k, timer];
}
function timeoutCallback() { fired(this, false); }
function intervalCallback() { fired(this, true); }
function immediateCallback() {
  observe();
  log.push(['i', this.__id]);
  run(program.on[this.__id] && program.on[this.__id][0]);
}

// Node's own processTimers and processImmediate, behind wrappers that only log.
const { processImmediate, processTimers } = internalTimers.getTimerCallbacks(process._tickCallback);
internalBinding('timers').setupTimers(
  function immediates() { observe(); log.push(['C']); processImmediate(); observe(); log.push(['D']); snapshot(); },
  function timers(now) { observe(); log.push(['T', now]); const next = processTimers(now); observe(); log.push(['E', next]); snapshot(); return next; },
);

// One program after another: the next begins when the loop has emptied, as a fresh process's main script would.
function start() {
  program = programs[index++];
  log = [];
  results.push(log);
  objects = new Map();
  fires = new Map();
  pendingRearm = undefined;
  log.push(['m']);
  run(program.main);
  snapshot();
}
// A program that leaves nothing pending (it cleared all it armed) gives no loop to wait for: the next starts at once.
const pending = () => process.getActiveResourcesInfo().some((kind) => kind === 'Timeout' || kind === 'Immediate');
process.on('beforeExit', () => {
  if (log !== undefined) observe();
  while (index < programs.length) {
    start();
    if (pending()) return;
  }
  if (!written) { written = true; fs.writeSync(1, JSON.stringify(results)); }
});
if (programs.length > 0) start();
`;

/** Runs the programs in one child `node`, one after another; returns each one's log. */
export function runOnRealNode(programs: readonly Program[], timeoutMs = 120_000): Event[][] {
  const child = spawnSync(process.execPath, ['--expose-internals', '--no-warnings', '-e', CHILD_SOURCE], {
    input: JSON.stringify(programs),
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    timeout: timeoutMs,
    // A plain node: nothing of the parent's loaders or options (tsx, vitest) reaches the child.
    env: { PATH: process.env.PATH ?? '' },
  });
  if (child.error !== undefined) throw child.error;
  if (child.status !== 0) throw new Error(`the timer-order child exited with ${child.status ?? child.signal}: ${child.stderr}`);
  const logs = JSON.parse(child.stdout) as Event[][];
  if (logs.length !== programs.length) throw new Error(`the child returned ${logs.length} logs for ${programs.length} programs`);
  return logs;
}

// ---------------------------------------------------------------------------
// Replaying a real run through a model

/** What the replay needs of a model; a deliberately broken one may leave out the inspection methods. */
export interface TimerOrderModel {
  arm(id: number, delay: unknown, now: number, repeat: boolean): void;
  clear(id: number): void;
  refresh(id: number, now: number): void;
  nextWake(): number | undefined;
  beginTimersPhase(now: number): void;
  nextTimer(callbackStart?: number): number | undefined;
  queueImmediate(id: number): void;
  clearImmediate(id: number): void;
  beginCheckPhase(): void;
  nextImmediate(): number | undefined;
  immediatesPending(): boolean;
  lists?(): { msecs: number; expiry: number; timers: { id: number; start: number }[] }[];
  immediates?(): number[];
}

export interface Verdict {
  agrees: boolean;
  /** The first disagreement, in words. */
  why?: string;
  phases: number;
  /** Timers phases whose `now` was past the model's nextWake(): the loop woke late. */
  latePhases: number;
  /** Timers phases that fired timers of two lists or more. */
  multiListPhases: number;
  timersFired: number;
  immediatesRun: number;
}

class Disagreement extends Error {}

/** Replays one real run through `model`, checking it phase by phase. */
export function replay(program: Program, log: readonly Event[], model: TimerOrderModel): Verdict {
  const verdict: Verdict = { agrees: true, phases: 0, latePhases: 0, multiListPhases: 0, timersFired: 0, immediatesRun: 0 };
  const rearm = new Map<string, number>();
  for (const event of log) if (event[0] === 'r') rearm.set(`${event[1]}/${event[2]}`, event[3]);
  const events = log.filter((event) => event[0] !== 'r');
  let at = 0;
  const where = (): string => `event ${at} of the real run`;
  const take = <K extends Event[0]>(kind: K): Extract<Event, [K, ...unknown[]]> => {
    const event = events[at];
    if (event?.[0] !== kind) throw new Error(`the real log is out of step with the program: expected '${kind}' at ${where()}, found ${JSON.stringify(event)}`);
    at++;
    return event as Extract<Event, [K, ...unknown[]]>;
  };
  const start = (): number | undefined => take('s')[1] ?? undefined;
  const perform = (actions: readonly Action[] | undefined): void => {
    for (const action of actions ?? []) {
      switch (action.do) {
        case 'arm':
          model.arm(action.id, decodeDelay(action.delay), start() as number, action.repeat);
          break;
        case 'imm':
          model.queueImmediate(action.id);
          break;
        case 'clear':
          model.clear(action.id);
          break;
        case 'refresh': {
          const now = start();
          if (now !== undefined) model.refresh(action.id, now);
          break;
        }
        case 'clearImm':
          model.clearImmediate(action.id);
          break;
        case 'busy':
          break;
      }
    }
  };
  const compareState = (what: string): void => {
    const [, lists, immediates] = take('S');
    if (model.lists !== undefined) {
      const mine = model.lists().map((list) => [list.msecs, list.expiry, list.timers.map((timer) => [timer.id, timer.start])]);
      if (JSON.stringify(mine) !== JSON.stringify(lists)) {
        throw new Disagreement(`after ${what}, Node's lists are ${JSON.stringify(lists)} but the model's are ${JSON.stringify(mine)}`);
      }
    }
    if (model.immediates !== undefined && JSON.stringify(model.immediates()) !== JSON.stringify(immediates)) {
      throw new Disagreement(`after ${what}, Node's waiting immediates are ${JSON.stringify(immediates)} but the model's are ${JSON.stringify(model.immediates())}`);
    }
  };
  try {
    take('m');
    perform(program.main);
    compareState('the main script');
    while (at < events.length) {
      const event = events[at];
      if (event?.[0] === 'T') {
        const now = take('T')[1];
        verdict.phases++;
        const wake = model.nextWake();
        if (wake !== undefined && now > wake) verdict.latePhases++;
        const listsBefore = model.lists?.() ?? [];
        const listOf = (id: number): number => listsBefore.findIndex((list) => list.timers.some((timer) => timer.id === id));
        const listsFired = new Set<number>();
        model.beginTimersPhase(now);
        while (events[at]?.[0] === 't') {
          const [, id, k] = take('t');
          const expected = model.nextTimer(rearm.get(`${id}/${k}`));
          if (expected !== id) {
            throw new Disagreement(`in the timers phase at ${now}, Node fired timer ${id} (run ${k}) where the model fires ${expected ?? 'nothing more'}`);
          }
          verdict.timersFired++;
          listsFired.add(listOf(id));
          perform(program.on[id]?.[k]);
        }
        const next = take('E')[1];
        const extra = model.nextTimer();
        if (extra !== undefined) throw new Disagreement(`the timers phase at ${now} ended in Node, where the model fires timer ${extra} too`);
        if (listsFired.size > 1) verdict.multiListPhases++;
        const expectedWake = next === 0 ? undefined : Math.abs(next);
        if (model.lists !== undefined && model.nextWake() !== expectedWake) {
          throw new Disagreement(`after the timers phase at ${now}, Node's next expiry is ${expectedWake} but the model's nextWake() is ${model.nextWake()}`);
        }
        compareState(`the timers phase at ${now}`);
      } else if (event?.[0] === 'C') {
        take('C');
        model.beginCheckPhase();
        while (events[at]?.[0] === 'i') {
          const [, id] = take('i');
          const expected = model.nextImmediate();
          if (expected !== id) throw new Disagreement(`in a check phase, Node ran immediate ${id} where the model runs ${expected ?? 'nothing more'}`);
          verdict.immediatesRun++;
          perform(program.on[id]?.[0]);
        }
        take('D');
        const extra = model.nextImmediate();
        if (extra !== undefined) throw new Disagreement(`a check phase ended in Node, where the model runs immediate ${extra} too`);
        compareState('a check phase');
      } else {
        throw new Error(`the real log is out of step: ${JSON.stringify(event)} at ${where()}`);
      }
    }
    if (model.nextWake() !== undefined || model.immediatesPending()) {
      throw new Disagreement(`Node's loop emptied, but the model still has ${model.nextWake() !== undefined ? `a timer list due at ${model.nextWake()}` : 'an immediate'}`);
    }
  } catch (error) {
    if (!(error instanceof Disagreement)) throw error;
    verdict.agrees = false;
    verdict.why = error.message;
  }
  return verdict;
}

// ---------------------------------------------------------------------------
// A deliberately wrong model, to show the check can fail

/**
 * Fires every due timer by deadline (then by arming order), as a single
 * sorted timer heap does (@sinonjs/fake-timers' order): no lists. It agrees
 * with Node whenever the loop wakes punctually and lists do not interleave,
 * and disagrees on A-C-B.
 */
export class DeadlineOrderModel implements TimerOrderModel {
  private readonly timers = new Map<number, { due: number; seq: number; msecs: number; repeat: boolean; armed: boolean; cleared: boolean }>();
  private seq = 0;
  private now: number | undefined;
  private running: { id: number; start: number } | undefined;
  /** Immediates are not what this variant gets wrong. */
  private readonly immediateModel = new NodeTimerModel();

  arm(id: number, delay: unknown, now: number, repeat: boolean): void {
    const msecs = Math.trunc(coerceDelay(delay));
    this.timers.set(id, { due: now + msecs, seq: this.seq++, msecs, repeat, armed: true, cleared: false });
  }
  clear(id: number): void {
    const timer = this.timers.get(id);
    if (timer === undefined) return;
    timer.armed = false;
    timer.cleared = true;
  }
  refresh(id: number, now: number): void {
    const timer = this.timers.get(id);
    if (timer === undefined || timer.cleared) return;
    Object.assign(timer, { due: now + timer.msecs, seq: this.seq++, armed: true });
  }
  nextWake(): number | undefined {
    const dues = [...this.timers.values()].filter((timer) => timer.armed).map((timer) => timer.due);
    return dues.length === 0 ? undefined : Math.min(...dues);
  }
  beginTimersPhase(now: number): void {
    this.finish();
    this.now = now;
  }
  nextTimer(callbackStart?: number): number | undefined {
    this.finish();
    const now = this.now;
    if (now === undefined) return undefined;
    let best: [number, { due: number; seq: number }] | undefined;
    for (const [id, timer] of this.timers) {
      if (!timer.armed || timer.due > now) continue;
      if (best === undefined || timer.due < best[1].due || (timer.due === best[1].due && timer.seq < best[1].seq)) best = [id, timer];
    }
    if (best === undefined) {
      this.now = undefined;
      return undefined;
    }
    const [id] = best;
    const timer = this.timers.get(id);
    if (timer !== undefined) {
      timer.armed = false;
      if (timer.repeat) this.running = { id, start: callbackStart ?? now };
    }
    return id;
  }
  private finish(): void {
    const running = this.running;
    this.running = undefined;
    const timer = running === undefined ? undefined : this.timers.get(running.id);
    if (running !== undefined && timer !== undefined && !timer.cleared) Object.assign(timer, { due: running.start + timer.msecs, seq: this.seq++, armed: true });
  }
  queueImmediate(id: number): void {
    this.immediateModel.queueImmediate(id);
  }
  clearImmediate(id: number): void {
    this.immediateModel.clearImmediate(id);
  }
  beginCheckPhase(): void {
    this.finish();
    this.immediateModel.beginCheckPhase();
  }
  nextImmediate(): number | undefined {
    return this.immediateModel.nextImmediate();
  }
  immediatesPending(): boolean {
    return this.immediateModel.immediatesPending();
  }
}

/**
 * Two subtler mistakes, made by wrapping the real model: an interval
 * re-armed as its callback begins rather than after it (so it lands before
 * what its callback arms in its list), and a check phase that also runs the
 * immediates queued while it ran.
 */
export function brokenVariants(): Record<string, () => TimerOrderModel> {
  return {
    'deadline order': () => new DeadlineOrderModel(),
    'interval re-armed before its callback': () => {
      const model = new NodeTimerModel();
      return delegate(model, {
        nextTimer(callbackStart?: number): number | undefined {
          const id = model.nextTimer(callbackStart);
          model.endCallback();
          return id;
        },
      });
    },
    'immediates queued in a check phase run in it': () => {
      const model = new NodeTimerModel();
      return delegate(model, {
        nextImmediate(): number | undefined {
          const id = model.nextImmediate();
          if (id !== undefined || !model.immediatesPending()) return id;
          model.beginCheckPhase();
          return model.nextImmediate();
        },
      });
    },
  };
}

/** The model's methods, bound to it, with some replaced. */
function delegate(model: NodeTimerModel, overrides: Partial<TimerOrderModel>): TimerOrderModel {
  return {
    arm: (id, delay, now, repeat) => model.arm(id, delay, now, repeat),
    clear: (id) => model.clear(id),
    refresh: (id, now) => model.refresh(id, now),
    nextWake: () => model.nextWake(),
    beginTimersPhase: (now) => model.beginTimersPhase(now),
    nextTimer: (callbackStart) => model.nextTimer(callbackStart),
    queueImmediate: (id) => model.queueImmediate(id),
    clearImmediate: (id) => model.clearImmediate(id),
    beginCheckPhase: () => model.beginCheckPhase(),
    nextImmediate: () => model.nextImmediate(),
    immediatesPending: () => model.immediatesPending(),
    lists: () => model.lists(),
    immediates: () => model.immediates(),
    ...overrides,
  };
}

// ---------------------------------------------------------------------------
// By hand

export interface Tally {
  cases: number;
  agreeing: number;
  phases: number;
  latePhases: number;
  multiListPhases: number;
  timersFired: number;
  immediatesRun: number;
  /** Cases each broken variant gets wrong. */
  caught: Record<string, number>;
  firstDisagreement?: { program: Program; why: string };
}

/** Generates `cases` programs from `seed`, runs them on real Node in batches, and replays each through both models. */
export function check(cases: number, seed: number, batch = 40): Tally {
  const programs = fc.sample(programArbitrary, { seed, numRuns: cases });
  const variants = brokenVariants();
  const caught = Object.fromEntries(Object.keys(variants).map((name) => [name, 0]));
  const tally: Tally = { cases: 0, agreeing: 0, phases: 0, latePhases: 0, multiListPhases: 0, timersFired: 0, immediatesRun: 0, caught };
  for (let from = 0; from < programs.length; from += batch) {
    const slice = programs.slice(from, from + batch);
    const logs = runOnRealNode(slice);
    slice.forEach((program, i) => {
      const log = logs[i] ?? [];
      const verdict = replay(program, log, new NodeTimerModel());
      tally.cases++;
      tally.phases += verdict.phases;
      tally.latePhases += verdict.latePhases;
      tally.multiListPhases += verdict.multiListPhases;
      tally.timersFired += verdict.timersFired;
      tally.immediatesRun += verdict.immediatesRun;
      if (verdict.agrees) tally.agreeing++;
      else tally.firstDisagreement ??= { program, why: verdict.why ?? '' };
      for (const [name, make] of Object.entries(variants)) if (!replay(program, log, make()).agrees) caught[name] = (caught[name] ?? 0) + 1;
    });
  }
  return tally;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const cases = Number(process.env.TIMER_CASES ?? 300);
  const seed = Number(process.env.TIMER_SEED ?? 20_240_601);
  const began = performance.now();
  const tally = check(cases, seed);
  const seconds = ((performance.now() - began) / 1000).toFixed(1);
  console.log(
    `${tally.cases} timer programs on real Node (seed ${seed}, ${seconds} s): ${tally.agreeing} agree with the model, ` +
      `${tally.cases - tally.agreeing} disagree; ${tally.phases} timers phases (${tally.latePhases} late, ${tally.multiListPhases} firing two lists or more), ` +
      `${tally.timersFired} timer callbacks, ${tally.immediatesRun} immediates. Deliberately broken models caught: ` +
      Object.entries(tally.caught).map(([name, count]) => `${name} on ${count}`).join(', ') + '.',
  );
  if (tally.firstDisagreement !== undefined) {
    console.log(`First disagreement: ${tally.firstDisagreement.why}\nProgram: ${JSON.stringify(tally.firstDisagreement.program)}`);
  }
  process.exitCode = tally.agreeing === tally.cases ? 0 : 1;
}
