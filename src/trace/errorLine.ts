import { describe } from './describe.ts';

/**
 * One line naming a thrown value, for messages and traces: `Error: message`
 * for errors, a description for anything else. Like `describe`, it never
 * throws, whatever the value: code under test must not be able to crash the
 * harness through the values it throws.
 */
export function errorLine(error: unknown): string {
  return describe(error);
}
