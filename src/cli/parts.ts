/**
 * How one scenario's exploration is split into parts that run side by side
 * (worker threads, CI shards). A part is an exploration of its own with a
 * seed derived from the run's seed and the part's index, and a share of the
 * run budget; so the same seed and the same number of parts give the same
 * findings, however the parts were scheduled. Part 0 keeps the run's seed:
 * one part is exactly `explore(scenario, { seed, runs })`.
 */
export interface Part {
  /** Index among all the scenario's parts (across shards). */
  readonly index: number;
  readonly seed: number;
  readonly runs: number;
}

/** Part `index`'s seed: the run's seed for part 0, a 32-bit mix of seed and index (murmur3's finaliser) for the others. */
export function partSeed(seed: number, index: number): number {
  if (index === 0) return seed >>> 0;
  let h = (seed ^ Math.imul(index, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** The runs of part `index` of `total`: an even share, the first `runs mod total` parts one more. */
export function partRuns(runs: number, index: number, total: number): number {
  return Math.floor(runs / total) + (index < runs % total ? 1 : 0);
}

/** Parts `from` to `to - 1` of `total`, leaving out those whose share of the runs is none. */
export function partsOf(seed: number, runs: number, from: number, to: number, total: number): Part[] {
  const parts: Part[] = [];
  for (let index = from; index < to; index++) {
    const share = partRuns(runs, index, total);
    if (share > 0) parts.push({ index, seed: partSeed(seed, index), runs: share });
  }
  return parts;
}

/** The outcome of one part, as the combination below reads it. */
export interface PartOutcome<R> {
  readonly index: number;
  readonly result: R;
  readonly failed: boolean;
  /** It tried every schedule there is (dfs, the portfolio), so no other part can find anything it did not. */
  readonly exhausted: boolean;
}

/**
 * The scenario's outcome is decided by the lowest-indexed part that failed
 * or exhausted the search, not by the first to do so: which part finishes
 * first depends on the machine, which part has the lowest index does not.
 * Parts above it count for nothing (they may have been stopped early);
 * parts below it ran their whole share and found nothing.
 */
export function decidingPart<R>(outcomes: readonly PartOutcome<R>[]): { readonly decider?: PartOutcome<R>; readonly counted: readonly PartOutcome<R>[] } {
  const sorted = [...outcomes].sort((a, b) => a.index - b.index);
  const decider = sorted.find((o) => o.failed || o.exhausted);
  return decider === undefined ? { counted: sorted } : { decider, counted: sorted.filter((o) => o.index <= decider.index) };
}
