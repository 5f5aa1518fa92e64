/**
 * `import 'interleave/vitest'` registers the matchers with vitest's `expect`:
 *
 *   await expect(scenario).toSurviveInterleavings({ runs: 2000 });
 *   await expect(buggy).toHaveInterleavingBug('deadlock');
 */
import { expect } from 'vitest';
import type { ExploreOptions } from '../explore/options.ts';
import type { FailureKind } from '../trace/index.ts';
import { toHaveInterleavingBug, toSurviveInterleavings } from './matchers.ts';

expect.extend({ toSurviveInterleavings, toHaveInterleavingBug } as unknown as Parameters<typeof expect.extend>[0]);

/**
 * Both matchers explore for at most `runs` executions (default 10,000) and,
 * unless `timeLimitMs` is given, for at most 0.6 of the test's timeout less
 * what the test has used, so they never make it time out. With
 * INTERLEAVE_REPLAY set to a token, they replay that one execution instead.
 */
interface InterleaveMatchers<R = unknown> {
  /** Fails, with the text report ending with the command that replays the failure through vitest, if any interleaving breaks the scenario. */
  toSurviveInterleavings(options?: ExploreOptions): Promise<R>;
  /** Passes when the scenario shows a bug of the given kind(s) (any kind when omitted). */
  toHaveInterleavingBug(kind?: FailureKind | readonly FailureKind[], options?: ExploreOptions): Promise<R>;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Matchers<T = any> extends InterleaveMatchers<T> {}
}

export { toHaveInterleavingBug, toSurviveInterleavings };
