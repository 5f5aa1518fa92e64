/**
 * p-map 7.1.1 (correct): `pMap(input, mapper, { concurrency })` maps over
 * `input` with at most `concurrency` mappers running at once, resolving to
 * the results in input order; with `stopOnError: false` it runs every
 * mapper and rejects with an AggregateError of the failures at the end.
 * Used as its README shows, by two threads mapping their own inputs through
 * mappers that sleep, yield and wait on plain timers.
 *
 * Checked (its documented guarantees): never more than `concurrency`
 * mappers of one call running; every element mapped exactly once; results
 * in input order whatever order the mappers finished in; with
 * `stopOnError: false`, every mapper runs and the rejection lists exactly
 * the failures.
 */
import pMap from 'p-map';
import { defineScenario, type Runtime } from 'interleave';

export const library = { name: 'p-map', release: '7.1.1', does: 'concurrency-limited map over promises', expected: 'ok' } as const;

interface State {
  readonly active: Record<string, number>;
  readonly mapped: string[];
  readonly results: Record<string, string>;
}

const waits: ((rt: Runtime, n: number) => Promise<unknown>)[] = [
  (rt, n) => rt.sleep(10 - 2 * n),
  (rt) => rt.yield(),
  (_rt, n) => new Promise((r) => setTimeout(r, 3 * n)),
];

export default defineScenario<State>({
  name: 'p-map',
  setup: () => ({ active: { ordered: 0, tolerant: 0 }, mapped: [], results: {} }),
  threads: {
    ordered: async (s, rt) => {
      const out = await pMap(
        [1, 2, 3, 4, 5],
        async (n) => {
          s.active.ordered!++;
          await waits[n % 3]!(rt, n);
          await rt.yield();
          s.active.ordered!--;
          s.mapped.push(`o${n}`);
          return n * 10;
        },
        { concurrency: 2 },
      );
      s.results.ordered = out.join(',');
    },
    tolerant: async (s, rt) => {
      await rt.yield();
      try {
        await pMap(
          [1, 2, 3, 4],
          async (n) => {
            s.active.tolerant!++;
            await waits[(n + 1) % 3]!(rt, n);
            s.active.tolerant!--;
            s.mapped.push(`t${n}`);
            if (n % 2 === 0) throw new Error(`bad ${n}`);
            return n;
          },
          { concurrency: 3, stopOnError: false },
        );
        s.results.tolerant = 'resolved';
      } catch (error) {
        s.results.tolerant = error instanceof AggregateError ? error.errors.map((e: Error) => e.message).sort().join(',') : String(error);
      }
    },
  },
  invariant: (s) => (s.active.ordered! <= 2 && s.active.tolerant! <= 3) || `running at once: ordered ${s.active.ordered} (limit 2), tolerant ${s.active.tolerant} (limit 3)`,
  final: (s) => {
    if (s.results.ordered !== '10,20,30,40,50') return `ordered results: ${s.results.ordered}`;
    if (s.results.tolerant !== 'bad 2,bad 4') return `tolerant: ${s.results.tolerant}`;
    return (s.mapped.length === 9 && new Set(s.mapped).size === 9) || `mapped: ${s.mapped.join(',')}`;
  },
  expected: 'ok',
});
