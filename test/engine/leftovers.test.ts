/**
 * Executions that do not leak into each other (issue 13, item 6), and a
 * replay after the bug was fixed (item 7).
 *
 * Every execution ends as a passing one does: its leftover timeouts and
 * immediates run out, unjudged, so module-level state that code resets with
 * its own timers is where a fresh process has it when the next execution
 * (and the re-run that records a finding) begins. A token replayed against
 * code that has changed says its schedule no longer applies, and passes;
 * the same code running differently is still nondeterminism.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineScenario, explore, replay, type Runtime } from 'interleave';
import { cli, ROOT, tempDir } from '../cliProcess.ts';

/** Module-level state, as a library keeps it: the hits of the current second, forgotten by a timer a second later. */
const window = { second: -1, hits: 0 };

function hit(): number {
  const second = Math.floor(Date.now() / 1000);
  if (window.second !== second) {
    window.second = second;
    window.hits = 0;
    setTimeout(() => {
      window.second = -1;
    }, 1000);
  }
  return ++window.hits;
}

describe('an execution that ends with a finding', () => {
  it('runs out its leftover timers, so a bug every clean run reaches is reported with its own kind, and its token replays it', async () => {
    const s = defineScenario({
      name: 'a cache of the current second, cleared by its own timer',
      setup: () => ({ first: 0 }),
      threads: {
        caller: async (st: { first: number }, rt: Runtime) => {
          await rt.yield();
          st.first = hit();
        },
      },
      // The bug, reached by every clean run: a fresh window counts its first hit as 1, and the caller wanted 0.
      final: (st) => st.first === 0 || `the first hit of a fresh window was counted as ${st.first}`,
    });
    const result = await explore(s, { runs: 50, seed: 1 });
    // With the window left dirty by the failing execution, the re-run that records it would count 2: "nondeterminism".
    expect(result.failure?.kind).toBe('invariant');
    expect(result.failure?.message).toContain('the first hit of a fresh window was counted as 1');
    const again = await replay(s, result.failure!.replay);
    expect(again.failure?.kind).toBe('invariant');
    expect(again.failure?.step).toBe(result.failure?.step);
    // And the state is clean afterwards, as a fresh process has it.
    expect(window.second).toBe(-1);
  });
});

/** Two implementations of one limiter: the check and the increment across an await, and both in one turn (the fix). */
class RacyLimiter {
  active = 0;
  peak = 0;
  async enter(rt: Runtime): Promise<boolean> {
    if (this.active >= 1) return false;
    await rt.yield();
    this.active++;
    this.peak = Math.max(this.peak, this.active);
    return true;
  }
}

class FixedLimiter {
  active = 0;
  peak = 0;
  async enter(): Promise<boolean> {
    if (this.active >= 1) return false;
    this.active++;
    this.peak = Math.max(this.peak, this.active);
    return true;
  }
}

describe('replaying a token after the bug was fixed', () => {
  const implementation: { current: new () => RacyLimiter | FixedLimiter } = { current: RacyLimiter };
  const s = defineScenario({
    name: 'a limiter of one',
    setup: () => new implementation.current(),
    threads: Object.fromEntries(
      ['a', 'b'].map((name) => [
        name,
        async (limiter: RacyLimiter | FixedLimiter, rt: Runtime) => {
          await limiter.enter(rt);
        },
      ]),
    ),
    final: (limiter) => limiter.peak <= 1 || `${limiter.peak} active at once`,
  });

  it('says the recorded schedule no longer applies to this code and that the failure did not recur: ok, no finding', async () => {
    implementation.current = RacyLimiter;
    const found = await explore(s, { runs: 500, seed: 1 });
    expect(found.failure?.kind).toBe('invariant');
    implementation.current = FixedLimiter;
    try {
      const replayed = await replay(s, found.failure!.replay);
      expect(replayed.ok).toBe(true);
      expect(replayed.failure).toBeUndefined();
      expect(replayed.stale).toMatch(/^the recorded schedule no longer applies to this code: the code under test has changed since the token was recorded \(.+\), and the failure it recorded did not recur on the \d+ step\(s\) that still applied/);
    } finally {
      implementation.current = RacyLimiter;
    }
    // On the code it was recorded on, the token still replays the failure.
    expect((await replay(s, found.failure!.replay)).failure?.kind).toBe('invariant');
  });

  it('from the CLI: exit 0, saying so; the same token on the unchanged file still fails with exit 1', async () => {
    const dir = await tempDir();
    const file = join(dir, 'limiter.mts');
    const src = JSON.stringify(join(ROOT, 'src/index.ts'));
    const source = (body: string): string =>
      `import { defineScenario } from ${src};\n` +
      `class Limiter { active = 0; peak = 0; async enter(rt) { ${body} } }\n` +
      `export default defineScenario({ name: 'limiter', setup: () => new Limiter(), ` +
      `threads: { a: async (l, rt) => { await l.enter(rt); }, b: async (l, rt) => { await l.enter(rt); } }, ` +
      `final: (l) => l.peak <= 1 || l.peak + ' active at once', expected: 'invariant' });\n`;
    await writeFile(file, source('if (this.active >= 1) return false; await rt.yield(); this.active++; this.peak = Math.max(this.peak, this.active); return true;'));
    const explored = await cli(['explore', file, '--seed', '1', '--runs', '500', '--workers', '1', '--no-progress', '--report-dir', join(dir, 'reports')]);
    expect(explored.code, explored.stderr).toBe(0);
    const summary = JSON.parse(await readFile(join(dir, 'reports', 'summary.json'), 'utf8')) as { scenarios: { replay?: string }[] };
    const token = summary.scenarios[0]?.replay;
    expect(token).toMatch(/^IL1-/);
    expect((await cli(['replay', file, token!])).code).toBe(1);
    await writeFile(file, source('if (this.active >= 1) return false; this.active++; this.peak = Math.max(this.peak, this.active); return true;'));
    const fixed = await cli(['replay', file, token!]);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stdout).toMatch(/^stale {2}limiter: the recorded schedule no longer applies to this code: the code under test has changed since the token was recorded/);
    expect(fixed.stdout).toContain('the failure it recorded did not recur');
  });
});
