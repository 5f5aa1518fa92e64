/**
 * BUG: "After you, my dear Alphonse." Two threads must both go through a
 * door, and each politely waits, spinning on rt.yield(), until the other has
 * gone through first. Neither ever blocks — each keeps taking steps — so this
 * is not a deadlock, but no schedule lets either make progress: a livelock.
 * The engine reports it as step-limit once the spinning survives its step
 * budget and a fair round-robin continuation (compare spin-wait-flag.ts, a
 * spin-wait that a fair schedule does finish).
 */
import { defineScenario, type Runtime } from 'interleave';

interface Doorway {
  readonly through: Set<string>;
}

const after = (me: string, other: string) => async (door: Doorway, rt: Runtime): Promise<void> => {
  while (!door.through.has(other)) await rt.yield(); // the bug: each waits for the other to go first
  door.through.add(me);
};

export default defineScenario<Doorway>({
  name: 'polite-livelock',
  setup: () => ({ through: new Set<string>() }),
  threads: {
    alphonse: after('alphonse', 'gaston'),
    gaston: after('gaston', 'alphonse'),
  },
  final: (door) => door.through.size === 2 || `only ${[...door.through].join(', ') || 'nobody'} went through`,
  expected: 'step-limit',
});
