/**
 * What an execution leaves for after its exploration has returned: a
 * rejection nobody handles, made by a real timer the execution started. The
 * exploration is over and cannot judge it, so it must reach the process's
 * own handlers, as any other unhandled rejection does, and not vanish into
 * a finished execution. And the token's edges beside token.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineScenario, explore } from 'interleave';
import { real } from '../../src/engine/realTimers.ts';
import { collectOutcomes } from '../../src/explore/outcomes.ts';
import { decodeToken } from '../../src/explore/token.ts';

/** Its thread starts a real timer (a nondeterminism finding) that rejects, unhandled, 20 ms later. */
const leaves = defineScenario({
  name: 'leaves a rejection for later',
  setup: () => ({}),
  threads: {
    a: async () => {
      real.setTimeout(() => {
        void Promise.reject(new Error('after the end'));
      }, 20);
    },
  },
  outcome: () => 'done',
});

describe('a rejection after the exploration returned', () => {
  // The runner's own handler would fail the test on the rejection this test makes on purpose: it is set aside meanwhile.
  let saved: NodeJS.UnhandledRejectionListener[] = [];
  const seen: unknown[] = [];
  beforeEach(() => {
    saved = process.listeners('unhandledRejection');
    process.removeAllListeners('unhandledRejection');
    seen.length = 0;
    process.on('unhandledRejection', (reason) => seen.push(reason));
  });
  afterEach(() => {
    process.removeAllListeners('unhandledRejection');
    for (const listener of saved) process.on('unhandledRejection', listener);
  });
  const later = () => new Promise((resolve) => real.setTimeout(resolve, 100));

  it("goes to the process's handlers after explore()", async () => {
    const result = await explore(leaves, { runs: 1, seed: 1 });
    expect(result.failure?.kind).toBe('nondeterminism');
    await later();
    expect(seen.map((r) => (r as Error).message)).toContain('after the end');
  });

  it("goes to the process's handlers after collectOutcomes()", async () => {
    const counts = await collectOutcomes(leaves, { runs: 1, seed: 1 });
    expect(counts.findings.get('nondeterminism')).toBe(1);
    await later();
    expect(seen.map((r) => (r as Error).message)).toContain('after the end');
  });
});

describe('a token refused', () => {
  it('is shown whole up to 40 characters, and cut with an ellipsis beyond', () => {
    const shown = (token: string) => {
      try {
        decodeToken(token);
      } catch (error) {
        return /^'(.*)' is not a valid/.exec((error as Error).message)?.[1];
      }
      return undefined;
    };
    const forty = `IL1-${'A'.repeat(36)}`;
    expect(shown(forty)).toBe(forty);
    expect(shown(`${forty}B`)).toBe(`${forty}…`);
  });
});
