import { JOIN_STOP, MAX_OFFSET } from './chooser.ts';
import type { Continuation } from './continuation.ts';
import type { DecisionLayer } from './decisions.ts';
import { afterMicrotasks } from './quiescence.ts';
import type { ReadySet } from './readySet.ts';

/**
 * Same-macrotask starts ("joins"): code that starts several operations in
 * one macrotask (`Promise.all([q.take(), q.take()])`, a burst of puts, a
 * release that runs the next task) resumes several continuations in one
 * step, each some microtask turns after the one before. Which ones, in which
 * order and at which offsets is a choice like any other. Only continuations
 * of the poll phase join (law b: what real Node resumes from a callback of
 * its own — a yield's immediate, a sleep's timer — is a step of its own, and
 * never reaches here).
 */

/** A continuation started in the same macrotask as the step's first one, `offset` microtask turns after the one before. */
export interface Joined {
  readonly continuation: Continuation;
  readonly offset: number;
}

export const NO_JOINS: readonly Joined[] = [];
const OFFSETS: readonly number[] = Array.from({ length: MAX_OFFSET + 1 }, (_, i) => i);
/** The most continuations a join decision offers: with thousands of threads ready, a step must not cost a look at every one. */
const MAX_JOIN_CANDIDATES = 16;

/**
 * The candidates of a step's join decisions, reused from step to step: a
 * join decision is asked at almost every step and mostly answered "none",
 * so it must not allocate. Choosers read them during the call only
 * (chooser.ts), and chooseJoins runs synchronously, so one set serves every
 * execution of the process.
 */
const ids: number[] = [];
const tasks: number[] = [];
const sameOp: boolean[] = [];
const others: Continuation[] = [];

/** Adds `c` to the join candidates (no closure per step: this runs at almost every step). */
function offer(c: Continuation, op: string): void {
  ids.push(c.id);
  tasks.push(c.thread);
  sameOp.push(c.request.op === op);
  others.push(c);
}

/** Which other ready continuations start in `first`'s macrotask, in order, and at which offsets. Nothing else ready: nothing asked. */
export function chooseJoins(first: Continuation, ready: ReadySet, decisions: DecisionLayer): readonly Joined[] {
  const n = ready.size;
  if (n <= 1) return NO_JOINS;
  const from = ready.indexOf(first.id);
  ids.length = tasks.length = sameOp.length = others.length = 0;
  const op = first.request.op;
  if (n - 1 <= MAX_JOIN_CANDIDATES) {
    // All of them, in ready order.
    for (let i = 0; i < n; i++) if (i !== from) offer(ready.continuations[i]!, op);
  } else {
    // The next ones after the first in the ready order (cyclically), offered in ready order.
    const positions: number[] = [];
    for (let k = 1; positions.length < MAX_JOIN_CANDIDATES; k++) positions.push((from + k) % n);
    positions.sort((a, b) => a - b);
    for (const i of positions) offer(ready.continuations[i]!, op);
  }
  let joined: Joined[] | undefined;
  while (ids.length > 0) {
    const id = decisions.join(ids, tasks, sameOp);
    if (id === JOIN_STOP) break;
    const offset = decisions.offset(OFFSETS);
    const i = ids.indexOf(id);
    (joined ??= []).push({ continuation: others[i]!, offset });
    ids.splice(i, 1);
    tasks.splice(i, 1);
    sameOp.splice(i, 1);
    others.splice(i, 1);
  }
  others.length = 0;
  return joined ?? NO_JOINS;
}

/**
 * Starts the joined continuations one after the other, each `offset`
 * microtask turns after the one before. `start` decides whether one can
 * still proceed when its turn comes (another took the lock meanwhile: it
 * stays where it is).
 */
export function startJoined(joined: readonly Joined[], start: (j: Joined) => void, i = 0): void {
  const j = joined[i]!;
  afterMicrotasks(j.offset, () => {
    start(j);
    if (i + 1 < joined.length) startJoined(joined, start, i + 1);
  });
}
