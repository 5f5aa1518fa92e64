/**
 * Direct mode (engine/context.ts): executions start without async context and
 * name the step's one actor; an execution that parks a thread on an ordinary
 * promise runs again with async context. Both must give the same execution.
 */
import { describe, expect, it } from 'vitest';
import { explore, producerConsumer, replay, traceToJson } from 'interleave';
import { VirtualClock } from '../../src/engine/clock.ts';
import { runExecution, type ExecutionResult } from '../../src/engine/execution.ts';
import { runJudged } from '../../src/explore/run.ts';
import { TapeChooser } from '../../src/explore/strategies/tape.ts';
import { RandomStrategy } from '../../src/explore/strategies/random.ts';
import { definitionOf, type Scenario } from '../../src/workload/scenario.ts';
import monitorBuffer from '../../scenarios/monitor-buffer.ts';
import promiseQueue from '../../scenarios/promise-queue.ts';
import lostWakeupQueue from '../../scenarios/promise-queue-single-waiter.ts';

function run(scenario: Scenario, tape: readonly number[], direct: boolean): Promise<ExecutionResult> {
  return runExecution(definitionOf(scenario)!, { clock: new VirtualClock(), chooser: new TapeChooser(tape), maxSteps: 10_000, replaying: true, record: true, direct });
}

async function someTapes(scenario: Scenario, count: number): Promise<number[][]> {
  const strategy = new RandomStrategy(7);
  const tapes: number[][] = [];
  for (let i = 0; i < count; i++) {
    const result = await runExecution(definitionOf(scenario)!, { clock: new VirtualClock(), chooser: strategy, maxSteps: 10_000, replaying: false, record: false });
    tapes.push([...result.tape]);
  }
  return tapes;
}

describe('an execution on the Runtime (no thread parks on a promise)', () => {
  it('runs to its end in direct mode, with the same trace as with async context', async () => {
    for (const tape of await someTapes(monitorBuffer, 20)) {
      const direct = await run(monitorBuffer, tape, true);
      const context = await run(monitorBuffer, tape, false);
      expect(direct.end.type).toBe('completed');
      expect(JSON.stringify(direct.steps)).toBe(JSON.stringify(context.steps));
      expect(direct.tape).toEqual(context.tape);
    }
  });
});

describe('an execution where a thread parks on an ordinary promise', () => {
  it('stops in direct mode, asking for async context, exactly when a thread parks', async () => {
    let parked = 0;
    for (const tape of await someTapes(promiseQueue, 20)) {
      const direct = await run(promiseQueue, tape, true);
      const context = await run(promiseQueue, tape, false);
      const parks = context.steps.some((step) => Object.values(step.threadsAfter).includes('parked on a promise'));
      expect(direct.end.type).toBe(parks ? 'needs-context' : context.end.type);
      if (parks) parked++;
    }
    expect(parked).toBeGreaterThan(0);
  });

  it('is run again with async context from the same decisions, giving what a run with async context alone gives', async () => {
    let fellBack = 0;
    for (const tape of await someTapes(promiseQueue, 20)) {
      const fallback = await runJudged('promise-queue', definitionOf(promiseQueue)!, new VirtualClock(), new TapeChooser(tape), 10_000, true, true, undefined, true, true);
      const context = await run(promiseQueue, tape, false);
      if (fallback.neededContext === true) fellBack++;
      expect(fallback.result.end.type).toBe(context.end.type);
      expect(JSON.stringify(fallback.result.steps)).toBe(JSON.stringify(context.steps));
    }
    expect(fellBack).toBeGreaterThan(0);
  });

  it('finds the promise-world bug, and its token replays to a byte-identical trace', async () => {
    const result = await explore(lostWakeupQueue, { runs: 2000, seed: 9 });
    expect(result.failure?.kind).toBe('lost-wakeup');
    const again = await replay(lostWakeupQueue, result.failure!.replay);
    expect(traceToJson(again.failure!.trace)).toBe(traceToJson(result.failure!.trace));
  });

  it('attributes each harness call to its own thread when one step runs several threads', async () => {
    // A put hands its item straight to a parked taker, whose take resumes inside the putter's step
    // and reaches its next pause there: that pause must be the taker's, not the putter's.
    const handoff = producerConsumer({
      name: 'hand-off channel',
      create: () => {
        const takers: ((item: unknown) => void)[] = [];
        const items: unknown[] = [];
        return {
          get size() {
            return items.length;
          },
          async put(item: unknown) {
            const taker = takers.shift();
            if (taker !== undefined) taker(item);
            else items.push(item);
          },
          take: () => (items.length > 0 ? Promise.resolve(items.shift()) : new Promise((resolve) => takers.push(resolve))),
        };
      },
      capacity: 10,
      producers: 1,
      consumers: 2,
      itemsPerProducer: 4,
    });
    const result = await explore(handoff, { runs: 2000, seed: 2 });
    expect(result.ok, result.failure?.message).toBe(true);
  });
});
