/** The outcome histogram (explore/histogram.ts): counts, frequencies, grades, its order, and its cap on distinct outcomes. */
import { describe, expect, it } from 'vitest';
import { OutcomeHistogram } from '../../src/explore/histogram.ts';

describe('OutcomeHistogram', () => {
  it('counts and grades each outcome, most frequent first, ties in the order of their text', () => {
    const h = new OutcomeHistogram();
    const ok = { expectation: 'acceptable' as const, description: 'fine' };
    for (const outcome of ['b', 'c', 'a', 'c', 'b', 'd']) h.add(outcome, outcome === 'd' ? undefined : ok);
    expect(h.size).toBe(4);
    expect(h.table()).toEqual([
      { outcome: 'b', count: 2, frequency: 2 / 6, expectation: 'acceptable', description: 'fine' },
      { outcome: 'c', count: 2, frequency: 2 / 6, expectation: 'acceptable', description: 'fine' },
      { outcome: 'a', count: 1, frequency: 1 / 6, expectation: 'acceptable', description: 'fine' },
      { outcome: 'd', count: 1, frequency: 1 / 6, expectation: 'unclassified', description: '' },
    ]);
  });

  it('orders ties the same whatever order they came in', () => {
    const forward = new OutcomeHistogram();
    const backward = new OutcomeHistogram();
    const outcomes = ['x', 'y', 'z', 'w'];
    for (const o of outcomes) forward.add(o, undefined);
    for (const o of [...outcomes].reverse()) backward.add(o, undefined);
    expect(forward.table().map((r) => r.outcome)).toEqual(['w', 'x', 'y', 'z']);
    expect(backward.table().map((r) => r.outcome)).toEqual(['w', 'x', 'y', 'z']);
  });

  it('keeps the first 1,000 distinct outcomes and counts the rest together', () => {
    const h = new OutcomeHistogram();
    for (let i = 0; i < 1003; i++) h.add(`o${String(i).padStart(4, '0')}`, undefined);
    h.add('o0000', undefined);
    expect(h.size).toBe(1001);
    const table = h.table();
    expect(table[1]).toMatchObject({ outcome: 'o0000', count: 2 });
    const others = table[0];
    expect(others).toEqual({ outcome: '(other outcomes)', count: 3, frequency: 3 / 1004, expectation: 'unclassified', description: 'outcomes past the first 1000 distinct ones' });
    expect(table.some((r) => r.outcome === 'o1000')).toBe(false);
  });
});
