/**
 * Runs a scenario on real Node, as production would: `realRuntime`, real
 * promises and timers, and a randomised real delay wherever the harness has
 * a scheduling point of the workload (each thread's start, the pause before
 * each put and take): nothing, a few microtask turns, a `setImmediate`, or a
 * real timer of 0–2 ms. An execution that has not finished after
 * `hangAfterMs` is a hang. The outcome is the scenario's own.
 */
import { realRuntime } from 'interleave';
import type { PointRequest, VirtualHost } from '../../src/runtime/virtual/host.ts';
import { definitionOf, type Scenario } from '../../src/workload/scenario.ts';

/** A small seeded generator (mulberry32): the kinds of delay are reproducible, real timing is not. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A real delay of a random kind. */
function delay(random: () => number): Promise<void> {
  const r = random();
  if (r < 0.3) return Promise.resolve();
  if (r < 0.55) {
    let p = Promise.resolve();
    for (let i = Math.floor(random() * 3); i >= 0; i--) p = p.then(() => undefined);
    return p;
  }
  if (r < 0.8) return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 3)));
}

/** The host the workload's own code talks to, on real Node: its scheduling points become random real delays. */
function realHost(random: () => number): VirtualHost {
  let sequence = 0;
  return {
    currentThread: () => undefined,
    threadName: (id) => (id === undefined ? 'setup' : `thread#${id}`),
    threadIds: () => [],
    isFinished: () => false,
    point: (_request: PointRequest) => delay(random),
    sleep: (ms) => realRuntime.sleep(ms),
    yield: () => realRuntime.yield(),
    chooseWaiter: () => 0,
    record: () => {},
    recording: false,
    stepIndex: () => 0,
    sequence: () => sequence++,
    now: () => performance.now(),
    defaultName: (kind) => kind,
    changed: () => {},
    register: () => {},
  };
}

export const HANG = 'hang';

/** One real run: its outcome, `hang`, or `exception: …`. */
export async function runOnRealNode(scenario: Scenario, random: () => number, hangAfterMs = 100): Promise<string> {
  const definition = definitionOf(scenario);
  if (definition?.outcome === undefined) throw new TypeError(`'${scenario.name}' has no outcome to compare`);
  const host = realHost(random);
  const state = definition.setup(realRuntime, host);
  const threads = definition.bodies.map(async (body) => {
    await delay(random);
    await body(state, realRuntime, host);
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<'hang'>((resolve) => {
    timer = setTimeout(() => resolve('hang'), hangAfterMs);
  });
  try {
    const ended = await Promise.race([Promise.all(threads).then(() => 'done' as const), hung]);
    if (ended === 'hang') return HANG;
  } catch (error) {
    return `exception: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    clearTimeout(timer);
  }
  return definition.outcome(state);
}
