/**
 * limiter 3.0.0 (known bug, installed as limiter-buggy): the scenario of
 * limiter.ts. Its CHANGELOG, under 4.0.0 (2026-09-08), Fixed: "Reserve
 * interval allowance before asynchronous calls yield; recheck it after
 * waiting." In 3.0.0, `removeTokens` checks the interval allowance, then
 * awaits the bucket and only then counts the removal, and a request that
 * waited for the next interval takes its token without looking at the
 * interval again: a request that waited until 100 ms is granted without
 * resetting the interval, the next one resets it, and a third is admitted
 * into the same interval. The invariant reports three removals in one
 * interval of 2.
 */
import { RateLimiter } from 'limiter-buggy';
import { limiterScenario } from './limiter.ts';

export const library = { name: 'limiter', release: '3.0.0', does: 'interval cap exceeded by concurrent and waiting requests (fixed in 4.0.0)', expected: 'invariant', shows: /removals (granted )?in (the|its current) interval/ } as const;

export default limiterScenario('limiter 3.0.0', () => new RateLimiter({ tokensPerInterval: 2, interval: 100 }), 'invariant');
