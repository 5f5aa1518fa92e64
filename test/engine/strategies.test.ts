/**
 * The strategies behind explore(): each finds a shallow race and replays it,
 * DFS visits every schedule exactly once and says so, and the budgets hold.
 */
import { describe, expect, it } from 'vitest';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { defineScenario, explore, replay, type Mutex, type Runtime, type Scenario } from 'interleave';
import { JOIN_STOP, type Chooser, type Decision } from '../../src/engine/chooser.ts';
import { VirtualClock } from '../../src/engine/clock.ts';
import { runExecution } from '../../src/engine/execution.ts';
import { DFS_MAX_OFFSET, DfsStrategy } from '../../src/explore/strategies/dfs.ts';
import { PctStrategy } from '../../src/explore/strategies/pct.ts';
import { definitionOf } from '../../src/workload/scenario.ts';

const STRATEGIES = ['random', 'pct', 'dfs', 'portfolio'] as const;

/** Two unlocked read-yield-write increments: the textbook lost update. */
const racyCounter = defineScenario({
  name: 'racy counter',
  setup: () => ({ count: 0 }),
  threads: Object.fromEntries(
    ['a', 'b'].map((name) => [
      name,
      async (s: { count: number }, rt: Runtime) => {
        const seen = s.count;
        await rt.yield();
        s.count = seen + 1;
      },
    ]),
  ),
  final: (s) => s.count === 2 || `count is ${s.count}: an increment was lost`,
  expected: 'invariant',
});

describe.each(STRATEGIES)('strategy %s', (strategy) => {
  it('finds the lost update, and its token replays to the same failure', async () => {
    const result = await explore(racyCounter, { strategy, runs: 500, seed: 11 });
    expect(result.strategy).toBe(strategy);
    expect(result.failure?.kind).toBe('invariant');
    expect(result.expectationMet).toBe(true);
    const again = await replay(racyCounter, result.failure!.replay);
    expect(again.failure?.kind).toBe('invariant');
    expect(again.failure?.step).toBe(result.failure!.step);
  });

  it('gives the same result for the same seed', async () => {
    const a = await explore(racyCounter, { strategy, runs: 500, seed: 12 });
    const b = await explore(racyCounter, { strategy, runs: 500, seed: 12 });
    expect([a.executions, a.steps, a.failure?.replay]).toEqual([b.executions, b.steps, b.failure?.replay]);
  });
});

describe('dfs (iterative context bounding)', () => {
  it('runs every schedule, fewest preemptions first, then reports the search exhausted', async () => {
    const orders: string[] = [];
    const s = defineScenario({
      name: 'two threads, two steps each',
      setup: () => ({ log: [] as string[] }),
      threads: {
        a: async (st: { log: string[] }, rt: Runtime) => {
          st.log.push('a1');
          await rt.yield();
          st.log.push('a2');
        },
        b: async (st: { log: string[] }, rt: Runtime) => {
          st.log.push('b1');
          await rt.yield();
          st.log.push('b2');
        },
      },
      final: (st) => {
        orders.push(st.log.join(' '));
        return true;
      },
    });
    const result = await explore(s, { strategy: 'dfs', runs: 1000, seed: 1 });
    expect(result.ok).toBe(true);
    expect(result.exhausted).toBe(true);
    // Two threads of two steps each: a yield is an immediate (realRuntime's setImmediate), so the yields resume first in, first
    // out, and the orders are those of when each thread starts: a1 a2 b1 b2, a1 b1 a2 b2, b1 a1 b2 a2, b1 b2 a1 a2 (a1 b1 b2 a2
    // would resume b's yield before a's, queued first: Node never does). Switching away from a thread that yields costs
    // nothing: the bound-0 schedules alternate.
    expect(new Set(orders)).toEqual(new Set(['a1 a2 b1 b2', 'a1 b1 a2 b2', 'b1 a1 b2 a2', 'b1 b2 a1 a2']));
    expect(orders[0]).toBe('a1 b1 a2 b2');
    // Schedules of a smaller bound are run again under a larger one, but the search ends. Starting both
    // threads in one macrotask (a join) is a schedule of its own, so there are more than 4.
    expect(result.executions).toBeGreaterThanOrEqual(4);
    expect(result.executions).toBeLessThan(80);
    expect(orders.every((o) => o.indexOf('a1') < o.indexOf('a2') && o.indexOf('b1') < o.indexOf('b2'))).toBe(true);
  });
});

