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

interface InterleaveMatchers<R = unknown> {
  /** Explores the scenario; fails with the text report and the replay command if any interleaving breaks it. */
  toSurviveInterleavings(options?: ExploreOptions): Promise<R>;
  /** Explores the scenario; passes when it finds a bug of the given kind(s) (any kind when omitted). */
  toHaveInterleavingBug(kind?: FailureKind | readonly FailureKind[], options?: ExploreOptions): Promise<R>;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Matchers<T = any> extends InterleaveMatchers<T> {}
}

export { toHaveInterleavingBug, toSurviveInterleavings };
