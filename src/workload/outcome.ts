import type { BufferModel } from '../check/bufferModel.ts';
import type { ThreadId } from '../runtime/virtual/host.ts';
import { describe } from '../trace/index.ts';

/**
 * An execution's outcome, as jcstress names one: a short text that says what
 * the threads made of the shared state (who took what, who was admitted, the
 * final counts). `outcome(state)` may return a string, which is taken as it
 * is, or a small value, which is described; so two executions have the same
 * outcome exactly when their texts are equal.
 */
export function outcomeText(value: unknown): string {
  return typeof value === 'string' ? value : describe(value);
}

/**
 * A buffer workload's default outcome: which consumer took which items, in
 * the order each took them. Items are named by who put them (`p0#2`: producer
 * 0's third item); an item no producer put is described as it is.
 */
export function bufferOutcome(model: BufferModel, consumers: readonly ThreadId[], threadName: (id: ThreadId) => string): string {
  const labels = new Map<unknown, string>();
  const putBy = new Map<ThreadId, number>();
  for (const op of model.ops) {
    if (op.op !== 'put') continue;
    const index = putBy.get(op.thread) ?? 0;
    putBy.set(op.thread, index + 1);
    labels.set(op.item, `p${op.thread}#${index}`);
  }
  const taken = new Map<ThreadId, string[]>(consumers.map((c) => [c, []]));
  const takes = model.ops.filter((op) => op.op === 'take' && op.respondedAt >= 0).sort((a, b) => a.respondedAt - b.respondedAt);
  for (const op of takes) taken.get(op.thread)?.push(labels.get(op.item) ?? describe(op.item));
  return consumers.map((c) => `${threadName(c)}: ${taken.get(c)!.join(',')}`).join(' · ');
}
