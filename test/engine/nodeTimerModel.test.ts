/**
 * The reference model of Node's timer order (src/check/laws/nodeTimerModel.ts):
 * unit cases worked out from lib/internal/timers.js, then the model against
 * real Node — hand-written programs and random ones, run in a child `node`
 * whose every timers phase's `now` is logged, replayed through the model
 * with the same instants (test/conformance/timerOrder.ts says how; run it by
 * hand for more cases). A deliberately wrong model shows the check can fail.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { coerceDelay, NodeTimerModel, TIMEOUT_MAX } from '../../src/check/laws/nodeTimerModel.ts';
import {
  brokenVariants,
  DeadlineOrderModel,
  programArbitrary,
  replay,
  runOnRealNode,
  type Event,
  type Program,
} from '../conformance/timerOrder.ts';

type Callbacks = Record<number, (model: NodeTimerModel) => void>;

/** A whole timers phase at `now`: what it fires, in order, running each callback's effect on the model as it fires. */
function timersPhase(model: NodeTimerModel, now: number, callbacks: Callbacks = {}): number[] {
  model.beginTimersPhase(now);
  const fired: number[] = [];
  for (let id = model.nextTimer(); id !== undefined; id = model.nextTimer()) {
    fired.push(id);
    callbacks[id]?.(model);
  }
  return fired;
}

function checkPhase(model: NodeTimerModel, callbacks: Callbacks = {}): number[] {
  model.beginCheckPhase();
  const ran: number[] = [];
  for (let id = model.nextImmediate(); id !== undefined; id = model.nextImmediate()) {
    ran.push(id);
    callbacks[id]?.(model);
  }
  return ran;
}

const list = (msecs: number, expiry: number, timers: [number, number][]) => ({ msecs, expiry, timers: timers.map(([id, start]) => ({ id, start })) });

const [A, B, C, D, E, F] = [1, 2, 3, 4, 5, 6] as const;

/** setTimeout(A, 100) and setTimeout(B, 150) at 0, setTimeout(C, 100) at 60: DESIGN.md's measured case. */
function acb(): NodeTimerModel {
  const model = new NodeTimerModel();
  model.arm(A, 100, 0, false);
  model.arm(B, 150, 0, false);
  model.arm(C, 100, 60, false);
  return model;
}

