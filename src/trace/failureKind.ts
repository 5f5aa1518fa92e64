/** Every kind of finding Interleave reports. Part of the public contract: add, never rename. */
export type FailureKind =
  | 'deadlock'
  | 'lost-wakeup'
  | 'capacity'
  | 'lost-item'
  | 'duplicate-item'
  | 'phantom-item'
  | 'order'
  | 'invariant'
  | 'exception'
  | 'step-limit'
  | 'nondeterminism'
  /** An execution's outcome is one the scenario's outcome classes forbid (v1.1). */
  | 'forbidden-outcome'
  /** A step ran longer than the watchdog allows: code that never yields (v1.1). */
  | 'hang';

export const FAILURE_KINDS: readonly FailureKind[] = [
  'deadlock',
  'lost-wakeup',
  'capacity',
  'lost-item',
  'duplicate-item',
  'phantom-item',
  'order',
  'invariant',
  'exception',
  'step-limit',
  'nondeterminism',
  'forbidden-outcome',
  'hang',
];

export function isFailureKind(value: unknown): value is FailureKind {
  return typeof value === 'string' && (FAILURE_KINDS as readonly string[]).includes(value);
}
