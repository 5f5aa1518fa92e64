/** Decisions as the engine hands them to a chooser, for the strategies' unit tests. */
import type { Decision, DecisionKind } from '../../src/engine/chooser.ts';

export function decision(kind: DecisionKind, candidates: readonly number[], more: Partial<Decision> = {}): Decision {
  return { kind, candidates, tasks: more.tasks ?? candidates.map((c) => c / 2), sameOp: more.sameOp ?? [], last: more.last, yielding: more.yielding ?? false, threads: more.threads ?? 4, step: more.step ?? 0 };
}
