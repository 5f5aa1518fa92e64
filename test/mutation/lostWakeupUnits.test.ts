/**
 * How a stuck run on a condition variable is explained (check/stuck.ts,
 * lostWakeup), on conditions written by hand: which notify counts as the one
 * a waiter missed (after it last looked at the state, before it took the
 * mutex back to wait, by another thread), and, where the buffer says a
 * waiter should run, what the last notify did instead.
 */
import { describe, expect, it } from 'vitest';
import { classifyStuck, type StuckHints } from '../../src/check/stuck.ts';
import type { ExecutionView, ThreadView } from '../../src/engine/monitor.ts';
import { VirtualCondition, type NotifyRecord } from '../../src/runtime/virtual/condition.ts';
import { ORIGIN, type Moment } from '../../src/runtime/virtual/mutex.ts';

const NAMES = ['c0', 'p0', 'c1'];
const at = (step: number, seq: number): Moment => ({ step, at: seq });

interface Waiting {
  readonly since?: Moment;
  readonly lastWoke?: Moment;
  readonly releasedAt?: Moment;
  readonly reacquiredAt?: Moment;
}

/** A condition `notEmpty` on mutex `lock` with c0 waiting in it. */
function condition(waiting: Waiting, missed: NotifyRecord[] = [], lastWake?: NotifyRecord): VirtualCondition {
  const c = Object.create(VirtualCondition.prototype) as VirtualCondition;
  const waiter = {
    thread: 0,
    since: waiting.since ?? at(9, 90),
    lastWoke: waiting.lastWoke ?? ORIGIN,
    gap: { releasedAt: waiting.releasedAt ?? at(3, 30), reacquiredAt: waiting.reacquiredAt ?? at(8, 80) },
  };
  Object.assign(c, { name: 'notEmpty', mutex: { name: 'lock' }, waiters: [waiter], missed, lastWake });
  return c;
}

function explain(c: VirtualCondition, hints: StuckHints = {}) {
  const waiting: ThreadView = {
    id: 0,
    name: 'c0',
    status: 'point',
    continuations: [{ id: 0, thread: 0, op: 'wait', object: 'notEmpty', enabled: false, blocker: () => ({ waitsFor: 'wait(notEmpty)', kind: 'wait', heldBy: [] }) }],
  };
  const view: ExecutionView = { step: 10, time: 0, threads: [waiting], primitives: [c], threadName: (id) => (id === undefined ? 'setup/timer code' : NAMES[id]!) };
  return classifyStuck(view, hints);
}

const notify = (by: number, when: Moment, woke: number[] = []): NotifyRecord => ({ when, by, woke });
const DEADLOCK = 'deadlock at step 10: no thread can step. c0 waits in wait(notEmpty).';

describe('the notify a waiter missed', () => {
  it("one by another thread between the waiter's release of the mutex and its taking it back to wait", () => {
    expect(explain(condition({}, [notify(1, at(5, 50))]))).toMatchObject({
      kind: 'lost-wakeup',
      message:
        'lost wakeup at step 10: c0 waits in wait(notEmpty) since step 9, but the notify meant for it came at step 5 (by p0), ' +
        'after it released lock at step 3 and before it took it back to wait at step 8, and found no waiter. Blocked: c0 waits in wait(notEmpty).',
    });
  });

  it('not its own notify, nor one before the gap, nor one after it', () => {
    expect(explain(condition({}, [notify(0, at(5, 50))])).message).toBe(DEADLOCK);
    expect(explain(condition({}, [notify(1, at(2, 20))])).message).toBe(DEADLOCK);
    expect(explain(condition({}, [notify(1, at(8, 85))])).message).toBe(DEADLOCK);
  });

  it('not one before it last woke, nor one before the operation it is in began', () => {
    expect(explain(condition({ lastWoke: at(6, 60) }, [notify(1, at(5, 50))])).message).toBe(DEADLOCK);
    expect(explain(condition({}, [notify(1, at(5, 50))]), { operationStart: () => 55 }).message).toBe(DEADLOCK);
  });

  it('a waiter that never held the mutex before counts a notify from the very start', () => {
    const fresh = condition({ releasedAt: ORIGIN, reacquiredAt: at(1, 4) }, [notify(1, at(0, 0))]);
    expect(explain(fresh).message).toMatch(/^lost wakeup at step 10: c0 waits in wait\(notEmpty\) since step 9, but the notify meant for it came at step 0 \(by p0\)/);
  });
});

describe('a waiter the buffer says should run', () => {
  const hints: StuckHints = { shouldRun: () => 'the buffer holds 1 item(s)' };

  it('with no notify since it began to wait', () => {
    expect(explain(condition({}), hints)).toMatchObject({
      kind: 'lost-wakeup',
      message:
        'lost wakeup at step 10: c0 waits in wait(notEmpty) since step 9 although the buffer holds 1 item(s); no notify came since it began to wait. Blocked: c0 waits in wait(notEmpty).',
    });
    // The last notify came before it began to wait: none since.
    expect(explain(condition({}, [], notify(1, at(7, 70), [2])), hints).message).toContain('although the buffer holds 1 item(s); no notify came since it began to wait.');
  });

  it('with the last notify since, which woke others instead', () => {
    expect(explain(condition({}, [], notify(1, at(9, 95), [2, 1])), hints).message).toBe(
      'lost wakeup at step 10: c0 waits in wait(notEmpty) since step 9 although the buffer holds 1 item(s); the last notify since it began to wait (step 9, by p0) woke c1, p0 instead. ' +
        'Blocked: c0 waits in wait(notEmpty).',
    );
  });

  it('without a reason from the buffer, a deadlock', () => {
    expect(explain(condition({}, [], notify(1, at(9, 95), [2])), { shouldRun: () => undefined }).message).toBe(DEADLOCK);
  });
});
