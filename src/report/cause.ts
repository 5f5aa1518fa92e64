import type { Failure } from '../explore/result.ts';

/** The cause of a failure in the domain's words: the trace's message, or the failure's without its replay lines. */
export function failureCause(failure: Failure): string {
  if (failure.trace.outcome.message !== undefined) return failure.trace.outcome.message;
  const i = failure.message.indexOf('\nReplay token:');
  return i < 0 ? failure.message : failure.message.slice(0, i);
}