describe('NodeTimerModel: timers phases', () => {
  it('keeps one list per duration, in insertion order, queued by (expiry, id)', () => {
    expect(acb().lists()).toEqual([list(100, 100, [[A, 0], [C, 60]]), list(150, 150, [[B, 0]])]);
    expect(acb().nextWake()).toBe(100);
  });

  it('fires A C B when the loop is blocked until 300 (C rides in A\'s list, whose expiry comes first)', () => {
    const model = acb();
    expect(timersPhase(model, 300)).toEqual([A, C, B]);
    expect(model.nextWake()).toBeUndefined();
    expect(model.lists()).toEqual([]);
  });

  it('fires A, B, C punctually, at 100, 150 and 160: the walk stops at C and re-queues its list at 160 with a fresh id', () => {
    const model = acb();
    expect(timersPhase(model, 100)).toEqual([A]);
    expect(model.lists()).toEqual([list(150, 150, [[B, 0]]), list(100, 160, [[C, 60]])]);
    expect(model.nextWake()).toBe(150);
    expect(timersPhase(model, 150)).toEqual([B]);
    expect(model.nextWake()).toBe(160);
    expect(timersPhase(model, 160)).toEqual([C]);
    expect(model.nextWake()).toBeUndefined();
  });

  it('orders A-B-C or A-C-B by when the loop first wakes: A C B needs it to stay blocked until C is due', () => {
    const orders = [100, 120, 150, 159, 160, 161, 300].map((firstWake) => {
      const model = acb();
      const fired = timersPhase(model, firstWake);
      for (let wake = model.nextWake(); wake !== undefined; wake = model.nextWake()) fired.push(...timersPhase(model, Math.max(wake, firstWake)));
      return fired.map((id) => 'ABC'[id - 1]).join('');
    });
    expect(orders).toEqual(['ABC', 'ABC', 'ABC', 'ABC', 'ACB', 'ACB', 'ACB']);
  });

  it('lets a longer deadline fire first: X (due 150) before Y (due 105, armed earlier), because X\'s list expires first', () => {
    // Measured on Node 20 (see the real-Node cases below for the general check). The list's expiry is its
    // first timer's deadline, not X's, so DESIGN.md's "a timer with a longer deadline never fires before a due
    // one with a shorter deadline armed no later" holds only for timers of one duration.
    const model = new NodeTimerModel();
    model.arm(A, 100, 0, false); // list 100, expiry 100
    model.arm(B, 60, 45, false); // Y: list 60, expiry 105
    model.arm(C, 100, 50, false); // X: list 100, due 150
    expect(timersPhase(model, 200)).toEqual([A, C, B]);
  });

  it('keeps a stale expiry when a list\'s first timer is cleared; a wake-up at it fires nothing but reorders two lists due together', () => {
    const stale = (): NodeTimerModel => {
      const model = new NodeTimerModel();
      model.arm(A, 100, 0, false); // P
      model.arm(B, 160, 0, false); // Y, due 160
      model.arm(C, 100, 60, false); // X, due 160
      model.clear(A);
      return model;
    };
    const model = stale();
    expect(model.lists()).toEqual([list(100, 100, [[C, 60]]), list(160, 160, [[B, 0]])]);
    expect(model.nextWake()).toBe(100);
    expect(model.dueInstants(0, 10)).toEqual([100, 160]);
    // Punctual: the wake at 100 fires nothing and re-queues X's list at 160 with an id after Y's.
    expect(timersPhase(model, 100)).toEqual([]);
    expect(model.lists()).toEqual([list(160, 160, [[B, 0]]), list(100, 160, [[C, 60]])]);
    expect(timersPhase(model, 160)).toEqual([B, C]);
    // Blocked past 160: X's list still says 100 and goes first.
    expect(timersPhase(stale(), 200)).toEqual([C, B]);
  });

  it('does not fire, in the same phase, a timer a callback arms, even in a list the phase reaches later', () => {
    const model = acb();
    const fired = timersPhase(model, 300, {
      [A]: (m) => {
        m.arm(D, 100, 300, false); // A's own list, behind C
        m.arm(E, 150, 300, false); // B's list, which the phase walks next
        m.arm(F, 1, 300, false); // a new list, expiry 301
      },
    });
    expect(fired).toEqual([A, C, B]);
    expect(model.lists()).toEqual([list(1, 301, [[F, 300]]), list(100, 400, [[D, 300]]), list(150, 450, [[E, 300]])]);
  });

  it('skips a later timer that an earlier callback cleared, and drops the list it emptied', () => {
    expect(timersPhase(acb(), 300, { [A]: (m) => m.clear(C) })).toEqual([A, B]);
    expect(timersPhase(acb(), 300, { [A]: (m) => m.clear(B) })).toEqual([A, C]);
    const model = acb();
    expect(timersPhase(model, 300, { [A]: (m) => (m.clear(B), m.clear(C)) })).toEqual([A]);
    expect(model.nextWake()).toBeUndefined();
  });

  it('deletes a list when a timer clears itself in its callback, so a timer of that duration armed next makes a new list', () => {
    const model = new NodeTimerModel();
    model.arm(A, 100, 0, false);
    expect(
      timersPhase(model, 100, {
        [A]: (m) => {
          m.clear(A);
          m.arm(B, 100, 100, false);
        },
      }),
    ).toEqual([A]);
    expect(model.lists()).toEqual([list(100, 200, [[B, 100]])]);
  });

  it('re-queues a list at max(start + msecs, now + 1), Node\'s formula, for fractional instants too', () => {
    const model = new NodeTimerModel();
    model.arm(A, 1, 0, false);
    model.arm(B, 1, 0.5, false);
    model.clear(A); // the list keeps expiry 1
    expect(timersPhase(model, 1.2)).toEqual([]);
    expect(model.nextWake()).toBe(2.2);
  });

  it('ignores clear() of unknown, fired or cleared timers, and fires nothing outside a phase', () => {
    const model = new NodeTimerModel();
    model.clear(42);
    model.arm(A, 10, 0, false);
    expect(model.nextTimer()).toBeUndefined();
    expect(timersPhase(model, 10)).toEqual([A]);
    model.clear(A);
    model.clear(A);
    expect(model.nextTimer()).toBeUndefined();
    expect(model.nextWake()).toBeUndefined();
  });

  it('refuses an id that is still armed, and takes it again once its timer is done', () => {
    const model = new NodeTimerModel();
    model.arm(A, 10, 0, false);
    expect(() => model.arm(A, 10, 0, false)).toThrow(/armed already/);
    expect(timersPhase(model, 10)).toEqual([A]);
    model.arm(A, 10, 10, false);
    expect(model.isArmed(A)).toBe(true);
  });
});

