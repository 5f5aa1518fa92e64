import { FAILURE_KINDS, isFailureKind, type FailureKind } from '../trace/index.ts';
import type { Expectation } from './scenario.ts';

/** Normalises `expected`, noting a problem for anything that is not 'ok', a kind or a list of kinds. */
export function readExpectation(expected: unknown, problems: string[]): readonly FailureKind[] | 'ok' {
  if (expected === undefined || expected === 'ok') return 'ok';
  if (isFailureKind(expected)) return [expected];
  if (Array.isArray(expected) && expected.length > 0 && expected.every(isFailureKind)) return [...expected];
  problems.push(`'expected' must be 'ok', a failure kind or a non-empty list of them (${FAILURE_KINDS.join(', ')}); got ${JSON.stringify(expected)}.`);
  return 'ok';
}

/** Did a result meet the expectation? A list of kinds accepts any of them. */
export function meets(expected: Expectation, found: FailureKind | undefined): boolean {
  if (expected === 'ok') return found === undefined;
  if (found === undefined) return false;
  return typeof expected === 'string' ? expected === found : expected.includes(found);
}
