/**
 * The detectors as units (src/check), fed models, views and execution ends
 * by hand: each rule at its edge, and the sentence it says. The engine
 * suites reach them through whole explorations, where an edge (a size equal
 * to the capacity, an ordinal past the tenth, a ninth stack frame) seldom
 * shows.
 */
import { describe, expect, it } from 'vitest';
import { BufferModel, sameValueZero } from '../../src/check/bufferModel.ts';
import { capacityMonitor } from '../../src/check/capacity.ts';
import { verdictOf } from '../../src/check/classify.ts';
import { conservationMonitor } from '../../src/check/conservation.ts';
import { exceptionVerdict, stackFrames } from '../../src/check/exception.ts';
import { invariantMonitor } from '../../src/check/invariant.ts';
import { violationOf } from '../../src/check/predicate.ts';
import { stepLimitVerdict } from '../../src/check/stepLimit.ts';
import { blockedThreads, classifyStuck, describeBlocked, waitForCycle } from '../../src/check/stuck.ts';
import type { ExecutionEnd, ExecutionResult } from '../../src/engine/execution.ts';
import type { ExecutionView, ThreadView } from '../../src/engine/monitor.ts';
import type { Blocker } from '../../src/runtime/virtual/host.ts';

const view = (step: number, threads: readonly ThreadView[] = []): ExecutionView => ({
  step,
  time: 0,
  threads,
  primitives: [],
  threadName: (id) => (id === undefined ? 'setup/timer code' : (threads[id]?.name ?? `t${id}`)),
});

describe('the buffer model', () => {
  it('counts completed puts and started and completed takes, and knows what each thread is inside', () => {
    const model = new BufferModel(2);
    const put = model.invoke(0, 'put', 'a', 1, 7);
    expect(model.inside.get(0)).toBe(put);
    expect(put).toMatchObject({ thread: 0, op: 'put', item: 'a', invokedAt: 0, respondedAt: -1, invokedStep: 1, invokedSeq: 7, respondedStep: -1 });
    expect([model.putsCompleted, model.takesStarted]).toEqual([0, 0]);
    const take = model.invoke(1, 'take', undefined, 1);
    expect(take.invokedSeq).toBe(-1);
    expect([model.takesStarted, model.takesCompleted]).toEqual([1, 0]);
    model.respond(put, 2);
    expect(model.inside.has(0)).toBe(false);
    expect(put).toMatchObject({ respondedAt: 2, respondedStep: 2, item: 'a' });
    model.respond(take, 3, 'a');
    expect([model.putsCompleted, model.takesCompleted, take.item]).toEqual([1, 1, 'a']);
  });

  it('holds what was put and not yet taken, oldest first, described; a take that returned first is owed its put', () => {
    const model = new BufferModel(3);
    const take = model.invoke(2, 'take', undefined, 1);
    model.respond(take, 2, 'x');
    model.respond(model.invoke(0, 'put', 'x', 1), 3);
    model.respond(model.invoke(0, 'put', NaN, 3), 4);
    model.respond(model.invoke(1, 'put', { k: 1 }, 4), 5);
    expect(model.contents()).toEqual(['NaN', '{k:1}']);
    model.respond(model.invoke(2, 'take', undefined, 5), 6, NaN);
    expect(model.contents()).toEqual(['{k:1}']);
    model.invoke(0, 'put', 'pending', 6);
    expect(model.contents()).toEqual(['{k:1}']);
  });

  it('compares items by SameValueZero', () => {
    expect([sameValueZero(NaN, NaN), sameValueZero(0, -0), sameValueZero('1', 1), sameValueZero({}, {}), sameValueZero(undefined, null)]).toEqual([true, true, false, false, false]);
  });
});