describe('NodeTimerModel: intervals', () => {
  it('re-arms an interval from the time before its callback, once per phase however late (no catch-up)', () => {
    const model = new NodeTimerModel();
    model.arm(A, 50, 0, true);
    expect(timersPhase(model, 50)).toEqual([A]);
    expect(model.nextWake()).toBe(100);
    expect(timersPhase(model, 130)).toEqual([A]);
    expect(model.nextWake()).toBe(180);
  });

  it('re-arms from the callback\'s own start when earlier callbacks of the phase took time', () => {
    const model = new NodeTimerModel();
    model.arm(A, 50, 0, false);
    model.arm(B, 50, 0, true);
    model.beginTimersPhase(50);
    expect(model.nextTimer()).toBe(A);
    expect(model.nextTimer(58)).toBe(B); // A's callback ran until 58
    expect(model.nextTimer()).toBeUndefined();
    expect(model.lists()).toEqual([list(50, 108, [[B, 58]])]);
  });

  it('re-inserts an interval after its callback, behind a timer of its duration that the callback armed', () => {
    const model = new NodeTimerModel();
    model.arm(A, 50, 0, true);
    expect(timersPhase(model, 50, { [A]: (m) => m.arm(B, 50, 50, false) })).toEqual([A]);
    expect(model.lists()).toEqual([list(50, 100, [[B, 50], [A, 50]])]);
    expect(timersPhase(model, 100)).toEqual([B, A]);
  });

  it('holds a due interval back behind a later-armed timer ahead of it in its list (Node\'s walk stops at the first one not due)', () => {
    const model = new NodeTimerModel();
    model.arm(A, 50, 0, true);
    // The callback busy-waits 20 ms, then arms B: B starts at 70 and sits ahead of the interval (start 50).
    timersPhase(model, 50, { [A]: (m) => m.arm(B, 50, 70, false) });
    expect(model.lists()).toEqual([list(50, 120, [[B, 70], [A, 50]])]);
    expect(model.nextWake()).toBe(120);
    expect(model.dueInstants(0, 5)).toEqual([100, 120]);
    expect(timersPhase(model, 110)).toEqual([]); // A is due, but behind B
    expect(timersPhase(model, 120)).toEqual([B, A]);
  });

  it('does not re-arm an interval that clears itself, and lets the re-arm override a refresh in its own callback', () => {
    const cleared = new NodeTimerModel();
    cleared.arm(A, 10, 0, true);
    expect(timersPhase(cleared, 10, { [A]: (m) => m.clear(A) })).toEqual([A]);
    expect(cleared.nextWake()).toBeUndefined();

    const refreshed = new NodeTimerModel();
    refreshed.arm(A, 10, 0, true);
    refreshed.beginTimersPhase(10);
    expect(refreshed.nextTimer(10)).toBe(A);
    refreshed.refresh(A, 15); // inside its callback
    expect(refreshed.nextTimer()).toBeUndefined();
    expect(refreshed.lists()).toEqual([list(10, 20, [[A, 10]])]);
  });

  it('re-arms when told the callback ended (endCallback), so a clear from its microtasks removes it', () => {
    const model = new NodeTimerModel();
    model.arm(A, 10, 0, true);
    model.beginTimersPhase(10);
    expect(model.nextTimer()).toBe(A);
    model.endCallback();
    expect(model.isArmed(A)).toBe(true);
    model.clear(A);
    expect(model.nextTimer()).toBeUndefined();
    expect(model.nextWake()).toBeUndefined();
  });
});

