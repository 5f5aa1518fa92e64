/** mergeSummaries(): the shards of a run joined into the summary the whole run would have written. */
import { describe, expect, it } from 'vitest';
import { mergeSummaries, type ShardSummary } from '../src/report/merge.ts';
import { runSummary, type ScenarioSummary } from '../src/report/summary.ts';

function scenario(name: string, extra: Partial<ScenarioSummary> = {}): ScenarioSummary {
  return { scenario: name, file: 's.ts', verdict: 'pass', ok: true, expected: 'ok', executions: 100, steps: 1000, strategy: 'portfolio', seed: 7, elapsedMs: 10, exhausted: false, ...extra };
}

function shard(index: number, count: number, scenarios: ScenarioSummary[], seed = 7): ShardSummary {
  return { path: `shard-${index}/summary.json`, run: runSummary(scenarios, { seed, workers: 2, shard: { index, count }, elapsedMs: 100 * index }) };
}

const failing = (part: number, executions: number): Partial<ScenarioSummary> => ({
  verdict: 'fail',
  ok: false,
  kind: 'deadlock',
  step: 6,
  replay: `IL1-part${part}`,
  executions,
});

describe('mergeSummaries', () => {
  it('joins shards that split the scenarios, in shard order, with one verdict', () => {
    const { run } = mergeSummaries([shard(2, 2, [scenario('c', failing(0, 5))]), shard(1, 2, [scenario('a'), scenario('b')])]);
    expect(run.scenarios.map((s) => s.scenario)).toEqual(['a', 'b', 'c']);
    expect(run).toMatchObject({ ok: false, passed: 2, failed: 1, seed: 7, workers: 2, merged: 2, elapsedMs: 200 });
    expect(run.shard).toBeUndefined();
  });

  it('joins the parts of one scenario spread over shards: the lowest failing part wins, the executions up to it count', () => {
    const parts = (from: number, failed?: number) => ({ parts: { from, to: from + 2, of: 6, ...(failed === undefined ? {} : { failed }) } });
    const { run, scenarios } = mergeSummaries([
      shard(1, 3, [scenario('only', { ...parts(0), executions: 200 })]),
      shard(2, 3, [scenario('only', { ...failing(3, 150), ...parts(2, 3) })]),
      shard(3, 3, [scenario('only', { ...failing(4, 20), ...parts(4, 4) })]),
    ]);
    expect(run.scenarios).toHaveLength(1);
    expect(run.scenarios[0]).toMatchObject({ replay: 'IL1-part3', executions: 350, verdict: 'fail', parts: { from: 0, to: 6, of: 6, failed: 3 } });
    expect(scenarios[0]!.from.path).toBe('shard-2/summary.json');
    const clean = mergeSummaries([1, 2, 3].map((i) => shard(i, 3, [scenario('only', { parts: { from: (i - 1) * 2, to: i * 2, of: 6 } })])));
    expect(clean.run.scenarios[0]).toMatchObject({ ok: true, verdict: 'pass', executions: 300, parts: { from: 0, to: 6, of: 6 } });
  });

  it("joins the outcome histograms of a scenario's shards", () => {
    const row = (outcome: string, count: number, total: number) => ({ outcome, count, frequency: count / total, expectation: 'acceptable' as const, description: '' });
    const parts = (from: number) => ({ parts: { from, to: from + 1, of: 2 } });
    const { run } = mergeSummaries([
      shard(1, 2, [scenario('only', { ...parts(0), outcomes: [row('a', 3, 4), row('b', 1, 4)] })]),
      shard(2, 2, [scenario('only', { ...parts(1), outcomes: [row('b', 4, 4)] })]),
    ]);
    expect(run.scenarios[0]!.outcomes).toEqual([row('b', 5, 8), row('a', 3, 8)]);
  });

  it('refuses summaries that are not the shards of one run', () => {
    expect(() => mergeSummaries([shard(1, 3, []), shard(3, 3, [])])).toThrow('shard 2/3 of the run is missing');
    expect(() => mergeSummaries([shard(1, 2, []), shard(1, 2, [])])).toThrow("'shard-1/summary.json' and 'shard-1/summary.json' are both shard 1/2");
    expect(() => mergeSummaries([shard(1, 2, []), shard(2, 2, [], 8)])).toThrow('was explored with seed 8');
    expect(() => mergeSummaries([shard(1, 2, []), shard(2, 3, [])])).toThrow('is shard 2/3');
    expect(() => mergeSummaries([shard(1, 2, []), { path: 'whole.json', run: runSummary([]) }])).toThrow("'whole.json' is the summary of a whole run");
    expect(() => mergeSummaries([shard(1, 2, [scenario('x')]), shard(2, 2, [scenario('x')])])).toThrow("scenario 'x' is in both");
    const p = (from: number, of: number) => ({ parts: { from, to: from + 2, of } });
    expect(() => mergeSummaries([shard(1, 2, [scenario('x', p(0, 4))]), shard(2, 2, [scenario('x', p(2, 6))])])).toThrow('give every shard the same --workers');
    expect(() => mergeSummaries([shard(1, 2, [scenario('x', p(0, 4))]), shard(2, 2, [scenario('x', p(1, 4))])])).toThrow('overlap');
  });

  it('an interrupted shard makes the joined run interrupted, and not ok', () => {
    const interrupted = { path: 'i.json', run: runSummary([scenario('b', { interrupted: true })], { seed: 7, shard: { index: 2, count: 2 }, interrupted: true, notExplored: [{ scenario: 'c' }] }) };
    const { run } = mergeSummaries([shard(1, 2, [scenario('a')]), interrupted]);
    expect(run).toMatchObject({ ok: false, interrupted: true, notExplored: [{ scenario: 'c' }] });
  });
});
