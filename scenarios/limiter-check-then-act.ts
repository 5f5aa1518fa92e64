/**
 * BUG: the limiter of limiter.ts, but acquire() checks `active < max`, then
 * awaits an asynchronous permission check, and only then increments. The
 * await is a scheduling point between the check and the act. Trigger: with
 * one slot left, two workers both see `active < max` and both pause in the
 * permission check; both then increment, and three workers are active with
 * max 2. No invariant watches it here: the outcome table does, and an
 * outcome with "peak 3" is one its classes forbid.
 */
import { defineScenario, type Runtime } from 'interleave';
import { limiterOutcome, limiterOutcomes } from './limiter.ts';

class CheckThenActLimiter {
  active = 0;
  mostActive = 0;
  readonly admitted: string[] = [];
  readonly refused: string[] = [];
  readonly finished: string[] = [];

  constructor(
    private readonly rt: Runtime,
    readonly max: number,
  ) {}

  async acquire(who: string): Promise<boolean> {
    if (this.active >= this.max) {
      this.refused.push(who);
      return false;
    }
    await this.permitted(); // the bug: other workers pass the check above while this one waits here
    this.active++;
    this.mostActive = Math.max(this.mostActive, this.active);
    this.admitted.push(who);
    return true;
  }

  release(who: string): void {
    this.active--;
    this.finished.push(who);
  }

  /** Stands for an asynchronous permission check (a quota service, a token bucket...). */
  private async permitted(): Promise<void> {
    await this.rt.yield();
  }
}

const worker =
  (who: string) =>
  async (limiter: CheckThenActLimiter, rt: Runtime): Promise<void> => {
    if (!(await limiter.acquire(who))) return;
    try {
      await rt.sleep(10);
    } finally {
      limiter.release(who);
    }
  };

export default defineScenario<CheckThenActLimiter>({
  name: 'limiter-check-then-act',
  setup: (rt) => new CheckThenActLimiter(rt, 2),
  threads: { 'worker-0': worker('worker-0'), 'worker-1': worker('worker-1'), 'worker-2': worker('worker-2'), 'worker-3': worker('worker-3') },
  outcome: limiterOutcome,
  outcomes: limiterOutcomes(2),
  expected: 'forbidden-outcome',
});