describe('NodeTimerModel: refresh and unref', () => {
  it('moves a refreshed timer to the end of its list with a new start, leaving the list\'s expiry as it was', () => {
    const model = new NodeTimerModel();
    model.arm(A, 100, 0, false);
    model.arm(B, 100, 10, false);
    model.refresh(A, 20);
    expect(model.lists()).toEqual([list(100, 100, [[B, 10], [A, 20]])]);
    expect(timersPhase(model, 100)).toEqual([]);
    expect(timersPhase(model, 110)).toEqual([B]);
    expect(timersPhase(model, 120)).toEqual([A]);
  });

  it('re-arms a timeout that fired, in its callback or later, and not one that was cleared', () => {
    const model = new NodeTimerModel();
    model.arm(A, 10, 0, false);
    expect(timersPhase(model, 10, { [A]: (m) => m.refresh(A, 10) })).toEqual([A]);
    expect(timersPhase(model, 20)).toEqual([A]);
    model.refresh(A, 25);
    expect(timersPhase(model, 35)).toEqual([A]);

    model.arm(B, 10, 40, false);
    model.clear(B);
    model.refresh(B, 45);
    expect(model.nextWake()).toBeUndefined();
  });

  it('re-arms a fired timeout that was then cleared as a timer without a callback: it holds its place and fires nothing', () => {
    // clearTimeout on a fired timeout only nulls _onTimeout (unenroll returns: it is destroyed); refresh() re-inserts it.
    const model = new NodeTimerModel();
    model.arm(A, 10, 0, false);
    timersPhase(model, 10);
    model.clear(A);
    model.refresh(A, 12);
    expect(model.lists()).toEqual([list(10, 22, [[A, 12]])]);
    expect(timersPhase(model, 22)).toEqual([]);
    expect(model.isArmed(A)).toBe(false);
    expect(model.nextWake()).toBeUndefined();
  });

  it('leaves the emptied list of a cleared unref\'d timer queued (Node deletes only refed timers\' lists)', () => {
    const made = (unref: boolean): NodeTimerModel => {
      const model = new NodeTimerModel();
      model.arm(A, 100, 0, false);
      if (unref) model.unref(A);
      model.clear(A);
      model.arm(B, 100, 50, false);
      return model;
    };
    expect(made(false).lists()).toEqual([list(100, 150, [[B, 50]])]);
    expect(made(true).lists()).toEqual([list(100, 100, [[B, 50]])]);
    const refedAgain = new NodeTimerModel();
    refedAgain.arm(A, 100, 0, false, false);
    refedAgain.ref(A);
    refedAgain.clear(A);
    expect(refedAgain.nextWake()).toBeUndefined();
  });
});

describe('NodeTimerModel: delays coerced as Node does', () => {
  it('turns anything not in [1, TIMEOUT_MAX] into 1, and keeps fractions for insert() to truncate', () => {
    const cases: [unknown, number][] = [
      [0, 1], [-5, 1], [Number.NaN, 1], [undefined, 1], [null, 1], [Number.POSITIVE_INFINITY, 1], ['abc', 1], [{}, 1],
      [0.5, 1], [1.7, 1.7], [2 ** 31, 1], [TIMEOUT_MAX, TIMEOUT_MAX], ['10', 10], [true, 1], [[20], 20],
    ];
    expect(cases.map(([delay]) => coerceDelay(delay))).toEqual(cases.map(([, coerced]) => coerced));
    expect(() => coerceDelay(1n)).toThrow(TypeError);
  });

  it('files 0, -5, NaN, 1.7, 2 ** 31 and undefined under list 1, in arming order, and 2.9 under list 2', () => {
    const model = new NodeTimerModel();
    const delays: unknown[] = [1.7, 0, -5, Number.NaN, 2 ** 31, undefined];
    delays.forEach((delay, i) => model.arm(i + 1, delay, 0, false));
    model.arm(7, 2.9, 0, false);
    model.arm(8, '3', 0, false);
    expect(model.lists()).toEqual([list(1, 1, [[1, 0], [2, 0], [3, 0], [4, 0], [5, 0], [6, 0]]), list(2, 2, [[7, 0]]), list(3, 3, [[8, 0]])]);
    expect(timersPhase(model, 1)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => model.arm(9, 1n, 0, false)).toThrow(TypeError);
    expect(model.isArmed(9)).toBe(false);
  });

  it('re-arms a 1.7 ms interval with its coerced delay, in list 1', () => {
    const model = new NodeTimerModel();
    model.arm(A, 1.7, 0, true);
    expect(timersPhase(model, 1)).toEqual([A]);
    expect(model.lists()).toEqual([list(1, 2, [[A, 1]])]);
  });
});

