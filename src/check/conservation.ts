import type { Monitor, Verdict } from '../engine/monitor.ts';
import { describe } from '../trace/index.ts';
import type { BufferModel, BufferOp } from './bufferModel.ts';

/**
 * Once every thread has finished: what was taken must be exactly what was put,
 * as multisets under SameValueZero (lost, duplicated or invented items), and,
 * when `fifo`, each producer's items must come out in the order they went in,
 * judged only between takes that do not overlap in time.
 */
export function conservationMonitor(model: BufferModel, fifo: boolean, threadName: (id: number) => string): Monitor {
  return {
    atEnd() {
      return multisetVerdict(model) ?? (fifo ? orderVerdict(model, threadName) : undefined);
    },
  };
}

/** Linear in the number of operations: Map keys compare by SameValueZero, as the contract does, NaN included. */
function multisetVerdict(model: BufferModel): Verdict | undefined {
  const left = new Map<unknown, number>();
  for (const o of model.ops) if (o.op === 'put' && o.respondedAt >= 0) left.set(o.item, (left.get(o.item) ?? 0) + 1);
  for (const o of model.ops) {
    if (o.op !== 'take' || o.respondedAt < 0) continue;
    const n = left.get(o.item);
    if (n === undefined) return { kind: 'phantom-item', message: `a take returned ${describe(o.item)}, which no producer ever put.` };
    if (n === 0) return { kind: 'duplicate-item', message: `item ${describe(o.item)} was taken more times than it was put.` };
    left.set(o.item, n - 1);
  }
  const lost: unknown[] = [];
  for (const [item, n] of left) for (let i = 0; i < n; i++) lost.push(item);
  if (lost.length === 0) return undefined;
  return {
    kind: 'lost-item',
    message: `${lost.length} item(s) put were never taken although every thread finished: ${lost.slice(0, 5).map((x) => describe(x)).join(', ')}.`,
  };
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
