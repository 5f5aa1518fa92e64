/**
 * Same-macrotask starts (DESIGN §1): a step may start several continuations
 * in one macrotask, in a chosen order and at chosen microtask offsets, as
 * `Promise.all([q.take(), q.take()])` starts two takes. Bugs live there that
 * no schedule of one continuation per step can show.
 */
import { describe, expect, it } from 'vitest';
import { defineScenario, explore, replay, traceToJson, type Runtime, type Scenario } from 'interleave';
import { JOIN_STOP, type Chooser, type Decision } from '../../src/engine/chooser.ts';
import { VirtualClock } from '../../src/engine/clock.ts';
import { runExecution } from '../../src/engine/execution.ts';
import { verdictOf } from '../../src/check/classify.ts';
import { RandomStrategy } from '../../src/explore/strategies/random.ts';
import { renderTextReport } from '../../src/report/text.ts';
import { definitionOf } from '../../src/workload/scenario.ts';
import putNoRecheck from '../../scenarios/promise-queue-put-no-recheck.ts';
import edgeWake from '../../scenarios/promise-queue-edge-wake.ts';
import promiseQueue from '../../scenarios/promise-queue.ts';

const SAME_MACROTASK_BUGS: [string, Scenario][] = [
  ['a put that does not look again for a taker after waiting for room', putNoRecheck],
  ['a put that wakes a taker only on the empty to non-empty edge', edgeWake],
];

describe.each(SAME_MACROTASK_BUGS)('%s', (_title, scenario) => {
  it('is found by the default strategy within the default budget, under every seed tried, and its token replays exactly', async () => {
    for (let seed = 1; seed <= 5; seed++) {
      const result = await explore(scenario, { seed });
      expect(result.failure?.kind, `seed ${seed}`).toBe('lost-wakeup');
      const again = await replay(scenario, result.failure!.replay);
      expect(traceToJson(again.failure!.trace)).toBe(traceToJson(result.failure!.trace));
    }
  });

  it('needs two operations started in one macrotask: its report says which, and how', async () => {
    const result = await explore(scenario, { seed: 1 });
    const failure = result.failure!;
    const joinedOps = failure.trace.steps.flatMap((s) => (s.joined ?? []).filter((j) => j.started).map((j) => `${s.resumed}+${j.resumed}`));
    expect(joinedOps.some((pair) => pair === 'take+take' || pair === 'put+put'), joinedOps.join(', ')).toBe(true);
    const text = renderTextReport(failure, { scenario: scenario.name });
    expect(text).toMatch(/'s (take|put) started in the same macrotask as \S+'s (take|put), in the same synchronous block, as Promise.all would start them/);
  });

  it('is never found when every step starts one continuation (the model before same-macrotask starts)', async () => {
    const definition = definitionOf(scenario)!;
    const strategy = new RandomStrategy(7);
    const clock = new VirtualClock();
    for (let i = 0; i < 3000; i++) {
      const result = await runExecution(definition, { clock, chooser: strategy.nextExecution(), maxSteps: 10_000, replaying: false, record: false, joins: false });
      expect(verdictOf(result, 10_000, () => definition.hints(result.state))).toBeUndefined();
    }
  });
});

it('the correct promise queue stays silent with same-macrotask starts on', async () => {
  const result = await explore(promiseQueue, { seed: 3 });
  expect(result.failure?.message).toBeUndefined();
});

/** Joins whatever it can, at offset 0, and otherwise picks the lowest id: every step as crowded as it gets. */
class EagerJoiner implements Chooser {
  choose(decision: Decision): number {
    if (decision.kind === 'join') return decision.candidates[0] ?? JOIN_STOP;
    if (decision.kind === 'offset') return 0;
    return decision.candidates[0]!;
  }
}

describe('a joined continuation', () => {
  it('that can no longer proceed when its turn comes stays where it was, and the trace says so', async () => {
    const scenario = defineScenario({
      name: 'two lockers',
      setup: (rt) => ({ m: rt.mutex('m'), inside: 0, most: 0 }),
      threads: Object.fromEntries(
        ['a', 'b'].map((name) => [
          name,
          async (s: { m: ReturnType<Runtime['mutex']>; inside: number; most: number }) => {
            await s.m.lock();
            s.inside++;
            s.most = Math.max(s.most, s.inside);
            s.inside--;
            s.m.unlock();
          },
        ]),
      ),
    });
    const definition = definitionOf(scenario)!;
    const result = await runExecution(definition, { clock: new VirtualClock(), chooser: new EagerJoiner(), maxSteps: 100, replaying: false, record: true });
    expect(result.end.type).toBe('completed');
    const refused = result.steps.flatMap((s) => s.joined ?? []).filter((j) => !j.started);
    expect(refused.map((j) => `${j.actor} ${j.resumed}`)).toEqual(['b lock(m)']);
    expect((result.state as { most: number }).most).toBe(1);
  });

  it('never shares a macrotask with a timer: a timer step starts nothing else, and a timer is never a join candidate', async () => {
    const seen: Decision[] = [];
    const recorder: Chooser = {
      choose(decision) {
        seen.push(decision);
        return new EagerJoiner().choose(decision);
      },
    };
    const scenario = defineScenario({
      name: 'timers and threads',
      setup: () => ({ fired: 0 }),
      threads: {
        a: async (s: { fired: number }, rt: Runtime) => {
          setTimeout(() => s.fired++, 1);
          setImmediate(() => s.fired++);
          await rt.yield();
          await rt.sleep(1);
        },
        b: async (_s: { fired: number }, rt: Runtime) => {
          await rt.yield();
          await rt.sleep(1);
        },
      },
    });
    const result = await runExecution(definitionOf(scenario)!, { clock: new VirtualClock(), chooser: recorder, maxSteps: 100, replaying: false, record: true });
    expect(result.end.type).toBe('completed');
    expect(seen.filter((d) => d.kind === 'join').flatMap((d) => d.candidates).every((id) => id % 2 === 0)).toBe(true);
    expect(result.steps.filter((s) => s.actorKind === 'timer').every((s) => s.joined === undefined)).toBe(true);
    expect(result.steps.filter((s) => s.actorKind === 'timer')).toHaveLength(2);
  });
});