describe('NodeTimerModel: immediates', () => {
  it('runs them first in, first out; those queued during a check phase wait for the next; a cleared one never runs', () => {
    const model = new NodeTimerModel();
    [1, 2, 3].forEach((id) => model.queueImmediate(id));
    expect(model.immediatesPending()).toBe(true);
    const ran = checkPhase(model, {
      1: (m) => {
        m.queueImmediate(4);
        m.clearImmediate(3);
        m.clearImmediate(99);
      },
    });
    expect(ran).toEqual([1, 2]);
    expect(model.immediates()).toEqual([4]);
    expect(checkPhase(model)).toEqual([4]);
    expect(model.immediatesPending()).toBe(false);
    expect(checkPhase(model)).toEqual([]);
  });

  it('finishes an abandoned check phase first, as Node\'s outstandingQueue does after an exception', () => {
    const model = new NodeTimerModel();
    [1, 2].forEach((id) => model.queueImmediate(id));
    model.beginCheckPhase();
    expect(model.nextImmediate()).toBe(1); // and it throws
    model.queueImmediate(3);
    expect(checkPhase(model)).toEqual([2]);
    expect(checkPhase(model)).toEqual([3]);
  });
});

// ---------------------------------------------------------------------------

/** The callbacks that ran, in order (timers and immediates). */
const order = (log: readonly Event[]): number[] => log.flatMap((event) => (event[0] === 't' || event[0] === 'i' ? [event[1]] : []));
/** The `_idleStart` of the program's first arm. */
const firstStart = (log: readonly Event[]): number => (log.find((event) => event[0] === 's') as ['s', number])[1];
/** The `now` of the timers phase that fired timer `id` first. */
function phaseOf(log: readonly Event[], id: number): number | undefined {
  let now: number | undefined;
  for (const event of log) {
    if (event[0] === 'T') now = event[1];
    if (event[0] === 't' && event[1] === id) return now;
  }
  return undefined;
}

const arm = (id: number, delay: number, repeat = false) => ({ do: 'arm', id, delay, repeat }) as const;
const busy = (ms: number) => ({ do: 'busy', ms }) as const;

const HAND_WRITTEN = {
  acbBlocked: { main: [arm(A, 100), arm(B, 150), busy(60), arm(C, 100), busy(240)], on: {} },
  acbPunctual: { main: [arm(A, 100), arm(B, 150), busy(60), arm(C, 100)], on: {} },
  // P (1) and Y (2) at 0, X (3) at 60, P cleared: X and Y both due at 160.
  staleBlocked: { main: [arm(A, 100), arm(B, 160), busy(60), arm(C, 100), { do: 'clear', id: A }, busy(140)], on: {} },
  stalePunctual: { main: [arm(A, 100), arm(B, 160), busy(60), arm(C, 100), { do: 'clear', id: A }], on: {} },
  // An interval whose first run busy-waits 20 ms and arms a timeout of its own duration; its second run clears it.
  intervalBehind: { main: [arm(A, 50, true)], on: { [A]: [[busy(20), arm(B, 50)], [{ do: 'clear', id: A }]] } },
} satisfies Record<string, Program>;

/** Enough to catch a broken model, small enough for `npm test` (about 2 s): `npx tsx test/conformance/timerOrder.ts` runs hundreds. */
const RANDOM_CASES = 24;
const SEED = 20_240_601;

