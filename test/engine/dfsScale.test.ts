/**
 * dfs with many threads (issue 14, item 13): ordering a step decision's
 * options, and pricing each, is linear in the ready candidates — it was
 * quadratic (an indexOf per candidate), which made every doubling of the
 * threads about eight times slower. Counted in reads of the decision's
 * arrays, not timed: speed itself is `npm run bench`'s (bench/scale.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../src/engine/chooser.ts';
import { orderOptions } from '../../src/explore/strategies/dfs.ts';

/**
 * Elements looked at by orderOptions and the pricing of every option: the reads of the decision's arrays, and the
 * elements every array search scans (Array.prototype.indexOf and includes, counted while the decision is ordered).
 */
function work(threads: number, yielding: boolean): number {
  let reads = 0;
  const counted = (values: number[]): number[] =>
    new Proxy(values, {
      get(target, key, receiver) {
        reads++;
        return Reflect.get(target, key, receiver);
      },
    });
  const decision: Decision = {
    kind: 'step',
    candidates: counted(Array.from({ length: threads }, (_, i) => 2 * i)),
    tasks: counted(Array.from({ length: threads }, (_, i) => i)),
    sameOp: [],
    last: 0,
    step: 0,
    yielding,
    threads,
  };
  const { indexOf, includes } = Array.prototype;
  const scanned = (array: unknown[], found: number): number => (found < 0 ? array.length : found + 1);
  Array.prototype.indexOf = function (this: unknown[], ...args: Parameters<typeof indexOf>) {
    const at = indexOf.apply(this, args);
    reads += scanned(this, at);
    return at;
  };
  Array.prototype.includes = function (this: unknown[], ...args: Parameters<typeof includes>) {
    const at = indexOf.apply(this, args as Parameters<typeof indexOf>);
    reads += scanned(this, at);
    return at >= 0;
  };
  try {
    const { options, costly } = orderOptions(decision);
    for (const option of options) costly(option);
  } finally {
    Array.prototype.indexOf = indexOf;
    Array.prototype.includes = includes;
  }
  return reads;
}

describe('a dfs step decision among n ready threads', () => {
  it.each([false, true])('costs about twice as much when n doubles (yielding: %s)', (yielding) => {
    const small = work(1000, yielding);
    const large = work(2000, yielding);
    expect(large / small).toBeLessThan(2.5);
    expect(large / small).toBeGreaterThan(1.5);
  });
});
