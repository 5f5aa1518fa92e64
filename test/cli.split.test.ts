/** How the CLI splits a run: parts of a scenario (worker threads), shards of a run (CI machines), and which part decides. */
import { describe, expect, it } from 'vitest';
import { decidingPart, partRuns, partSeed, partsOf } from '../src/cli/parts.ts';
import { collectReporters, resolveReporters } from '../src/cli/reporters.ts';
import { shardSlices } from '../src/cli/shard.ts';
import { parseShard } from '../src/cli/usage.ts';

describe('parts of a scenario', () => {
  it('share the runs exactly, the first ones one more', () => {
    for (const [runs, total] of [[10_000, 2], [7, 3], [2, 5], [1, 1], [12_345, 6]] as const) {
      const shares = [...Array(total).keys()].map((i) => partRuns(runs, i, total));
      expect(shares.reduce((a, b) => a + b, 0)).toBe(runs);
      expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
      expect(shares).toEqual([...shares].sort((a, b) => b - a));
    }
  });

  it('part 0 keeps the run seed (one part is explore() itself); the others get distinct seeds, the same every time', () => {
    expect(partSeed(42, 0)).toBe(42);
    const seeds = [...Array(64).keys()].map((i) => partSeed(42, i));
    expect(new Set(seeds).size).toBe(64);
    expect(seeds.every((s) => Number.isInteger(s) && s >= 0 && s <= 0xffffffff)).toBe(true);
    expect([...Array(64).keys()].map((i) => partSeed(42, i))).toEqual(seeds);
    expect(partSeed(43, 1)).not.toBe(partSeed(42, 1));
  });

  it('leave out parts whose share of the runs is none', () => {
    expect(partsOf(7, 2, 0, 4, 4).map((p) => p.index)).toEqual([0, 1]);
  });

  it('the lowest part that failed or exhausted decides, whatever order they finished in; parts above it do not count', () => {
    const o = (index: number, failed = false, exhausted = false) => ({ index, result: index, failed, exhausted });
    expect(decidingPart([o(2, true), o(0), o(1, true), o(3, true)])).toEqual({ decider: o(1, true), counted: [o(0), o(1, true)] });
    expect(decidingPart([o(1), o(0, false, true)])).toEqual({ decider: o(0, false, true), counted: [o(0, false, true)] });
    expect(decidingPart([o(1), o(0)])).toEqual({ counted: [o(0), o(1)] });
  });
});

describe('shards of a run', () => {
  const scenarios = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];

  it('1/3, 2/3 and 3/3 together are the whole run, with no overlap, in contiguous blocks', () => {
    const shards = [1, 2, 3].map((index) => shardSlices(scenarios, 2, { index, count: 3 }).map((s) => s.item));
    expect(shards).toEqual([['a', 'b', 'c'], ['d', 'e'], ['f', 'g']]);
    expect(shards.flat()).toEqual(scenarios);
  });

  it('split the seed space of each scenario when there are fewer scenarios than shards: disjoint blocks of parts that cover them all', () => {
    const slices = [1, 2, 3].map((index) => shardSlices(['only'], 2, { index, count: 3 })[0]!);
    expect(slices.map(({ from, to, total }) => [from, to, total])).toEqual([
      [0, 2, 6],
      [2, 4, 6],
      [4, 6, 6],
    ]);
    const parts = slices.flatMap(({ from, to, total }) => partsOf(9, 600, from, to, total));
    expect(parts.map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(parts.reduce((n, p) => n + p.runs, 0)).toBe(600);
    expect(new Set(parts.map((p) => p.seed)).size).toBe(6);
  });

  it('without a shard, every scenario is split among the workers', () => {
    expect(shardSlices(['a'], 3, undefined)).toEqual([{ item: 'a', from: 0, to: 3, total: 3 }]);
  });

  it('--shard is i/n with 1 <= i <= n', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['3/2', '0/2', '1/0', '1', 'a/b', '-1/2']) expect(() => parseShard(bad), bad).toThrow(/--shard must be i\/n/);
  });
});

describe('reporters', () => {
  it('are repeatable and comma-separated; an unknown one is refused naming the known ones', () => {
    expect(collectReporters('mermaid', collectReporters('text,junit', undefined))).toEqual(['text', 'junit', 'mermaid']);
    expect(() => collectReporters('text,tap', undefined)).toThrow("unknown reporter 'tap': the reporters are text, json, junit, mermaid");
  });

  it('text alone by default; --json is text on stderr plus json; --junit-file implies junit; two on stdout are refused', () => {
    expect(resolveReporters(undefined, {})).toEqual({ text: true, json: false, mermaid: false, junit: false, lines: 'stdout' });
    expect(resolveReporters(undefined, { json: true })).toMatchObject({ text: true, json: true, lines: 'stderr' });
    expect(resolveReporters(['text'], { junitFile: 'j.xml' })).toMatchObject({ text: true, junit: { file: 'j.xml' }, lines: 'stdout' });
    expect(resolveReporters(['text', 'junit'], {})).toMatchObject({ junit: {}, lines: 'stderr' });
    expect(() => resolveReporters(['json', 'mermaid'], {})).toThrow('the reporters json and mermaid would both write to stdout');
  });
});
