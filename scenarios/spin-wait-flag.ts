/**
 * A spin-wait, correct: the consumer spins on rt.yield() until the producer
 * has published its value and raised a flag. A strategy that keeps choosing
 * the consumer can starve the producer for a long time, but that is the
 * scheduler's bias, not a livelock: any fair schedule lets the producer run,
 * and the engine runs a fair round-robin continuation before it would call
 * step-limit. So this must not be reported.
 */
import { defineScenario } from 'interleave';

interface Mailbox {
  value: number | undefined;
  ready: boolean;
  received: number | undefined;
}

export default defineScenario<Mailbox>({
  name: 'spin-wait-flag',
  setup: () => ({ value: undefined, ready: false, received: undefined }),
  threads: {
    async producer(box, rt) {
      await rt.yield(); // some work before publishing
      box.value = 42;
      box.ready = true;
    },
    async consumer(box, rt) {
      while (!box.ready) await rt.yield();
      box.received = box.value;
    },
  },
  final: (box) => box.received === 42 || `consumer received ${box.received}`,
  expected: 'ok',
});
