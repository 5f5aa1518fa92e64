/**
 * BUG: the limiter of limiter.ts, but acquire() checks `active < max`, then
 * awaits an asynchronous permission check, and only then increments. The
 * await is a scheduling point between the check and the act. Trigger: with
 * one slot left, two workers both see `active < max` and both pause in the
 * permission check; both then increment, and three workers are active with
 * max 2: the invariant breaks.
 */
import { defineScenario, type Runtime } from 'interleave';

class CheckThenActLimiter {
  active = 0;

  constructor(
    private readonly rt: Runtime,
    readonly max: number,
  ) {}

  async acquire(): Promise<boolean> {
    if (this.active >= this.max) return false;
    await this.permitted(); // the bug: other workers pass the check above while this one waits here
    this.active++;
    return true;
  }

  release(): void {
    this.active--;
  }

  /** Stands for an asynchronous permission check (a quota service, a token bucket...). */
  private async permitted(): Promise<void> {
    await this.rt.yield();
  }
}

async function worker(limiter: CheckThenActLimiter, rt: Runtime): Promise<void> {
  if (!(await limiter.acquire())) return;
  try {
    await rt.sleep(10);
  } finally {
    limiter.release();
  }
}

export default defineScenario<CheckThenActLimiter>({
  name: 'limiter-check-then-act',
  setup: (rt) => new CheckThenActLimiter(rt, 2),
  threads: { 'worker-0': worker, 'worker-1': worker, 'worker-2': worker, 'worker-3': worker },
  invariant: (s) => s.active <= s.max || `active ${s.active} > max ${s.max}`,
  expected: 'invariant',
});
