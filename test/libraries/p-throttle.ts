/**
 * p-throttle 8.1.1 (correct): `pThrottle({ limit, interval, strict })(fn)`
 * rate-limits calls of `fn` without dropping any: a call beyond the limit
 * is delayed (a plain setTimeout) to the next window (fixed windows), or,
 * with `strict: true`, to when the sliding window has room. Used as its
 * README shows: a burst of six calls made at once, each call an async
 * function that sleeps and yields.
 *
 * Checked (its documented guarantees): every call runs exactly once and
 * resolves with its own result; no call starts before its slot — with
 * limit 2 and interval 100, calls 3–4 of the burst not before 100 ms after
 * it, calls 5–6 not before 200 ms (fixed windows; strict: 100, 150, 200 and
 * 250 ms for calls 3, 4, 5, 6). A busy event loop may run delayed calls
 * later than their slots, and then closer together, so the checks are lower
 * bounds, as the library promises. The order in which delayed calls start
 * is not checked: p-throttle does not promise it, and on real Node a busy
 * loop can reorder timers of different durations (Node runs every due
 * timer of one duration's list before the next list).
 */
import pThrottle from 'p-throttle';
import { defineScenario, type Runtime } from 'interleave';

export const library = { name: 'p-throttle', release: '8.1.1', does: 'rate-limit calls per interval (fixed and sliding window)', expected: 'ok' } as const;

interface Burst {
  at: number;
  readonly starts: { call: number; at: number }[];
  readonly results: string[];
}

interface State {
  readonly fixed: Burst;
  readonly strict: Burst;
}

const slots = { fixed: [0, 0, 100, 100, 200, 200], strict: [0, 0, 100, 150, 200, 250] } as const;

function burst(kind: 'fixed' | 'strict') {
  return async (s: State, rt: Runtime): Promise<void> => {
    const b = s[kind];
    const throttled = pThrottle({ limit: 2, interval: 100, strict: kind === 'strict' })(async (call: number) => {
      b.starts.push({ call, at: Date.now() - b.at });
      await rt.sleep(5);
      await rt.yield();
      return `${kind}-${call}`;
    });
    if (kind === 'fixed') await rt.yield();
    else await rt.sleep(3);
    b.at = Date.now();
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((call) => throttled(call)));
    b.results.push(...results);
  };
}

function check(kind: 'fixed' | 'strict', b: Burst): string[] {
  const problems: string[] = [];
  const calls = b.starts.map((x) => x.call).sort();
  if (calls.join(',') !== '1,2,3,4,5,6') problems.push(`${kind}: calls started: ${calls.join(',')}`);
  for (const { call, at } of b.starts) {
    const slot = slots[kind][call - 1]!;
    if (at < slot) problems.push(`${kind}: call ${call} started ${at} ms after the burst, before its slot at ${slot} ms`);
  }
  const wanted = [1, 2, 3, 4, 5, 6].map((c) => `${kind}-${c}`).join(',');
  if (b.results.join(',') !== wanted) problems.push(`${kind}: results ${b.results.join(',')}`);
  return problems;
}

export default defineScenario<State>({
  name: 'p-throttle',
  setup: () => ({ fixed: { at: 0, starts: [], results: [] }, strict: { at: 0, starts: [], results: [] } }),
  threads: { fixed: burst('fixed'), strict: burst('strict') },
  invariant: (s) => {
    const problems = [...check('fixed', s.fixed), ...check('strict', s.strict)].filter((p) => p.includes('slot'));
    return problems.length === 0 || problems.join('; ');
  },
  final: (s) => {
    const problems = [...check('fixed', s.fixed), ...check('strict', s.strict)];
    return problems.length === 0 || problems.join('; ');
  },
  outcome: (s) => `strict order ${s.strict.starts.map((x) => x.call).join('')}`,
  expected: 'ok',
});
