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
  | 'nondeterminism';

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
];

export function isFailureKind(value: unknown): value is FailureKind {
  return typeof value === 'string' && (FAILURE_KINDS as readonly string[]).includes(value);
}
