/**
 * limiter 4.1.0 (correct): `new RateLimiter({ tokensPerInterval, interval })`
 * is a token bucket (full at the start, refilled continuously) plus an
 * interval counter: `await limiter.removeTokens(1)` resolves once a token is
 * available and fewer than `tokensPerInterval` have been removed in the
 * current interval, which "starts at construction and resets on the first
 * removal attempt at or after the previous interval expires" (its README;
 * not a rolling window). Waiting requests wait on plain timers and, since
 * 4.0.0, "availability is rechecked after every wait". Used as its README
 * shows, by four workers that remove tokens between sleeps, yields and plain
 * timers.
 *
 * Checked (its documented guarantee, "maximum number of tokens that can be
 * removed ... over the course of one interval"): the removals granted at or
 * after the start of the limiter's current interval never exceed 2 (2 per
 * 100 ms), nor does its own count of them; every request is granted.
 *
 * The factory is reused by limiter-3.0.0.ts, the release that charged the
 * interval only after waiting and never re-checked it.
 */
import { RateLimiter } from 'limiter';
import { defineScenario, type Runtime, type Scenario } from 'interleave';

export const library = { name: 'limiter', release: '4.1.0', does: 'token bucket with an interval cap (RateLimiter)', expected: 'ok' } as const;

interface Limiter {
  removeTokens(count: number): Promise<number>;
  curIntervalStart: number;
  tokensThisInterval: number;
}

interface State {
  readonly limiter: Limiter;
  /** Grant times, in the limiter's own clock (performance.now()). */
  readonly grants: { who: string; at: number }[];
}

const PER_INTERVAL = 2;
const INTERVAL = 100;

const waits: Record<string, ((rt: Runtime) => Promise<void>)[]> = {
  w0: [(rt) => rt.sleep(50)],
  w1: [(rt) => rt.yield()],
  w2: [(rt) => rt.sleep(50), () => new Promise((resolve) => setTimeout(resolve, 60))],
  w3: [(rt) => rt.sleep(100), (rt) => rt.yield()],
};

export function limiterScenario(name: string, make: () => Limiter, expected: 'ok' | 'invariant'): Scenario {
  return defineScenario<State>({
    name,
    setup: () => ({ limiter: make(), grants: [] }),
    threads: Object.fromEntries(
      Object.entries(waits).map(([who, before]) => [
        who,
        async (s: State, rt: Runtime) => {
          const steps = who === 'w0' || who === 'w1' ? [async () => undefined, before[0]!] : before;
          for (const wait of steps) {
            await wait(rt);
            await s.limiter.removeTokens(1);
            s.grants.push({ who, at: performance.now() });
          }
        },
      ]),
    ),
    invariant: (s) => {
      const start = s.limiter.curIntervalStart;
      const inInterval = s.grants.filter((g) => g.at >= start && g.at < start + INTERVAL);
      if (inInterval.length > PER_INTERVAL) {
        const t0 = s.grants[0]!.at;
        return `${inInterval.length} removals granted in the interval starting at ${start - t0} ms (${inInterval.map((g) => `${g.who}@${g.at - t0}`).join(', ')}), over ${PER_INTERVAL} per ${INTERVAL} ms`;
      }
      if (s.limiter.tokensThisInterval > PER_INTERVAL) return `the limiter counts ${s.limiter.tokensThisInterval} removals in its current interval, over ${PER_INTERVAL}`;
      return true;
    },
    final: (s) => s.grants.length === 8 || `${s.grants.length} of 8 removals granted`,
    expected,
  });
}

export default limiterScenario('limiter', () => new RateLimiter({ tokensPerInterval: PER_INTERVAL, interval: INTERVAL }), 'ok');
