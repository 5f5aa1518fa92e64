/**
 * Conformance: the same scenario bodies, run on `realRuntime` with real
 * promises and varied small real delays, and explored on the virtual runtime.
 * Every outcome the real runtime produces must be one the virtual runtime
 * produces (the real behaviours are a subset of the virtual ones).
 *
 * A body marks the places where real code may be delayed with `await
 * s.pause()`: on the real runtime that is a random mix of nothing, a
 * microtask, a macrotask and a 1 ms timer; on the virtual runtime it is the
 * lock and unlock of a mutex of its own, a scheduling point the scheduler
 * may put off for as long as it likes, which covers any delay. (Not
 * `rt.yield()`: that is an immediate, first in first out with the others, as
 * realRuntime's `setImmediate` is.)
 */
import { describe, expect, it } from 'vitest';
import { defineScenario, explore, realRuntime, type Runtime } from 'interleave';
import { MonitorBuffer } from './fixtures/buffers.ts';

interface Case<S> {
  name: string;
  setup(rt: Runtime, pause: () => Promise<void>): S;
  threads: Record<string, (s: S, rt: Runtime) => Promise<void>>;
  outcome(s: S): string;
}

/** A small seeded generator (mulberry32) so that the real runs' delays are reproducible in kind. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function realPause(random: () => number): () => Promise<void> {
  return () => {
    const r = random();
    if (r < 0.25) return Promise.resolve();
    if (r < 0.5) return Promise.resolve().then(() => undefined);
    if (r < 0.9) return realRuntime.yield();
    return realRuntime.sleep(1);
  };
}

async function realOutcomes<S>(c: Case<S>, runs: number, seed: number): Promise<Map<string, number>> {
  const random = rng(seed);
  const histogram = new Map<string, number>();
  for (let i = 0; i < runs; i++) {
    const state = c.setup(realRuntime, realPause(random));
    // Start the threads in a varied order, as the virtual runtime may.
    const entries = Object.entries(c.threads);
    if (random() < 0.5) entries.reverse();
    await Promise.all(entries.map(([, body]) => body(state, realRuntime)));
    const outcome = c.outcome(state);
    histogram.set(outcome, (histogram.get(outcome) ?? 0) + 1);
  }
  return histogram;
}

async function virtualOutcomes<S>(c: Case<S>, runs: number, seed: number): Promise<Set<string>> {
  const outcomes = new Set<string>();
  const scenario = defineScenario({
    name: `conformance: ${c.name}`,
    setup: (rt) => {
      const pause = rt.mutex('pause');
      return c.setup(rt, async () => {
        await pause.lock();
        pause.unlock();
      });
    },
    threads: c.threads,
    final: (s) => {
      outcomes.add(c.outcome(s));
      return true;
    },
  });
  const result = await explore(scenario, { strategy: 'random', runs, seed });
  expect(result.failure?.message).toBeUndefined();
  expect(result.executions).toBe(runs);
  return outcomes;
}

async function expectConforms<S>(c: Case<S>, realRuns: number, virtualRuns: number): Promise<{ real: Map<string, number>; virtual: Set<string> }> {
  const real = await realOutcomes(c, realRuns, 12345);
  const virtual = await virtualOutcomes(c, virtualRuns, 7);
  const missing = [...real.keys()].filter((o) => !virtual.has(o));
  expect(missing, `real outcomes the virtual runtime never produced`).toEqual([]);
  // The comparison means something only if the real runtime varied.
  expect(real.size).toBeGreaterThan(1);
  return { real, virtual };
}

// ---- the cases ------------------------------------------------------------------

interface Appends {
  m: ReturnType<Runtime['mutex']>;
  log: string[];
  pause: () => Promise<void>;
}

const appendUnderMutex: Case<Appends> = {
  name: 'appends under a mutex',
  setup: (rt, pause) => ({ m: rt.mutex('m'), log: [], pause }),
  threads: Object.fromEntries(
    ['a', 'b'].map((name) => [
      name,
      async (s: Appends) => {
        for (let i = 0; i < 2; i++) {
          await s.pause();
          await s.m.lock();
          s.log.push(`${name}${i}`);
          await s.pause();
          s.m.unlock();
        }
      },
    ]),
  ),
  outcome: (s) => s.log.join(','),
};

interface Transfer {
  q: MonitorBuffer;
  taken: Record<string, string[]>;
  pause: () => Promise<void>;
}

const monitorTransfer: Case<Transfer> = {
  name: 'items through a monitor buffer',
  setup: (rt, pause) => ({ q: new MonitorBuffer(rt, 1), taken: { c0: [], c1: [] }, pause }),
  threads: {
    p0: async (s) => {
      for (const item of ['a0', 'a1']) {
        await s.pause();
        await s.q.put(item);
      }
    },
    p1: async (s) => {
      for (const item of ['b0', 'b1']) {
        await s.pause();
        await s.q.put(item);
      }
    },
    c0: async (s) => {
      for (let i = 0; i < 2; i++) {
        await s.pause();
        s.taken.c0!.push(String(await s.q.take()));
      }
    },
    c1: async (s) => {
      for (let i = 0; i < 2; i++) {
        await s.pause();
        s.taken.c1!.push(String(await s.q.take()));
      }
    },
  },
  outcome: (s) => `c0:${s.taken.c0!.join(',')} c1:${s.taken.c1!.join(',')}`,
};

interface Pool {
  permits: ReturnType<Runtime['semaphore']>;
  log: string[];
  inside: number;
  most: number;
  pause: () => Promise<void>;
}

const semaphorePool: Case<Pool> = {
  name: 'a pool of two permits shared by three workers',
  setup: (rt, pause) => ({ permits: rt.semaphore(2, 'pool'), log: [], inside: 0, most: 0, pause }),
  threads: Object.fromEntries(
    ['x', 'y', 'z'].map((name) => [
      name,
      async (s: Pool) => {
        await s.pause();
        await s.permits.acquire();
        s.inside++;
        s.most = Math.max(s.most, s.inside);
        s.log.push(`+${name}`);
        await s.pause();
        s.log.push(`-${name}`);
        s.inside--;
        s.permits.release();
      },
    ]),
  ),
  outcome: (s) => `${s.log.join('')} most=${s.most}`,
};

interface Sleepers {
  log: string[];
}

const sleepOrder: Case<Sleepers> = {
  name: 'sleeps of different lengths and a yield',
  setup: () => ({ log: [] }),
  threads: {
    long: async (s, rt) => {
      await rt.sleep(6);
      s.log.push(`long@${rt.now() >= 6 ? '6+' : 'early'}`);
    },
    short: async (s, rt) => {
      await rt.sleep(2);
      s.log.push(`short@${rt.now() >= 2 ? '2+' : 'early'}`);
    },
    yielder: async (s, rt) => {
      await rt.yield();
      s.log.push('yielder');
    },
  },
  outcome: (s) => s.log.join(','),
};

// ---- the tests ----------------------------------------------------------------------

describe('real runtime outcomes are a subset of virtual runtime outcomes', () => {
  it('two threads appending to a shared array under a mutex', async () => {
    const { virtual } = await expectConforms(appendUnderMutex, 300, 2000);
    // The virtual runtime reaches every interleaving that keeps each thread's own order: C(4,2) = 6.
    expect(virtual.size).toBe(6);
  });

  it('two producers and two consumers through a monitor buffer (condition variables)', async () => {
    const { virtual } = await expectConforms(monitorTransfer, 300, 2000);
    for (const outcome of virtual) {
      const items = outcome.replace(/c[01]:/g, '').split(/[ ,]/).sort();
      expect(items).toEqual(['a0', 'a1', 'b0', 'b1']);
    }
  });

  it('a counting semaphore bounding three workers to two at a time', async () => {
    const { real, virtual } = await expectConforms(semaphorePool, 300, 2000);
    for (const outcome of [...real.keys(), ...virtual]) expect(outcome).toMatch(/most=[12]$/);
  });

  it('sleeps wake at their deadlines; time may pass before a thread starts or while a yield waits, as in a busy process', async () => {
    const real = await realOutcomes(sleepOrder, 20, 1);
    const virtual = await virtualOutcomes(sleepOrder, 300, 3);
    // Real Node, unloaded, starts every thread at once and runs the yielder before the 2 ms timer; a thread that starts
    // later, or a process too busy to run the yielder before the timer, gives the other orders, which the harness covers too.
    expect([...real.keys()].every((o) => virtual.has(o))).toBe(true);
    expect(virtual).toContain('yielder,short@2+,long@6+');
    expect(virtual).toContain('short@2+,yielder,long@6+');
    expect([...virtual].every((o) => !o.includes('early'))).toBe(true);
  });
});

describe('the check itself', () => {
  it('would notice a real outcome the virtual runtime cannot produce', async () => {
    // A body that behaves differently off the harness (it reads which runtime it
    // got) produces a real outcome no virtual execution has.
    const divergent: Case<Appends> = {
      ...appendUnderMutex,
      name: 'runtime-dependent',
      outcome: (s) => (s.m.constructor.name === 'RealMutex' ? `real:${appendUnderMutex.outcome(s)}` : appendUnderMutex.outcome(s)),
    };
    const real = await realOutcomes(divergent, 20, 2);
    const virtual = await virtualOutcomes(divergent, 200, 2);
    expect([...real.keys()].some((o) => !virtual.has(o))).toBe(true);
  });
});