describe('NodeTimerModel against real Node', () => {
  const names = Object.keys(HAND_WRITTEN) as (keyof typeof HAND_WRITTEN)[];
  const randomPrograms = fc.sample(programArbitrary, { seed: SEED, numRuns: RANDOM_CASES });
  const real = new Map<keyof typeof HAND_WRITTEN, Event[]>();
  let randomLogs: Event[][] = [];

  beforeAll(() => {
    const logs = runOnRealNode([...names.map((name) => HAND_WRITTEN[name]), ...randomPrograms]);
    names.forEach((name, i) => real.set(name, logs[i] ?? []));
    randomLogs = logs.slice(names.length);
  });

  const agrees = (name: keyof typeof HAND_WRITTEN) => replay(HAND_WRITTEN[name], real.get(name) ?? [], new NodeTimerModel());

  it('A C B: real Node fires A, C, B with the loop blocked until 300; the model agrees and the deadline-order model does not', () => {
    const log = real.get('acbBlocked') ?? [];
    expect(order(log)).toEqual([A, C, B]);
    expect(agrees('acbBlocked')).toMatchObject({ agrees: true });
    expect(replay(HAND_WRITTEN.acbBlocked, log, new DeadlineOrderModel())).toMatchObject({
      agrees: false,
      why: expect.stringContaining('Node fired timer 3 (run 0) where the model fires 2'),
    });
  });

  it('A B C: punctually, real Node fires A, B, C, as the model says (when the first wake-up came before C was due)', () => {
    const log = real.get('acbPunctual') ?? [];
    expect(agrees('acbPunctual')).toMatchObject({ agrees: true });
    // The planned order needs the loop to wake for A before C is due (160); a machine that stalls longer
    // gives A C B, which the replay above still checks, with the instants that really happened.
    if ((phaseOf(log, A) ?? Infinity) < firstStart(log) + 160) expect(order(log)).toEqual([A, B, C]);
  });

  it('stale expiry: real Node fires X before Y when blocked, and Y before X when it woke at the stale expiry', () => {
    expect(order(real.get('staleBlocked') ?? [])).toEqual([C, B]);
    expect(agrees('staleBlocked')).toMatchObject({ agrees: true });
    const log = real.get('stalePunctual') ?? [];
    expect(agrees('stalePunctual')).toMatchObject({ agrees: true });
    const woke = log.some((event) => event[0] === 'T' && event[1] >= firstStart(log) + 100 && event[1] < firstStart(log) + 160);
    if (woke) expect(order(log)).toEqual([B, C]);
  });

  it('an interval lands behind the timeout its callback armed: real Node fires I, Y, I', () => {
    expect(order(real.get('intervalBehind') ?? [])).toEqual([A, B, A]);
    expect(agrees('intervalBehind')).toMatchObject({ agrees: true });
  });

  it(`agrees with real Node on ${RANDOM_CASES} random timer programs, phase by phase, with Node's own instants`, () => {
    const verdicts = randomPrograms.map((program, i) => replay(program, randomLogs[i] ?? [], new NodeTimerModel()));
    const disagreeing = verdicts.flatMap((verdict, i) => (verdict.agrees ? [] : [`program ${i}: ${verdict.why}\n${JSON.stringify(randomPrograms[i])}`]));
    expect(disagreeing).toEqual([]);
    // The programs exercise what matters: late wake-ups, and phases that walk several lists.
    expect(verdicts.reduce((sum, verdict) => sum + verdict.latePhases, 0)).toBeGreaterThan(5);
    expect(verdicts.reduce((sum, verdict) => sum + verdict.multiListPhases, 0)).toBeGreaterThan(5);
  });

  it('catches a deadline-order model on random programs too', () => {
    const make = brokenVariants()['deadline order'];
    if (make === undefined) throw new Error('no deadline-order variant');
    const caught = randomPrograms.filter((program, i) => !replay(program, randomLogs[i] ?? [], make()).agrees);
    expect(caught.length).toBeGreaterThan(0);
  });
});