describe('capacity', () => {
  const after = (model: BufferModel, size: () => number | undefined, step = 4) => capacityMonitor(model, size).afterStep!(view(step));

  it('holds at 0 and at the capacity, by size and by the sound count', () => {
    const model = new BufferModel(2);
    for (let i = 0; i < 2; i++) model.respond(model.invoke(0, 'put', i, 1), 1);
    expect(after(model, () => 2)).toBeUndefined();
    expect(after(model, () => 0)).toBeUndefined();
    expect(after(model, () => undefined)).toBeUndefined();
  });

  it('a size above the capacity, below 0, or NaN is a capacity finding', () => {
    const model = new BufferModel(2);
    expect(after(model, () => 3)).toEqual({ kind: 'capacity', message: 'buffer size is 3 after step 4, outside its capacity 0..2.' });
    expect(after(model, () => -1)?.message).toBe('buffer size is -1 after step 4, outside its capacity 0..2.');
    expect(after(model, () => NaN)?.kind).toBe('capacity');
  });

  it('a sound count over the capacity is lost-item when size looks fine, and capacity when there is no size', () => {
    const model = new BufferModel(1);
    for (let i = 0; i < 2; i++) model.respond(model.invoke(0, 'put', i, 1), 2);
    expect(after(model, () => 1)).toEqual({
      kind: 'lost-item',
      message:
        '2 puts have completed and only 0 takes have started, so the buffer must hold at least 2 items (capacity 1), yet it reports size 1: an item was overwritten or dropped by step 4.',
    });
    expect(after(model, () => undefined)).toEqual({
      kind: 'capacity',
      message: '2 puts have completed and only 0 takes have started after step 4: the buffer holds at least 2 items, over its capacity 1.',
    });
    // A take started counts at once: the buffer need not hold that item any more.
    model.invoke(1, 'take', undefined, 3);
    expect(after(model, () => undefined)).toBeUndefined();
  });

  it('a size that throws is an exception finding naming the size', () => {
    const verdict = after(new BufferModel(1), () => {
      throw new RangeError('no size');
    });
    expect(verdict?.kind).toBe('exception');
    expect(verdict?.message).toMatch(/^the buffer's size \(read after every step\) threw at step 4: RangeError: no size/);
  });
});

describe('conservation at its edges', () => {
  const NAMES = ['p0', 'p1', 'c0'];
  const judge = (ops: readonly [number, 'put' | 'take', unknown][], fifo = true, capacity = 9) => {
    const model = new BufferModel(capacity);
    ops.forEach(([thread, op, item], i) => model.respond(model.invoke(thread, op, op === 'put' ? item : undefined, i), i + 1, item));
    return conservationMonitor(model, fifo, (id) => NAMES[id]!).atEnd!(view(0));
  };

  it('everything taken once, in order: nothing to say', () => {
    expect(judge([[0, 'put', 'a'], [0, 'put', 'b'], [2, 'take', 'a'], [2, 'take', 'b']])).toBeUndefined();
  });

  it('out of order is an order finding only under fifo', () => {
    const ops: [number, 'put' | 'take', unknown][] = [[0, 'put', 'a'], [0, 'put', 'b'], [2, 'take', 'b'], [2, 'take', 'a']];
    expect(judge(ops)).toEqual({ kind: 'order', message: 'p0 put "a" before "b", but c0 took "b" (step 3) before c0 took "a" (step 3).' });
    expect(judge(ops, false)).toBeUndefined();
  });

  it('takes that overlap in time are not ordered', () => {
    const model = new BufferModel(2);
    model.respond(model.invoke(0, 'put', 'a', 0), 1);
    model.respond(model.invoke(0, 'put', 'b', 1), 2);
    const first = model.invoke(1, 'take', undefined, 3);
    const second = model.invoke(2, 'take', undefined, 3);
    model.respond(second, 4, 'b');
    model.respond(first, 5, 'a');
    expect(conservationMonitor(model, true, (id) => NAMES[id] ?? 'c1').atEnd!(view(0))).toBeUndefined();
  });

  it('lists five items at most, then an ellipsis', () => {
    const puts: [number, 'put' | 'take', unknown][] = Array.from({ length: 7 }, (_, i) => [0, 'put', { n: i }]);
    expect(judge(puts)?.message).toMatch(/^7 item\(s\) put were never taken although every thread finished: \{n:0\}, put by p0 at step 1; .*; \{n:4\}, put by p0 at step 5; …\.$/);
    const primitives: [number, 'put' | 'take', unknown][] = [
      ...Array.from({ length: 22 }, (_, i): [number, 'put', unknown] => [0, 'put', i]),
      [2, 'take', 10],
      [2, 'take', 10],
      [2, 'take', 20],
      [2, 'take', 20],
    ];
    expect(judge(primitives.filter((o) => o[2] !== 20))?.message).toContain('item 10 (the 11th item of p0) was taken twice');
  });

  it('ordinals past the tenth', () => {
    const nth = (n: number): string => {
      const ops: [number, 'put' | 'take', unknown][] = [...Array.from({ length: n }, (_, i): [number, 'put', unknown] => [0, 'put', i]), [2, 'take', n - 1], [2, 'take', n - 1]];
      return /\(the (\w+) item of p0\)/.exec(judge(ops)?.message ?? '')?.[1] ?? '';
    };
    expect([1, 2, 3, 10, 11, 12, 13, 21, 22, 23, 24, 101, 111, 112, 113].map(nth)).toEqual([
      'first', 'second', 'third', 'tenth', '11th', '12th', '13th', '21st', '22nd', '23rd', '24th', '101st', '111th', '112th', '113th',
    ]);
  });

  it('counts takes beyond twice, and lists more than five places with how many more', () => {
    const ops: [number, 'put' | 'take', unknown][] = [[0, 'put', 'x'], [2, 'take', 'x'], [2, 'take', 'x'], [2, 'take', 'x']];
    expect(judge(ops)?.message).toBe('item "x" (the first item of p0) was taken 3 times: by c0 at steps 2, 3 and 4; it was put once, by p0 at step 1.');
    const seven: [number, 'put' | 'take', unknown][] = [[0, 'put', 'x'], ...Array.from({ length: 7 }, (): [number, 'take', unknown] => [2, 'take', 'x'])];
    expect(judge(seven)?.message).toContain('by c0 at steps 2, 3, 4, 5, 6 and 2 more;');
  });
});

describe('invariant and final', () => {
  it('reads true as holding, a string as the violation, anything else or a throw as a violation too', () => {
    expect(violationOf(() => true, 'invariant')).toBeUndefined();
    expect(violationOf(() => 'two inside', 'invariant')).toBe('invariant violated: two inside');
    expect(violationOf(() => '', 'final')).toBe('final violated: ');
    expect(violationOf(() => false, 'final')).toBe('final violated (it returned false)');
    expect(violationOf(() => undefined, 'final')).toBe('final violated (it returned undefined)');
    expect(violationOf(() => 1, 'final')).toBe('final violated (it returned 1)');
    expect(
      violationOf(() => {
        throw new TypeError('no state');
      }, 'invariant'),
    ).toBe('invariant threw: TypeError: no state');
    expect(
      violationOf(() => {
        throw 'plain';
      }, 'invariant'),
    ).toBe('invariant threw: "plain"');
  });

  it('invariant after every step, with the step; final at the end, without; neither when not given', () => {
    const monitor = invariantMonitor({ n: 2 }, (s) => (s.n < 2 ? true : `n is ${s.n}`), (s) => s.n === 0 || `n ended at ${s.n}`);
    expect(monitor.afterStep!(view(5))).toEqual({ kind: 'invariant', message: 'invariant violated: n is 2 (after step 5)' });
    expect(monitor.atEnd!(view(9))).toEqual({ kind: 'invariant', message: 'final violated: n ended at 2' });
    const holds = invariantMonitor({ n: 0 }, () => true, () => true);
    expect([holds.afterStep!(view(1)), holds.atEnd!(view(1))]).toEqual([undefined, undefined]);
    expect(invariantMonitor({}, undefined, undefined)).toEqual({});
    expect(Object.keys(invariantMonitor({}, () => true, undefined))).toEqual(['afterStep']);
    expect(Object.keys(invariantMonitor({}, undefined, () => true))).toEqual(['atEnd']);
  });
});

describe('exceptions', () => {
  it('name who threw, at which step, the error line and the user frames of its stack', () => {
    const error = new Error('boom');
    error.stack = [
      'Error: boom',
      '    at userCode (/home/me/project/src/queue.ts:10:5)',
      `    at harness (${new URL('../../src/engine/execution.ts', import.meta.url).pathname}:1:1)`,
      `    at harnessUrl (${new URL('../../src/engine/execution.ts', import.meta.url).href}:1:1)`,
      '    at processTicksAndRejections (node:internal/process/task_queues:95:5)',
      '    at more (/home/me/project/src/more.ts:1:1)',
      'not a frame',
    ].join('\n');
    expect(exceptionVerdict('consumer-0', error, 3)).toEqual({
      kind: 'exception',
      message: 'consumer-0 threw at step 3: Error: boom\n    at userCode (/home/me/project/src/queue.ts:10:5)\n    at more (/home/me/project/src/more.ts:1:1)',
    });
    expect(exceptionVerdict('a promise', 'plain', 2, 'rejected, unhandled,').message).toBe('a promise rejected, unhandled, at step 2: "plain"');
  });

  it('keep eight frames at most, and no stack at all when reading it throws', () => {
    const stack = ['Error: deep', ...Array.from({ length: 12 }, (_, i) => `    at f${i} (/app/f.ts:${i}:1)`)].join('\n');
    expect(stackFrames(stack).split('\n')).toHaveLength(8);
    expect(stackFrames(stack).split('\n')[7]).toBe('    at f7 (/app/f.ts:7:1)');
    const hostile = new Error('x');
    Object.defineProperty(hostile, 'stack', {
      get() {
        throw new Error('no stack for you');
      },
    });
    expect(exceptionVerdict('t', hostile, 1).message).toBe('t threw at step 1: Error: x');
  });
});

describe('the step limit', () => {
  it('says where the fair continuation began, where the state came back, and the cycle', () => {
    expect(stepLimitVerdict(100, 160, ['a: yield', 'b: yield'], 121)).toEqual({
      kind: 'step-limit',
      message:
        'livelock: the execution does not end. From step 100 on it was scheduled fairly (round-robin), and after step 160 it was back in the state it had after step 120 ' +
        "(threads, harness objects, timers and the scenario's visible state), so it repeats forever: a: yield → b: yield.",
      repeating: ['a: yield', 'b: yield'],
    });
  });
});

describe('the verdict of an execution by how it ended', () => {
  const result = (end: ExecutionEnd, step = 7): ExecutionResult => ({ end, step, view: view(step, [thread(0, 'alpha', 'failed', [])]) }) as unknown as ExecutionResult;
  const noHints = () => {
    throw new Error('hints are asked for only when the run is stuck');
  };

  it('completed and unfinished runs are no finding; a detector verdict is itself', () => {
    expect(verdictOf(result({ type: 'completed' }), 10, noHints)).toBeUndefined();
    expect(verdictOf(result({ type: 'unfinished' }), 10, noHints)).toBeUndefined();
    const verdict = { kind: 'invariant' as const, message: 'x' };
    expect(verdictOf(result({ type: 'verdict', verdict, atEnd: false }), 10, noHints)).toBe(verdict);
  });

  it('a thread, a callback or the setup that threw is an exception naming it', () => {
    expect(verdictOf(result({ type: 'thread-error', thread: 0, error: 'plain' }), 10, noHints)?.message).toBe('alpha threw at step 7: "plain"');
    expect(verdictOf(result({ type: 'callback-error', callback: 'timer#2 (a timer callback)', error: 5 }), 10, noHints)?.message).toBe('timer#2 (a timer callback) threw at step 7: 5');
    expect(verdictOf(result({ type: 'setup-error', error: 'no db' }), 10, noHints)?.message).toBe('setup (or create) threw at step 0: "no db"');
  });

  it('a divergence is nondeterminism; a step limit is a livelock from maxSteps on', () => {
    expect(verdictOf(result({ type: 'diverged', message: 'at step 3 the schedule left' }), 10, noHints)).toEqual({
      kind: 'nondeterminism',
      message: 'the execution diverged from its recorded schedule: at step 3 the schedule left.',
    });
    // A livelock asks the hints too: what its threads never finish, in the workload's words.
    expect(verdictOf(result({ type: 'step-limit', repeating: ['a: yield'], cycleStart: 12 }, 40), 10, () => ({}))?.message).toContain('From step 10 on it was scheduled fairly (round-robin), and after step 40 it was back in the state it had after step 11');
  });

  it('a stuck run asks for the hints and is classified', () => {
    let asked = 0;
    const verdict = verdictOf(result({ type: 'stuck' }), 10, () => {
      asked++;
      return {};
    });
    expect(asked).toBe(1);
    expect(verdict?.kind).toBe('deadlock');
  });
});

function thread(id: number, name: string, status: ThreadView['status'], blockers: readonly (Blocker | undefined)[]): ThreadView {
  return { id, name, status, continuations: blockers.map((b, k) => ({ id: 2 * (k * 4 + id), thread: id, op: 'lock', object: 'm', enabled: b === undefined, blocker: () => b })) };
}

describe('a stuck run', () => {
  const lock = (heldBy: number[], name = 'm'): Blocker => ({ waitsFor: `lock(${name})`, kind: 'lock', heldBy });
  const acquire = (heldBy: number[]): Blocker => ({ waitsFor: 'acquire(s)', kind: 'acquire', heldBy });
  const wait: Blocker = { waitsFor: 'wait(c)', kind: 'wait', heldBy: [] };

  it('blocked in lock() or acquire() is a deadlock with its wait-for cycle, each thread and who holds what it waits for', () => {
    const threads = [thread(0, 'a', 'point', [lock([1], 'm2')]), thread(1, 'b', 'point', [lock([0], 'm1')]), thread(2, 'c', 'point', [acquire([0, 1])])];
    const verdict = classifyStuck(view(9, threads));
    expect(verdict).toEqual({
      kind: 'deadlock',
      message: 'deadlock at step 9: no thread can step. a waits in lock(m2) held by b; b waits in lock(m1) held by a; c waits in acquire(s), which only a or b could release. Wait-for cycle: a -> b -> a.',
      blocked: [
        { thread: 'a', waitsFor: 'lock(m2)', heldBy: ['b'] },
        { thread: 'b', waitsFor: 'lock(m1)', heldBy: ['a'] },
        { thread: 'c', waitsFor: 'acquire(s)', heldBy: ['a', 'b'] },
      ],
      cycle: ['a', 'b', 'a'],
    });
  });

  it('without a cycle, a deadlock says none; a semaphore nobody holds says no other thread could release it', () => {
    const verdict = classifyStuck(view(3, [thread(0, 'a', 'point', [acquire([])]), thread(1, 'b', 'done', [])]));
    expect(verdict.message).toBe('deadlock at step 3: no thread can step. a waits in acquire(s), which no other thread could release.');
    expect('cycle' in verdict).toBe(false);
  });

  it('a lost item the buffer owns up to is the cause when nobody is blocked in lock() or acquire()', () => {
    const threads = [thread(0, 'c0', 'point', [wait])];
    expect(classifyStuck(view(4, threads), { vanished: () => '2 puts completed and the buffer reports 1' })).toMatchObject({
      kind: 'lost-item',
      message: 'lost item, found stuck at step 4: 2 puts completed and the buffer reports 1. Blocked: c0 waits in wait(c).',
    });
    // With a thread blocked in lock(), the deadlock is what is reported, whatever the buffer says.
    expect(classifyStuck(view(4, [...threads, thread(1, 'p0', 'point', [lock([0])])]), { vanished: () => 'gone' }).kind).toBe('deadlock');
  });

  it('a thread parked in put or take that the buffer says should run is a lost wakeup; parked with nothing to say is a deadlock', () => {
    const parked = thread(0, 'c0', 'parked', []);
    const hints = { parkedIn: () => 'take', shouldRun: () => 'the buffer holds 1 item(s)' };
    expect(classifyStuck(view(6, [parked]), hints)).toMatchObject({
      kind: 'lost-wakeup',
      message: 'lost wakeup at step 6: c0 is parked in take although the buffer holds 1 item(s); nothing will resolve it. Blocked: c0 waits in take (a promise nothing will resolve).',
    });
    expect(classifyStuck(view(6, [parked]), { parkedIn: () => 'take' }).message).toBe('deadlock at step 6: no thread can step. c0 waits in take (a promise nothing will resolve).');
    expect(classifyStuck(view(6, [parked])).message).toBe('deadlock at step 6: no thread can step. c0 waits in a promise nothing will resolve.');
  });

  it('names a continuation left after its thread body returned, and skips the enabled ones', () => {
    const blocked = blockedThreads(view(2, [thread(0, 'a', 'done', [lock([1]), undefined]), thread(1, 'b', 'failed', [undefined])]), {});
    expect(blocked).toEqual([{ thread: 'a (a continuation left after its body returned)', waitsFor: 'lock(m)', heldBy: ['b'] }]);
  });

  it('describes a blocked thread in one phrase', () => {
    expect(describeBlocked({ thread: 'a', waitsFor: 'lock(m)', heldBy: ['b', 'c'] })).toBe('a waits in lock(m) held by b, c');
    expect(describeBlocked({ thread: 'a', waitsFor: 'wait(c)', heldBy: [] })).toBe('a waits in wait(c)');
  });

  it('finds the cycle wherever it starts, through threads that wait on several', () => {
    const threads = [thread(0, 'a', 'point', [lock([1])]), thread(1, 'b', 'point', [lock([2]), lock([3])]), thread(2, 'c', 'point', []), thread(3, 'd', 'point', [lock([1])])];
    expect(waitForCycle(view(1, threads))).toEqual(['b', 'd', 'b']);
    expect(waitForCycle(view(1, threads.slice(0, 3)))).toEqual([]);
  });
});
