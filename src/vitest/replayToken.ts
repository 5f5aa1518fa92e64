import { decodeToken } from '../explore/token.ts';
import type { CurrentTest, TestTask } from './currentTest.ts';

/** Set to a failure's token, it makes the matchers replay that one execution instead of exploring. */
export const REPLAY_VARIABLE = 'INTERLEAVE_REPLAY';

/** Bad input to the matchers from outside the test: the environment. Its message is one paragraph. */
export class ReplayVariableError extends Error {
  override name = 'ReplayVariableError';
  constructor(message: string) {
    super(message);
    // No stack: the cause is the environment, and a code frame inside the library would only distract from it.
    this.stack = `${this.name}: ${message}`;
  }
}

/**
 * The token INTERLEAVE_REPLAY holds, or undefined (unset or empty) to explore.
 * A malformed one is an error naming the variable: replaying nothing, or
 * exploring instead, would both pass off something else as the replay.
 */
export function requestedReplay(env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  const value = env[REPLAY_VARIABLE];
  if (value === undefined || value.trim() === '') return undefined;
  try {
    decodeToken(value);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new ReplayVariableError(
      `${REPLAY_VARIABLE} is set, but it does not hold a replay token: ${why} Set it to the token a failure printed, or unset it to explore.`,
    );
  }
  return value.trim();
}

interface Claims {
  claimed: boolean;
  readonly others: string[];
}
const claimsByTest = new WeakMap<TestTask, Claims>();

/**
 * Records that a scenario the test checked replayed the token. A test may
 * check several scenarios (one matcher call each, in a loop), and only one
 * of them is the token's, so a foreign token fails the test at its end, and
 * only if no scenario of the test took it.
 */
export function tokenClaimed(test: CurrentTest): void {
  // Not knowing which test replayed it, none is marked: another's claim must never excuse a test (see tokenForeign).
  if (test.task !== undefined && test.ambiguous !== true) claimsOf(test.task).claimed = true;
}

/**
 * A matcher met a scenario the token was not recorded for (`why` is
 * replay()'s explanation). Outside a test there is no end to wait for, so it
 * throws at once; so it does when the matcher cannot tell which of the tests
 * running side by side called it (the global `expect` under it.concurrent):
 * the error then fails the very test whose matcher call it is, and no other.
 */
export function tokenForeign(test: CurrentTest, scenario: string, why: string): void {
  const error = (others: readonly string[], concurrent = ''): ReplayVariableError =>
    new ReplayVariableError(
      `${REPLAY_VARIABLE} holds a token recorded for none of the scenarios this test checked (${[...new Set(others)].map((n) => `'${n}'`).join(', ')}): ${why} ` +
        `Run the replay command exactly as the failure printed it: its -t filter runs only the test that printed the token. Or unset ${REPLAY_VARIABLE}.${concurrent}`,
    );
  const task = test.task;
  if (test.ambiguous === true) {
    throw error(
      [scenario],
      ' (This test runs beside others, and its matcher was called through the global expect, which cannot tell which test called it: ' +
        "a test that checks several scenarios under it.concurrent must use its context's expect, as in it.concurrent('...', async ({ expect }) => ...).)",
    );
  }
  if (task?.context === undefined) throw error([scenario]);
  const known = claimsByTest.has(task);
  const claims = claimsOf(task);
  claims.others.push(scenario);
  if (known) return;
  task.context.onTestFinished(() => {
    if (!claims.claimed) throw error(claims.others);
  });
}

function claimsOf(task: TestTask): Claims {
  let claims = claimsByTest.get(task);
  if (claims === undefined) {
    claims = { claimed: false, others: [] };
    claimsByTest.set(task, claims);
  }
  return claims;
}