describe('dfs on a tree too large to run whole', () => {
  it('finds a one-preemption bug among few schedules', async () => {
    // Read and write in two separate lock holds: only a switch between them, at a lock() where the
    // thread could go on (a preemption, not a yield), loses an update.
    const increment = async (s: { count: number; m: Mutex }) => {
      for (let i = 0; i < 3; i++) {
        await s.m.lock();
        s.m.unlock();
      }
      await s.m.lock();
      const seen = s.count;
      s.m.unlock();
      await s.m.lock();
      s.count = seen + 1;
      s.m.unlock();
    };
    const s = defineScenario({
      name: 'four split increments',
      setup: (rt) => ({ count: 0, m: rt.mutex('m') }),
      threads: { a: increment, b: increment, c: increment, d: increment },
      final: (st) => st.count === 4 || `count is ${st.count}`,
    });
    const result = await explore(s, { strategy: 'dfs', runs: 10_000, seed: 1 });
    expect(result.failure?.kind).toBe('invariant');
    // Every schedule without preemption (the 4! = 24 orders of whole threads) is correct; one preemption is enough.
    expect(result.executions).toBeGreaterThan(24);
    expect(result.executions).toBeLessThan(200);
  });
});

describe('defaults and budgets', () => {
  it('uses the portfolio when no strategy is named', async () => {
    const result = await explore(racyCounter, { runs: 50, seed: 1 });
    expect(result.strategy).toBe('portfolio');
  });

  it('stops the portfolio, exhausted, once its context-bounded member has run every schedule', async () => {
    const small = defineScenario({
      name: 'two threads, one yield each',
      setup: () => ({}),
      threads: { a: async (_s, rt: Runtime) => rt.yield(), b: async (_s, rt: Runtime) => rt.yield() },
    });
    const result = await explore(small, { runs: 10_000, seed: 1 });
    expect(result.ok).toBe(true);
    expect(result.exhausted).toBe(true);
    expect(result.executions).toBeLessThan(300);
  });

  it('stops at the time limit, reporting what it did', async () => {
    const safe = defineScenario({
      name: 'nothing shared',
      setup: () => ({}),
      threads: { a: async (_s, rt: Runtime) => rt.yield(), b: async (_s, rt: Runtime) => rt.yield() },
    });
    const result = await explore(safe, { strategy: 'random', runs: 1_000_000_000, timeLimitMs: 150, seed: 1 });
    expect(result.ok).toBe(true);
    expect(result.executions).toBeGreaterThan(0);
    expect(result.executions).toBeLessThan(1_000_000_000);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(150);
  });

  it('stops after the number of runs asked for', async () => {
    const result = await explore(
      defineScenario({ name: 'one thread', setup: () => ({}), threads: { a: async () => {} } }),
      { runs: 37, seed: 1, strategy: 'random' },
    );
    expect(result.executions).toBe(37);
    expect(result.steps).toBe(37);
  });
});

describe('dfs and the step budget', () => {
  it('never claims to have run every schedule when an execution went past maxSteps, out of its sight', async () => {
    const long = defineScenario({
      name: 'longer than the budget',
      setup: () => ({}),
      threads: {
        a: async (_s, rt: Runtime) => {
          for (let i = 0; i < 6; i++) await rt.yield();
        },
        b: async (_s, rt: Runtime) => rt.yield(),
      },
    });
    const within = await explore(long, { strategy: 'dfs', runs: 5000, seed: 1 });
    expect(within.exhausted).toBe(true);
    const beyond = await explore(long, { strategy: 'dfs', runs: 300, seed: 1, maxSteps: 5 });
    expect(beyond.ok).toBe(true);
    expect(beyond.exhausted).toBe(false);
    expect(beyond.executions).toBe(300);
  });
});

// ---- the chooser sees every decision ---------------------------------------------------


/**
 * Preemptions of a schedule, by the definition and nothing else (written
 * apart from dfs.ts on purpose): at a step, running another task while the
 * one that ran last could go on, or running a task that yielded while
 * another could run; starting a continuation in the same macrotask; an
 * offset other than 0; a clock that moves while work is ready, or past more
 * than the next deadline.
 */
function preemptions(decisions: readonly { decision: Decision; picked: number }[]): number {
  let n = 0;
  for (const { decision, picked } of decisions) {
    if (decision.kind === 'join' && picked !== JOIN_STOP) n++;
    if (decision.kind === 'offset' && picked > 0) n++;
    if (decision.kind === 'time' && picked !== decision.candidates[0]) n++;
    if (decision.kind !== 'step' || decision.last === undefined) continue;
    const task = decision.tasks[decision.candidates.indexOf(picked)];
    const lastCanGo = decision.tasks.includes(decision.last);
    const othersCanGo = decision.tasks.some((t) => t !== decision.last);
    if (!lastCanGo) continue;
    if (!decision.yielding && task !== decision.last) n++;
    if (decision.yielding && task === decision.last && othersCanGo) n++;
  }
  return n;
}

