import type { ExecutionView, Verdict } from '../engine/monitor.ts';
import type { ThreadId } from '../runtime/virtual/host.ts';
import { holderPhrase, waitsOnSemaphore, type BlockedThread } from '../trace/index.ts';

/** What a workload knows about a thread that the engine cannot: what it is parked in, and whether it should run. */
export interface StuckHints {
  /** For a thread parked on a promise: the operation it is inside (`take`, `put`). */
  parkedIn?(thread: ThreadId): string | undefined;
  /** Why the buffer says this thread should be running (items buffered, room free), if it does. */
  shouldRun?(thread: ThreadId): string | undefined;
  /** The host sequence number at which the thread began the operation it is inside: a notify before it cannot be meant for it. */
  operationStart?(thread: ThreadId): number | undefined;
  /** When the buffer reports fewer items than it must hold (puts completed minus takes started): what vanished. */
  vanished?(): string | undefined;
}

/**
 * Classifies a stuck execution — no thread can step, no timer is due, some
 * thread unfinished — as README.md's "What it finds" describes the kinds:
 * - a thread blocked in lock() or acquire() makes it a deadlock;
 * - otherwise, a buffer that reports fewer items than it must hold has lost
 *   one, and that is why the others wait: lost-item;
 * - otherwise a waiter in Condition.wait() that missed a notify since it last
 *   woke, or a waiter (or a parked put/take) the buffer says should run, makes
 *   it a lost wakeup;
 * - otherwise it is a deadlock: everyone waits for something nobody will do.
 */
export function classifyStuck(view: ExecutionView, hints: StuckHints = {}): Verdict {
  const blocked = blockedThreads(view, hints);
  const cycle = waitForCycle(view);
  const where = `at step ${view.step}`;
  const list = blocked.map(describeBlocked).join('; ');
  const hardBlocked = view.threads.some((t) =>
    t.continuations.some((c) => {
      const kind = c.blocker()?.kind;
      return kind === 'lock' || kind === 'acquire';
    }),
  );
  if (!hardBlocked) {
    // Threads wait for items the buffer no longer has: the lost item is the cause, not the wait.
    const vanished = hints.vanished?.();
    if (vanished !== undefined) return { kind: 'lost-item', message: `lost item, found stuck ${where}: ${vanished}. Blocked: ${list}.`, blocked };
    const lost = lostWakeup(view, hints);
    if (lost !== undefined) return { kind: 'lost-wakeup', message: `lost wakeup ${where}: ${lost}. Blocked: ${list}.`, blocked };
  }
  const cycleText = cycle.length > 0 ? ` Wait-for cycle: ${cycle.join(' -> ')}.` : '';
  const verdict: Verdict = { kind: 'deadlock', message: `deadlock ${where}: no thread can step. ${list}.${cycleText}`, blocked };
  return cycle.length > 0 ? { ...verdict, cycle } : verdict;
}

/** `consumer-0 waits in lock(m) held by producer-1`; `… waits in acquire(full), which only producer-0 could release`. */
export function describeBlocked(b: BlockedThread): string {
  const semaphore = waitsOnSemaphore(b);
  const phrase = holderPhrase(b) ?? (semaphore ? 'which no other thread could release' : undefined);
  return `${b.thread} waits in ${b.waitsFor}${phrase === undefined ? '' : `${semaphore ? ', ' : ' '}${phrase}`}`;
}

/**
 * Every blocked continuation, by the thread it belongs to (one left running
 * after its thread's body returned is named so), and every thread parked on
 * a promise with no continuation of its own left: nothing will resolve it.
 */
export function blockedThreads(view: ExecutionView, hints: StuckHints): BlockedThread[] {
  const out: BlockedThread[] = [];
  for (const t of view.threads) {
    const finished = t.status === 'done' || t.status === 'failed';
    for (const c of t.continuations) {
      const blocker = c.blocker();
      if (blocker === undefined) continue;
      const thread = finished ? `${t.name} (a continuation left after its body returned)` : t.name;
      out.push({ thread, waitsFor: blocker.waitsFor, heldBy: blocker.heldBy.map((id) => view.threadName(id)) });
    }
    if (t.status === 'parked') {
      const inside = hints.parkedIn?.(t.id);
      out.push({ thread: t.name, waitsFor: inside === undefined ? 'a promise nothing will resolve' : `${inside} (a promise nothing will resolve)`, heldBy: [] });
    }
  }
  return out;
}

function lostWakeup(view: ExecutionView, hints: StuckHints): string | undefined {
  for (const primitive of view.primitives) {
    const condition = primitive.conditionHistory;
    if (condition === undefined) continue;
    for (const waiter of condition.waiters) {
      const name = view.threadName(waiter.thread);
      // A notify that found no waiter since it last woke, and fell between the hold in which it
      // (last) looked at the state and the hold in which it waits: it never saw that signal.
      const from = Math.max(waiter.lastWoke.at, waiter.gap.releasedAt.at, hints.operationStart?.(waiter.thread) ?? -1);
      const missed = condition.missed.find((m) => m.by !== waiter.thread && m.when.at > from && m.when.at < waiter.gap.reacquiredAt.at);
      if (missed !== undefined) {
        return (
          `${name} waits in wait(${condition.name}) since step ${waiter.since.step}, but the notify meant for it came at step ${missed.when.step} ` +
          `(by ${view.threadName(missed.by)}), after it released ${condition.mutex.name} at step ${waiter.gap.releasedAt.step} and before it took it back ` +
          `to wait at step ${waiter.gap.reacquiredAt.step}, and found no waiter`
        );
      }
      const reason = hints.shouldRun?.(waiter.thread);
      if (reason !== undefined) {
        const last = condition.lastWake;
        const signal =
          last !== undefined && last.when.at > waiter.since.at
            ? `; the last notify since it began to wait (step ${last.when.step}, by ${view.threadName(last.by)}) woke ${last.woke.map((id) => view.threadName(id)).join(', ')} instead`
            : '; no notify came since it began to wait';
        return `${name} waits in wait(${condition.name}) since step ${waiter.since.step} although ${reason}${signal}`;
      }
    }
  }
  for (const t of view.threads) {
    if (t.status !== 'parked') continue;
    const inside = hints.parkedIn?.(t.id);
    const reason = hints.shouldRun?.(t.id);
    if (inside !== undefined && reason !== undefined) return `${t.name} is parked in ${inside} although ${reason}; nothing will resolve it`;
  }
  return undefined;
}

/** A cycle in the wait-for graph (thread -> holders of what it waits for), as names with the first repeated last. */
export function waitForCycle(view: ExecutionView): string[] {
  const edges = new Map<ThreadId, ThreadId[]>();
  for (const t of view.threads) {
    for (const c of t.continuations) {
      const blocker = c.blocker();
      if (blocker !== undefined) edges.set(t.id, [...(edges.get(t.id) ?? []), ...blocker.heldBy]);
    }
  }
  const visiting: ThreadId[] = [];
  const done = new Set<ThreadId>();
  const visit = (id: ThreadId): ThreadId[] | undefined => {
    const at = visiting.indexOf(id);
    if (at >= 0) return [...visiting.slice(at), id];
    if (done.has(id)) return undefined;
    visiting.push(id);
    for (const next of edges.get(id) ?? []) {
      const found = visit(next);
      if (found !== undefined) return found;
    }
    visiting.pop();
    done.add(id);
    return undefined;
  };
  for (const t of view.threads) {
    const found = visit(t.id);
    if (found !== undefined) return found.map((id) => view.threadName(id));
  }
  return [];
}
