import type { Shard } from './usage.ts';

/** What one shard explores of one scenario: parts `from` to `to - 1` of `total`. */
export interface ShardSlice<T> {
  readonly item: T;
  readonly from: number;
  readonly to: number;
  readonly total: number;
}

/**
 * Splits the run's scenarios (in their load order: files as given,
 * directories sorted) among CI shards, the way vitest and playwright split
 * test files: contiguous blocks, the first `count mod n` shards one larger.
 * A run with fewer scenarios than shards could not keep every shard busy,
 * so then every shard explores every scenario, each with its own block of
 * the scenario's parts (its seed space): shard i of n takes parts
 * (i-1)*workers to i*workers-1 of n*workers. Without a shard, each scenario
 * has `workers` parts.
 */
export function shardSlices<T>(items: readonly T[], workers: number, shard: Shard | undefined): ShardSlice<T>[] {
  if (shard === undefined) return items.map((item) => ({ item, from: 0, to: workers, total: workers }));
  if (items.length < shard.count) {
    const from = (shard.index - 1) * workers;
    return items.map((item) => ({ item, from, to: from + workers, total: shard.count * workers }));
  }
  const base = Math.floor(items.length / shard.count);
  const extra = items.length % shard.count;
  const start = (shard.index - 1) * base + Math.min(shard.index - 1, extra);
  const size = base + (shard.index <= extra ? 1 : 0);
  return items.slice(start, start + size).map((item) => ({ item, from: 0, to: workers, total: workers }));
}
