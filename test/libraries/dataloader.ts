/**
 * dataloader 2.2.3 (correct): `new DataLoader(batchFn, { maxBatchSize })`
 * collects the `load(key)` calls made in one tick of the event loop (it
 * dispatches after the promise jobs, on process.nextTick) into batches of at
 * most `maxBatchSize` keys for `batchFn`, caches each key's promise, and
 * answers each `load` with the value at that key's index. Used as its README
 * shows, by three threads loading overlapping keys between sleeps and yields;
 * `batchFn` itself sleeps and yields, as a database call would.
 *
 * Checked (its documented guarantees): every load resolves with its own
 * key's value; no batch is larger than 3 or has a key twice; with the cache,
 * no key is ever sent to `batchFn` twice (each is fetched once, however many
 * threads load it, and `loadMany` too); after `clear(key)`, the next load of
 * that key is fetched again and answers with the new value.
 */
import DataLoader from 'dataloader';
import { defineScenario, type Runtime } from 'interleave';

export const library = { name: 'dataloader', release: '2.2.3', does: 'batching and caching loader', expected: 'ok' } as const;

interface State {
  readonly loader: DataLoader<string, string>;
  readonly batches: string[][];
  readonly version: Record<string, number>;
  readonly problems: string[];
}

async function expectValue(s: State, p: Promise<string>, key: string, minVersion = 0): Promise<void> {
  const value = await p;
  const [k, v] = value.split('@');
  if (k !== key || Number(v) < minVersion) s.problems.push(`load(${key}) answered ${value}`);
}

export default defineScenario<State>({
  name: 'dataloader',
  setup: (rt) => {
    const s: Omit<State, 'loader'> = { batches: [], version: {}, problems: [] };
    const loader = new DataLoader<string, string>(
      async (keys) => {
        s.batches.push([...keys]);
        await rt.sleep(3);
        await rt.yield();
        return keys.map((k) => `${k}@${s.version[k] ?? 0}`);
      },
      { maxBatchSize: 3 },
    );
    return { ...s, loader };
  },
  threads: {
    first: async (s, rt) => {
      await Promise.all(['a', 'b', 'c', 'd'].map((k) => expectValue(s, s.loader.load(k), k)));
      await rt.yield();
      await expectValue(s, s.loader.load('e'), 'e');
    },
    second: async (s, rt) => {
      await rt.yield();
      const values = await s.loader.loadMany(['b', 'e', 'f']);
      ['b', 'e', 'f'].forEach((k, i) => {
        if (values[i] !== `${k}@0`) s.problems.push(`loadMany: ${k} answered ${String(values[i])}`);
      });
    },
    refresher: async (s, rt) => {
      await rt.sleep(10);
      await expectValue(s, s.loader.load('a'), 'a');
      s.version.a = 1;
      s.loader.clear('a');
      await new Promise((r) => setTimeout(r, 2));
      await expectValue(s, s.loader.load('a'), 'a', 1);
    },
  },
  invariant: (s) => {
    for (const batch of s.batches) {
      if (batch.length > 3) return `a batch of ${batch.length} keys (${batch.join(',')}), over maxBatchSize 3`;
      if (new Set(batch).size !== batch.length) return `a batch with a repeated key: ${batch.join(',')}`;
    }
    const fetched = s.batches.flat();
    const aFetches = fetched.filter((k) => k === 'a').length;
    const repeats = fetched.filter((k, i) => k !== 'a' && fetched.indexOf(k) !== i);
    if (repeats.length > 0) return `keys fetched twice despite the cache: ${repeats.join(',')} (batches ${JSON.stringify(s.batches)})`;
    if (aFetches > 2) return `key a fetched ${aFetches} times; cleared once, so at most twice`;
    return s.problems.length === 0 || s.problems.join('; ');
  },
  final: (s) => {
    const fetched = new Set(s.batches.flat());
    return fetched.size === 6 || `keys fetched: ${[...fetched].join(',')}`;
  },
  outcome: (s) => s.batches.map((b) => b.join('')).join(' '),
  expected: 'ok',
});
