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
      return multisetVerdict(model) ?? (fifo ? orderVerdict(model, threadName) : undefined);
    },
  };
}

function multisetVerdict(model: BufferModel): Verdict | undefined {
  const puts = model.ops.filter((o) => o.op === 'put' && o.respondedAt >= 0).map((o) => o.item);
  const takes = model.ops.filter((o) => o.op === 'take' && o.respondedAt >= 0).map((o) => o.item);
  const remaining = [...puts];
  const extra: unknown[] = [];
  for (const item of takes) {
    const i = remaining.findIndex((x) => sameValueZero(x, item));
    if (i >= 0) remaining.splice(i, 1);
    else extra.push(item);
  }
  for (const item of extra) {
    if (puts.some((x) => sameValueZero(x, item))) {
      return { kind: 'duplicate-item', message: `item ${describe(item)} was taken more times than it was put.` };
    }
    return { kind: 'phantom-item', message: `a take returned ${describe(item)}, which no producer ever put.` };
  }
  if (remaining.length > 0) {
    return {
      kind: 'lost-item',
      message: `${remaining.length} item(s) put were never taken although every thread finished: ${remaining.slice(0, 5).map((x) => describe(x)).join(', ')}.`,
    };
  }
  return undefined;
}

function orderVerdict(model: BufferModel, threadName: (id: number) => string): Verdict | undefined {
  // Map keys compare by SameValueZero, as the contract does, NaN included; every item is put once.
  const putOf = new Map<unknown, BufferOp>();
  for (const o of model.ops) if (o.op === 'put') putOf.set(o.item, o);
  const takes = model.ops.filter((o) => o.op === 'take' && o.respondedAt >= 0);
  for (const a of takes) {
    for (const b of takes) {
      if (a.respondedAt >= b.invokedAt) continue; // only takes that do not overlap: a ends before b starts
      const pa = putOf.get(a.item);
      const pb = putOf.get(b.item);
      if (pa === undefined || pb === undefined || pa.thread !== pb.thread) continue;
      if (pb.respondedAt < pa.invokedAt) {
        return {
          kind: 'order',
          message:
            `${threadName(pa.thread)} put ${describe(pb.item)} before ${describe(pa.item)}, but ${threadName(a.thread)} took ${describe(a.item)} ` +
            `(step ${a.respondedStep}) before ${threadName(b.thread)} took ${describe(b.item)} (step ${b.invokedStep}).`,
        };
      }
    }
  }
  return undefined;
}
