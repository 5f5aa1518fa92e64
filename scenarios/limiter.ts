/**
 * The tutorial's limiter, ported to the runtime, correct. acquire() admits a
 * worker while fewer than `max` are active and refuses the rest — it never
 * waits — and release() frees a slot. The check and the increment happen in
 * one step, with no await between them, so no other worker can slip in
 * between. Four workers, max 2: at most two ever hold a slot.
 */
import { defineScenario, type Runtime } from 'interleave';

export class Limiter {
  active = 0;
  admitted = 0;
  refused = 0;

  constructor(readonly max: number) {}

  /** True if the caller may proceed (and must release() later); false if the limit is reached. */
  async acquire(): Promise<boolean> {
    if (this.active >= this.max) {
      this.refused++;
      return false;
    }
    this.active++;
    this.admitted++;
    return true;
  }

  release(): void {
    if (this.active === 0) throw new Error('release() without a matching acquire()');
    this.active--;
  }
}

async function worker(limiter: Limiter, rt: Runtime): Promise<void> {
  if (!(await limiter.acquire())) return;
  try {
    await rt.sleep(10); // the work done while holding a slot
  } finally {
    limiter.release();
  }
}

export default defineScenario<Limiter>({
  name: 'limiter',
  setup: () => new Limiter(2),
  threads: { 'worker-0': worker, 'worker-1': worker, 'worker-2': worker, 'worker-3': worker },
  invariant: (s) => s.active <= s.max || `active ${s.active} > max ${s.max}`,
  final: (s) => (s.active === 0 && s.admitted + s.refused === 4) || `active ${s.active}, admitted ${s.admitted}, refused ${s.refused}`,
  expected: 'ok',
});
