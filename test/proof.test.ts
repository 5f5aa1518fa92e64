/**
 * Proof mode (issue 16): every partial order of a small scenario once, and
 * what it says. Each figure compared here is computed by the run, not
 * written down: proof mode against plain dfs on the same scenario.
 */
import { describe, expect, it } from 'vitest';
import { explore, replay } from '../src/index.ts';
import { registerSafe } from '../src/proof/runtime.ts';
import { toSurviveInterleavings } from '../src/vitest/matchers.ts';
import ifInsteadOfWhile from '../scenarios/monitor-if-instead-of-while.ts';
import { proof1 } from './fixtures/proof/monitor.ts';
import { checkThenAct, controlHelpers, countersHidden, countersInstrumented, lostUpdate, lostUpdateHidden, mailbox } from './fixtures/proof/races.ts';
import { crossCheck } from './proof/crossCheck.ts';

describe('proof mode', () => {
  it('proves the 2p/2c/cap-1 monitor buffer in at most 64 partial orders, and says what it rests on', async () => {
    const r = await explore(proof1, { strategy: 'proof', seed: 1 });
    expect(r.ok).toBe(true);
    expect(r.proved).toBe(true);
    expect(r.exhausted).toBe(true);
    expect(r.partialOrders).toBeLessThanOrEqual(64);
    expect(r.executions).toBeLessThanOrEqual(64);
    expect(r.opaqueSteps).toBe(0);
    expect(r.assumption).toMatch(/^shared state in instrumented modules and harness objects; 0 step\(s\) treated as conflicting with everything/);
  });

  it("the matcher's .not message says it was proved, with the partial orders", async () => {
    const result = await toSurviveInterleavings.call({ isNot: true }, proof1, { strategy: 'proof', seed: 1 });
    expect(result.pass).toBe(true);
    expect(result.message()).toMatch(/but it was proved: \d+ partial orders? \(\d+ executions?, every schedule there is; assumes shared state in instrumented modules/);
  });

  it('finds a check-then-act bug across an await on a plain object field in fewer executions than plain dfs', async () => {
    const proof = await explore(checkThenAct, { strategy: 'proof', seed: 1 });
    const dfs = await explore(checkThenAct, { strategy: 'dfs', seed: 1, runs: 100_000 });
    expect(proof.failure?.kind).toBe('invariant');
    expect(dfs.failure?.kind).toBe('invariant');
    expect(proof.proved).toBe(false);
    expect(proof.executions).toBeLessThan(dfs.executions);
  });

  it('a shared write in code the transform does not reach makes its steps conflict with every step: still proved, slower, and said so', async () => {
    const seen = await explore(countersInstrumented, { strategy: 'proof', seed: 1 });
    const hidden = await explore(countersHidden, { strategy: 'proof', seed: 1 });
    expect(seen.proved).toBe(true);
    expect(hidden.proved).toBe(true);
    expect(seen.opaqueSteps).toBe(0);
    expect(hidden.opaqueSteps).toBeGreaterThan(0);
    expect(hidden.assumption).toContain(`${hidden.opaqueSteps} step(s) treated as conflicting with everything`);
    expect(hidden.assumption).toMatch(/which proof mode's transform did not reach/);
    expect(hidden.executions).toBeGreaterThan(seen.executions);
  });

  it("finds a library scenario's bug with a token that replays on the scenario as it is, under the default strategy", async () => {
    const r = await explore(ifInsteadOfWhile, { strategy: 'proof', seed: 1 });
    expect(r.ok).toBe(false);
    expect(r.proved).toBe(false);
    expect(r.opaqueSteps).toBe(0);
    const again = await replay(ifInsteadOfWhile, r.failure!.replay);
    expect(again.failure?.kind).toBe(r.failure!.kind);
    expect(again.failure?.step).toBe(r.failure!.step);
    expect(r.failure!.kind).toBe('duplicate-item');
  });
});

describe('proof mode against exhaustive dfs (cross-check)', () => {
  it.each([
    ['a lost update on a plain field', lostUpdate],
    ['a promise-world mailbox', mailbox],
  ])('reaches the outcomes dfs reaches: %s', async (_, scenario) => {
    const r = await crossCheck(scenario, 30_000);
    expect(r.compared).toBe(true);
    expect(r.proof.outcomes.length).toBeGreaterThan(1);
    expect({ onlyDfs: r.onlyDfs, onlyProof: r.onlyProof, sameVerdict: r.sameVerdict }).toEqual({ onlyDfs: [], onlyProof: [], sameVerdict: true });
    expect(r.agree).toBe(true);
  });

  it('control: with a dependency dropped (a helper that writes shared state declared free of it), the cross-check fails', async () => {
    // Before: the helpers are code the transform does not reach, so their steps conflict with everything, and all agree.
    const before = await crossCheck(lostUpdateHidden, 30_000);
    expect(before.agree).toBe(true);
    // Told they touch nothing, proof mode lets the two threads' steps commute and misses the lost update.
    registerSafe(controlHelpers.read, controlHelpers.write);
    const after = await crossCheck(lostUpdateHidden, 30_000);
    expect(after.compared).toBe(true);
    expect(after.onlyDfs.length).toBeGreaterThan(0);
    expect(after.agree).toBe(false);
  });
});
