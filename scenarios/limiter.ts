/**
 * The tutorial's limiter, ported to the runtime, correct. acquire() admits a
 * worker while fewer than `max` are active and refuses the rest — it never
 * waits — and release() frees a slot. The check and the increment happen in
 * one step, with no await between them, so no other worker can slip in
 * between. Four workers, max 2: at most two ever hold a slot.
 *
 * The tutorial prints one output, as if there were only one: worker-0 and
 * worker-1 admitted, worker-2 and worker-3 refused, worker-0 then worker-1
 * finished. The scenario declares its outcome — who was admitted, who was
 * refused, in what order they finished, how many were ever active at once —
 * and the exploration lists every outcome there is, with its frequency: the
 * tutorial's is one of many. Every outcome with at most `max` workers active
 * at once is acceptable; more is forbidden.
 */
import { defineScenario, type Runtime } from 'interleave';

export class Limiter {
  active = 0;
  mostActive = 0;
  readonly admitted: string[] = [];
  readonly refused: string[] = [];
  readonly finished: string[] = [];

  constructor(readonly max: number) {}

  /** True if the caller may proceed (and must release() later); false if the limit is reached. */
  async acquire(who: string): Promise<boolean> {
    if (this.active >= this.max) {
      this.refused.push(who);
      return false;
    }
    this.active++;
    this.mostActive = Math.max(this.mostActive, this.active);
    this.admitted.push(who);
    return true;
  }

  release(who: string): void {
    if (this.active === 0) throw new Error('release() without a matching acquire()');
    this.active--;
    this.finished.push(who);
  }
}

const worker =
  (who: string) =>
  async (limiter: Limiter, rt: Runtime): Promise<void> => {
    if (!(await limiter.acquire(who))) return;
    try {
      await rt.sleep(10); // the work done while holding a slot
    } finally {
      limiter.release(who);
    }
  };

/**
 * What an execution came to, in the words the outcome table uses: the
 * workers (by number) admitted, refused and finished, in order, and the most
 * that were active at once — `admitted 0,1 refused 2,3 finished 0,1 peak 2`.
 */
export function limiterOutcome(s: { readonly admitted: readonly string[]; readonly refused: readonly string[]; readonly finished: readonly string[]; readonly mostActive: number }): string {
  const list = (names: readonly string[]): string => (names.length === 0 ? '-' : names.map((n) => n.replace('worker-', '')).join(','));
  return `admitted ${list(s.admitted)} refused ${list(s.refused)} finished ${list(s.finished)} peak ${s.mostActive}`;
}

const peak = (outcome: string): number => Number(/peak (\d+)$/.exec(outcome)?.[1]);

/** The outcome classes of a limiter of `max` slots: what the tutorial prints, what is allowed, what is forbidden. */
export function limiterOutcomes(max: number) {
  return {
    acceptable: [
      {
        match: 'admitted 0,1 refused 2,3 finished 0,1 peak 2',
        description: 'what the tutorial prints: the workers start in order, each runs until it waits',
      },
      { match: (outcome: string) => peak(outcome) <= max, description: `at most ${max} workers active at once` },
    ],
    forbidden: [{ match: (outcome: string) => peak(outcome) > max, description: `more than ${max} workers active at once` }],
    otherwise: 'forbidden' as const,
    otherwiseDescription: 'an outcome that does not say how many workers were active',
  };
}

export default defineScenario<Limiter>({
  name: 'limiter',
  setup: () => new Limiter(2),
  threads: { 'worker-0': worker('worker-0'), 'worker-1': worker('worker-1'), 'worker-2': worker('worker-2'), 'worker-3': worker('worker-3') },
  invariant: (s) => s.active <= s.max || `active ${s.active} > max ${s.max}`,
  final: (s) => (s.active === 0 && s.admitted.length + s.refused.length === 4) || `active ${s.active}, admitted ${s.admitted.length}, refused ${s.refused.length}`,
  outcome: limiterOutcome,
  outcomes: limiterOutcomes(2),
  expected: 'ok',
});
