/**
 * async-sema 3.1.1 (correct): `new Sema(n)` is a counting semaphore
 * (`await sema.acquire()`, `sema.release()`); `RateLimit(rps, { timeUnit })`
 * returns a function that resolves at most `rps` times per `timeUnit` ms (it
 * acquires a Sema(rps) and releases each permit on a plain setTimeout
 * `timeUnit` ms after granting it). Used as its README shows: four workers
 * hold a Sema(2) around work that sleeps and yields, and three callers pass
 * through a RateLimit(2, { timeUnit: 60 }) between waits.
 *
 * Checked (its documented guarantees): at most 2 workers hold the semaphore
 * at once, and each worker gets it (no waiter is lost); the rate limiter
 * never lets 3 calls through in any window of 60 ms (a permit comes back
 * only 60 ms after it was granted, so this holds however late timers fire);
 * every rate-limited call passes.
 */
import { RateLimit, Sema } from 'async-sema';
import { defineScenario, type Runtime } from 'interleave';

export const library = { name: 'async-sema', release: '3.1.1', does: 'semaphore and rate limiter', expected: 'ok' } as const;

const UNIT = 60;

interface State {
  readonly sema: Sema;
  readonly limit: () => Promise<void>;
  holders: number;
  readonly worked: string[];
  readonly passes: { who: string; at: number }[];
}

const waits: ((rt: Runtime) => Promise<void>)[] = [
  (rt) => rt.sleep(7),
  (rt) => rt.yield(),
  () => new Promise((resolve) => setTimeout(resolve, 7)),
  async (rt) => {
    await rt.yield();
    await rt.sleep(2);
  },
];

let epoch = 0;

export default defineScenario<State>({
  name: 'async-sema',
  setup: () => {
    epoch = Date.now();
    return { sema: new Sema(2), limit: RateLimit(2, { timeUnit: UNIT }), holders: 0, worked: [], passes: [] };
  },
  threads: {
    ...Object.fromEntries(
      waits.map((wait, i) => [
        `worker-${i}`,
        async (s: State, rt: Runtime) => {
          await s.sema.acquire();
          s.holders++;
          try {
            await wait(rt);
          } finally {
            s.holders--;
            s.sema.release();
          }
          s.worked.push(`w${i}`);
        },
      ]),
    ),
    ...Object.fromEntries(
      ['a', 'b', 'c'].map((who, i) => [
        `caller-${who}`,
        async (s: State, rt: Runtime) => {
          for (let n = 0; n < 2; n++) {
            await s.limit();
            s.passes.push({ who: `${who}${n}`, at: Date.now() - epoch });
            await waits[i]!(rt);
          }
        },
      ]),
    ),
  },
  invariant: (s) => {
    if (s.holders > 2) return `${s.holders} workers hold a Sema(2)`;
    for (const p of s.passes) {
      const inWindow = s.passes.filter((q) => q.at > p.at - UNIT && q.at <= p.at);
      if (inWindow.length > 2) return `${inWindow.length} calls passed the RateLimit(2 per ${UNIT} ms) in the ${UNIT} ms up to ${p.at} ms: ${inWindow.map((q) => `${q.who}@${q.at}`).join(', ')}`;
    }
    return true;
  },
  final: (s) => (s.worked.length === 4 && s.passes.length === 6) || `${s.worked.length} of 4 workers worked, ${s.passes.length} of 6 calls passed`,
  expected: 'ok',
});
