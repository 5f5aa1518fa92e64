import type { Monitor, Verdict } from '../engine/monitor.ts';
import { describe } from '../trace/index.ts';
import { sameValueZero, type BufferModel, type BufferOp } from './bufferModel.ts';

/**
 * Once every thread has finished: what was taken must be exactly what was put,
 * as multisets under SameValueZero (lost, duplicated or invented items), and,
 * when `fifo`, each producer's items must come out in the order they went in,
 * judged only between takes that do not overlap in time.
 */
export function conservationMonitor(model: BufferModel, fifo: boolean, threadName: (id: number) => string): Monitor {
  return {
    atEnd() {
      return multisetVerdict(model, threadName) ?? (fifo ? orderVerdict(model, threadName) : undefined);
    },
  };
}

/**
 * Linear in the number of operations: Map keys compare by SameValueZero, as
 * the contract does, NaN included. The messages name the puts and takes
 * involved, by thread and step, so the table can be read at those rows.
 */
function multisetVerdict(model: BufferModel, threadName: (id: number) => string): Verdict | undefined {
  const left = new Map<unknown, number>();
  for (const o of model.ops) if (o.op === 'put' && o.respondedAt >= 0) left.set(o.item, (left.get(o.item) ?? 0) + 1);
  for (const o of model.ops) {
    if (o.op !== 'take' || o.respondedAt < 0) continue;
    const n = left.get(o.item);
    if (n === undefined) {
      const takes = completed(model, 'take', o.item);
      return {
        kind: 'phantom-item',
        message: `a take returned ${describe(o.item)}${o.item === undefined ? ` (${EMPTY_TAKE})` : ''}, which no producer ever put: ${steps(takes, threadName, 'took it')}.`,
      };
    }
    if (n === 0) {
      const puts = completed(model, 'put', o.item);
      const takes = completed(model, 'take', o.item);
      return {
        kind: 'duplicate-item',
        message:
          `item ${itemPhrase(o.item, puts, model, threadName, true)} was taken ${times(takes.length)}: ${byWhom(takes, threadName)}; ` +
          `it was put ${times(puts.length)}, ${byWhom(puts, threadName)}.`,
      };
    }
    left.set(o.item, n - 1);
  }
  const lost: unknown[] = [];
  for (const [item, n] of left) for (let i = 0; i < n; i++) lost.push(item);
  if (lost.length === 0) return undefined;
  const distinct = [...new Set(lost)];
  const shown = distinct.slice(0, LISTED).map((item) => {
    const puts = completed(model, 'put', item);
    return `${itemPhrase(item, puts, model, threadName, false)}, put ${byWhom(puts, threadName)}`;
  });
  return {
    kind: 'lost-item',
    message: `${lost.length} item(s) put were never taken although every thread finished: ${shown.join('; ')}${distinct.length > LISTED ? '; …' : ''}.`,
  };
}

/** The completed puts or takes of an item. */
function completed(model: BufferModel, op: 'put' | 'take', item: unknown): BufferOp[] {
  return model.ops.filter((o) => o.op === op && o.respondedAt >= 0 && sameValueZero(o.item, item));
}

/** Operations named in a message, at most; a run with more says so with an ellipsis. */
const LISTED = 5;

/** A take from an empty array returns `undefined`, the first item producerConsumer puts: a duplicate of it is often that. */
const EMPTY_TAKE = 'what a take from an empty array returns';

/**
 * An item, with where it came from when its value alone does not say: the
 * primitive items (`undefined`, `null`, `0`, ...) are named by their place in
 * their producer's sequence, and, where it was taken (`taken`), `undefined`
 * as also what a take from an empty array returns.
 */
function itemPhrase(item: unknown, puts: readonly BufferOp[], model: BufferModel, threadName: (id: number) => string, taken: boolean): string {
  const shown = describe(item);
  if (item !== null && typeof item === 'object') return shown;
  const origins = puts.map((put) => {
    const index = model.ops.filter((o) => o.op === 'put' && o.thread === put.thread && o.invokedAt <= put.invokedAt).length;
    return `the ${ordinal(index)} item of ${threadName(put.thread)}`;
  });
  const notes = [...new Set(origins)];
  if (item === undefined && taken) notes.push(notes.length === 0 ? EMPTY_TAKE : `and also ${EMPTY_TAKE}`);
  return notes.length === 0 ? shown : `${shown} (${notes.join(', ')})`;
}

/**
 * "by consumer-0 at step 7 and by consumer-1 at steps 9 and 12": each thread
 * once, in the order of the steps at which the operations returned.
 */
function byWhom(ops: readonly BufferOp[], threadName: (id: number) => string): string {
  return list(perThread(ops).map(([thread, at]) => `by ${threadName(thread)} at ${stepList(at)}`));
}

/** "consumer-1 took it at step 9". */
function steps(ops: readonly BufferOp[], threadName: (id: number) => string, verb: string): string {
  return list(perThread(ops).map(([thread, at]) => `${threadName(thread)} ${verb} at ${stepList(at)}`));
}

function perThread(ops: readonly BufferOp[]): [number, number[]][] {
  const byThread = new Map<number, number[]>();
  for (const o of [...ops].sort((a, b) => a.respondedAt - b.respondedAt)) {
    const at = byThread.get(o.thread) ?? [];
    at.push(o.respondedStep);
    byThread.set(o.thread, at);
  }
  return [...byThread];
}

function stepList(at: readonly number[]): string {
  return at.length === 1 ? `step ${at[0]}` : `steps ${list(at.map(String))}`;
}

function list(phrases: readonly string[]): string {
  const shown = phrases.slice(0, LISTED);
  if (phrases.length > shown.length) return `${shown.join(', ')} and ${phrases.length - shown.length} more`;
  return shown.length <= 1 ? (shown[0] ?? '') : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

function times(n: number): string {
  return n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`;
}

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];

function ordinal(n: number): string {
  if (n >= 1 && n <= ORDINALS.length) return ORDINALS[n - 1]!;
  const teen = n % 100 >= 11 && n % 100 <= 13;
  return `${n}${teen ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th')}`;
}

/**
 * Walks each producer's items in the order it put them (its puts are
 * sequential), remembering the earlier item whose take started last: a later
 * item whose take ended before that one started came out ahead of it.
 */
function orderVerdict(model: BufferModel, threadName: (id: number) => string): Verdict | undefined {
  const takeOf = new Map<unknown, BufferOp>();
  for (const o of model.ops) if (o.op === 'take' && o.respondedAt >= 0) takeOf.set(o.item, o);
  const latest = new Map<number, { readonly put: BufferOp; readonly take: BufferOp }>();
  for (const put of model.ops) {
    if (put.op !== 'put') continue;
    const take = takeOf.get(put.item);
    if (take === undefined) continue;
    const earlier = latest.get(put.thread);
    if (earlier !== undefined && take.respondedAt < earlier.take.invokedAt) {
      return {
        kind: 'order',
        message:
          `${threadName(put.thread)} put ${describe(earlier.put.item)} before ${describe(put.item)}, but ${threadName(take.thread)} took ${describe(put.item)} ` +
          `(step ${take.respondedStep}) before ${threadName(earlier.take.thread)} took ${describe(earlier.put.item)} (step ${earlier.take.invokedStep}).`,
      };
    }
    if (earlier === undefined || take.invokedAt > earlier.take.invokedAt) latest.set(put.thread, { put, take });
  }
  return undefined;
}
