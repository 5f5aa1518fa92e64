import { JOIN_STOP, MAX_OFFSET, TIME_STILL, type DecisionKind } from './chooser.ts';
import type { Continuation } from './continuation.ts';
import { decodeContinuationId, isContinuationId, LOOP_DUE, LOOP_EARLY } from './ids.ts';

/** What a divergence message needs of the execution: its pending continuations and its threads' names. */
export interface Names {
  continuation(id: number): Continuation | undefined;
  threadName(thread: number): string;
  readonly threadCount: number;
}

/**
 * Why a replay left its recorded schedule, in words: what the recorded
 * choice asked for, and what this run could offer instead. A continuation
 * that does not exist in this run is still named by its thread, which its id
 * encodes.
 */
export function divergence(kind: DecisionKind, picked: number, candidates: readonly number[], names: Names): string {
  return `the recorded schedule ${describeChoice(kind, picked, names)}, but ${describeOptions(kind, candidates, names)}`;
}

function describeChoice(kind: DecisionKind, picked: number, names: Names): string {
  if (picked === JOIN_STOP && kind !== 'join') return `expects a choice of what else starts in the same macrotask`;
  switch (kind) {
    case 'offset':
      return `starts a continuation ${picked} microtask turns later`;
    case 'time':
      return picked === TIME_STILL ? 'keeps time still' : `moves time past ${picked + 1} deadline(s)`;
    case 'join':
      return `starts ${describeId(picked, names)} in the same macrotask`;
    case 'notify':
      return `has a notify wake ${describeId(picked, names)}`;
    case 'step':
      return `picks ${describeId(picked, names)}`;
  }
}

function describeOptions(kind: DecisionKind, candidates: readonly number[], names: Names): string {
  if (kind === 'offset') return `offsets go up to ${MAX_OFFSET}`;
  if (kind === 'time') return `only ${candidates.filter((c) => c !== TIME_STILL).length} deadline(s) were ahead`;
  const listed = candidates.map((c) => describeId(c, names)).join(', ');
  if (kind === 'join') return candidates.length === 0 ? 'nothing else could start' : `only ${listed} could start with it`;
  return `only ${listed} could ${kind === 'step' ? 'step' : 'be woken'}`;
}

/** `a at yield`, the event loop's turn, or, for a continuation this run does not have, `a's continuation #2`. */
export function describeId(id: number, names: Names): string {
  if (id === LOOP_DUE) return "the event loop's next turn (its due immediates and timers)";
  if (id === LOOP_EARLY) return "the event loop's next turn, letting time pass to a timer's deadline";
  if (!isContinuationId(id)) return `choice ${id}`;
  const c = names.continuation(id);
  if (c !== undefined) return `${names.threadName(c.thread)} at ${c.label}`;
  const { thread, k } = decodeContinuationId(id, names.threadCount);
  return `${names.threadName(thread)}'s continuation #${k}`;
}