/** Every schedule of a scenario, by brute force: a stateless walk of the whole decision tree (offsets as dfs tries them). */
async function everySchedule(scenario: Scenario): Promise<Map<string, number>> {
  const definition = definitionOf(scenario)!;
  const path: { index: number; count: number }[] = [];
  const schedules = new Map<string, number>();
  for (;;) {
    const decisions: { decision: Decision; picked: number }[] = [];
    let depth = 0;
    const walker: Chooser = {
      choose(decision) {
        const options =
          decision.kind === 'join' ? [JOIN_STOP, ...decision.candidates] : decision.kind === 'offset' ? decision.candidates.filter((o) => o <= DFS_MAX_OFFSET) : [...decision.candidates];
        const node = (path[depth] ??= { index: 0, count: options.length });
        depth++;
        const picked = options[node.index]!;
        // Copied: the engine's candidate arrays go on changing after the decision.
        decisions.push({ decision: { ...decision, candidates: [...decision.candidates], tasks: [...decision.tasks] }, picked });
        return picked;
      },
    };
    const result = await runExecution(definition, { clock: new VirtualClock(), chooser: walker, maxSteps: 1000, replaying: false, record: false });
    schedules.set(result.tape.join(','), preemptions(decisions));
    path.length = depth;
    while (path.length > 0 && path[path.length - 1]!.index + 1 >= path[path.length - 1]!.count) path.pop();
    if (path.length === 0) return schedules;
    path[path.length - 1]!.index++;
  }
}

describe('dfs against an independent enumeration', () => {
  const small = defineScenario({
    name: 'three short threads',
    setup: (rt) => ({ m: rt.mutex('m'), log: [] as string[] }),
    threads: {
      a: async (s: { m: Mutex; log: string[] }, rt: Runtime) => {
        await rt.yield();
        s.log.push('a');
      },
      b: async (s: { m: Mutex; log: string[] }) => {
        await s.m.lock();
        s.log.push('b');
        s.m.unlock();
      },
      c: async (s: { m: Mutex; log: string[] }) => {
        await s.m.lock();
        s.log.push('c');
        s.m.unlock();
      },
    },
  });

  it('runs at bound k exactly the schedules with at most k preemptions, for every k, and at bound 0 no schedule with one', async () => {
    const all = await everySchedule(small);
    expect(all.size).toBeGreaterThan(50);
    const definition = definitionOf(small)!;
    for (let k = 0; k <= 4; k++) {
      const dfs = new DfsStrategy(Infinity, k);
      const ran = new Set<string>();
      for (let chooser = dfs.nextExecution(); chooser !== undefined; chooser = dfs.nextExecution()) {
        const result = await runExecution(definition, { clock: new VirtualClock(), chooser, maxSteps: 1000, replaying: false, record: false });
        ran.add(result.tape.join(','));
        dfs.executionEnded(result.step);
      }
      const expected = [...all].filter(([, cost]) => cost <= k).map(([tape]) => tape);
      expect(new Set(ran), `bound ${k}`).toEqual(new Set(expected));
    }
  });
});

describe('PCT', () => {
  it('draws d-1 distinct change points in step decisions, and every one of them fires', async () => {
    const fixed = defineScenario({
      name: 'twenty-one steps whatever the order',
      setup: (rt) => ({ a: rt.mutex('a'), b: rt.mutex('b'), c: rt.mutex('c') }),
      threads: Object.fromEntries(
        (['a', 'b', 'c'] as const).map((name) => [
          name,
          // A lock of its own, taken six times: every step is a step decision (a yield would be resumed by the loop's check phase).
          async (s: Record<'a' | 'b' | 'c', Mutex>) => {
            for (let i = 0; i < 6; i++) {
              await s[name].lock();
              s[name].unlock();
            }
          },
        ]),
      ),
    });
    const definition = definitionOf(fixed)!;
    for (const depth of [2, 3, 5]) {
      for (const joins of [false, true]) {
        const pct = new PctStrategy(xoroshiro128plus(depth), depth);
        for (let i = 0; i < 200; i++) {
          const chooser = pct.nextExecution();
          const result = await runExecution(definition, { clock: new VirtualClock(), chooser, maxSteps: 1000, replaying: false, record: false, joins });
          pct.executionEnded();
          expect(chooser.changes.size).toBe(depth - 1);
          // Change points are drawn among the step decisions that had a choice (the last steps, with one thread left, have none).
          // An execution may ask fewer of them than the longest seen: the points within it fire, every one of them.
          const within = [...chooser.changes].filter((c) => c <= chooser.steps).length;
          expect(chooser.fired, `depth ${depth}, execution ${i}`).toBe(within);
          expect(chooser.steps).toBeLessThanOrEqual(result.step);
          if (!joins) expect(result.step).toBe(21);
        }
      }
    }
  });
});
