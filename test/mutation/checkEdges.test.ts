/**
 * Detector edges beside checkUnits.test.ts: SameValueZero with one NaN, and
 * a stuck run's classification when a continuation has no blocker or a
 * thread waits in acquire().
 */
import { describe, expect, it } from 'vitest';
import { BufferModel, sameValueZero } from '../../src/check/bufferModel.ts';
import { conservationMonitor } from '../../src/check/conservation.ts';
import { classifyStuck, waitForCycle } from '../../src/check/stuck.ts';
import type { ExecutionView, ThreadView } from '../../src/engine/monitor.ts';
import type { Blocker } from '../../src/runtime/virtual/host.ts';

const view = (step: number, threads: readonly ThreadView[]): ExecutionView => ({
  step,
  time: 0,
  threads,
  primitives: [],
  threadName: (id) => (id === undefined ? 'setup/timer code' : (threads[id]?.name ?? `t${id}`)),
});

function thread(id: number, name: string, blockers: readonly (Blocker | undefined)[]): ThreadView {
  return { id, name, status: 'point', continuations: blockers.map((b, k) => ({ id: 2 * (k * 4 + id), thread: id, op: 'lock', object: 'm', enabled: b === undefined, blocker: () => b })) };
}

const lock = (heldBy: number[]): Blocker => ({ waitsFor: 'lock(m)', kind: 'lock', heldBy });
const acquire = (heldBy: number[]): Blocker => ({ waitsFor: 'acquire(s)', kind: 'acquire', heldBy });
const wait: Blocker = { waitsFor: 'wait(c)', kind: 'wait', heldBy: [] };

describe('SameValueZero', () => {
  it('NaN equals only NaN', () => {
    expect([sameValueZero(NaN, 1), sameValueZero(1, NaN), sameValueZero(NaN, 'NaN')]).toEqual([false, false, false]);
  });
});

describe("the buffer's contents", () => {
  it('are in the order the puts completed, not the order they began', () => {
    const model = new BufferModel(2);
    const a = model.invoke(0, 'put', 'a', 1);
    const b = model.invoke(1, 'put', 'b', 1);
    model.respond(b, 2);
    model.respond(a, 3);
    expect(model.contents()).toEqual(['"b"', '"a"']);
  });
});

describe('ordinals in conservation messages', () => {
  /** The place a duplicated item is named by, when it is the nth item its producer put. */
  const nth = (n: number): string => {
    const model = new BufferModel(9);
    for (let i = 0; i < n; i++) model.respond(model.invoke(0, 'put', i, i), i + 1);
    for (let k = 0; k < 2; k++) model.respond(model.invoke(1, 'take', undefined, n + k), n + k + 1, n - 1);
    const verdict = conservationMonitor(model, false, (id) => ['p0', 'c0'][id]!).atEnd!({} as never);
    return /\(the (\w+) item of p0\)/.exec(verdict?.message ?? '')?.[1] ?? '';
  };

  it('are words up to the tenth, then numbers with their suffix', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 30, 100].map(nth)).toEqual([
      'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth', '20th', '30th', '100th',
    ]);
  });
});

describe('a stuck run', () => {
  it('a parked thread the buffer says should run, in an operation nobody named, is a deadlock', () => {
    const parked: ThreadView = { id: 0, name: 'c0', status: 'parked', continuations: [] };
    expect(classifyStuck(view(6, [parked]), { shouldRun: () => 'the buffer holds 1 item(s)' }).kind).toBe('deadlock');
  });

  it('a thread blocked in acquire() makes it a deadlock, whatever the buffer says of lost items', () => {
    const threads = [thread(0, 'c0', [wait]), thread(1, 'p0', [acquire([0])])];
    expect(classifyStuck(view(4, threads), { vanished: () => 'gone' }).kind).toBe('deadlock');
  });

  it('a continuation with no blocker beside a blocked one is passed over, in the classification and in the wait-for graph', () => {
    const threads = [thread(0, 'a', [undefined, lock([1])]), thread(1, 'b', [lock([0]), undefined])];
    expect(waitForCycle(view(3, threads))).toEqual(['a', 'b', 'a']);
    expect(classifyStuck(view(3, threads))).toMatchObject({ kind: 'deadlock', cycle: ['a', 'b', 'a'] });
    expect(classifyStuck(view(3, [thread(0, 'c0', [undefined, wait])]), { vanished: () => 'gone' }).kind).toBe('lost-item');
  });
});
