import { defineScenario, type Runtime } from 'interleave';

/** How often b yields before it sets the flag. */
export const YIELDS = 12;

/**
 * A bug that needs one thread far ahead of another: b yields YIELDS times and
 * then sets a flag; a yields once and then must not see it. Found only when
 * a's start waits while the event loop turns YIELDS times for b.
 */
export const starvation = defineScenario({
  name: `starvation: b yields ${YIELDS} times before a yields once`,
  setup: () => ({ flag: false, seen: false }),
  threads: {
    a: async (s: { flag: boolean; seen: boolean }, rt: Runtime) => {
      await rt.yield();
      s.seen = s.flag;
    },
    b: async (s: { flag: boolean; seen: boolean }, rt: Runtime) => {
      for (let i = 0; i < YIELDS; i++) await rt.yield();
      s.flag = true;
    },
  },
  final: (s: { seen: boolean }) => !s.seen || 'a saw the flag b sets after its yields',
});
