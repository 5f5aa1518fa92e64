import { describe } from '../trace/index.ts';

/**
 * Reads the answer of a user predicate (`invariant`, `final`): `true` holds,
 * a string is the violation's message, and anything else — `false`, another
 * value, a throw — is a violation too. Returns the message, or undefined.
 */
export function violationOf(predicate: () => unknown, what: string): string | undefined {
  let answer: unknown;
  try {
    answer = predicate();
  } catch (error) {
    return `${what} threw: ${error instanceof Error ? `${error.name}: ${error.message}` : describe(error)}`;
  }
  if (answer === true) return undefined;
  if (typeof answer === 'string') return `${what} violated: ${answer}`;
  return `${what} violated (it returned ${describe(answer)})`;
}
