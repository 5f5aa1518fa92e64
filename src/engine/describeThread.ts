import { errorLine } from '../trace/index.ts';
import type { Continuation, VirtualThread } from './continuation.ts';
import type { ContinuationView, ExecutionView, ThreadView } from './monitor.ts';

/** Where a thread stands once a step has settled, in words, for a trace's `threadsAfter`. */
export function describeThread(t: ThreadView & { readonly error?: unknown }, view: ExecutionView): string {
  const waiting = t.continuations.map((c) => describeContinuation(c, view)).join('; ');
  switch (t.status) {
    case 'start':
      return 'not started';
    case 'parked':
      return 'parked on a promise';
    case 'point':
      return waiting;
    case 'done':
      return waiting === '' ? 'done' : `done; left running: ${waiting}`;
    case 'failed':
      return `failed: ${errorLine(t.error)}`;
  }
}

function describeContinuation(c: ContinuationView, view: ExecutionView): string {
  const blocker = c.blocker();
  const label = c.object === undefined ? c.op : `${c.op}(${c.object})`;
  if (blocker === undefined) return `ready at ${label}`;
  // A semaphore has no holder, only threads that could release it: the blocked set says which.
  const held = blocker.kind !== 'acquire' && blocker.heldBy.length > 0 ? ` held by ${blocker.heldBy.map((id) => view.threadName(id)).join(', ')}` : '';
  return `blocked in ${blocker.waitsFor}${held}`;
}

/**
 * Why a step's actor may look surprising, or undefined when it does not: the
 * continuation was left running after its thread's body returned, or its
 * code first ran inside another actor's step (library code that runs the
 * next waiter's task from a release, in the waiter's async context).
 */
export function stepNote(c: Continuation, thread: VirtualThread): string | undefined {
  const notes: string[] = [];
  if (c.createdDuring !== undefined) notes.push(`${thread.name}'s ${c.label} was reached during step ${c.createdStep}, a step of ${c.createdDuring}, in ${thread.name}'s async context`);
  if (thread.finished && thread.settledStep <= c.createdStep) {
    notes.push(`${thread.name}'s body had ${thread.body === 'done' ? 'returned' : 'thrown'} by step ${thread.settledStep}; this is a continuation left running in its async context`);
  } else if (thread.finished) {
    notes.push(`${thread.name}'s body ${thread.body === 'done' ? 'returned' : 'threw'} at step ${thread.settledStep}, while this continuation was pending`);
  }
  return notes.length === 0 ? undefined : notes.join('; ');
}
