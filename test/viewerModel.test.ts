/** The viewer's model of a trace, without a browser: lanes, statuses, what was put and taken, occupancy, line wrapping. */
import { describe, expect, it } from 'vitest';
import { defineScenario, explore } from '../src/index.ts';
import { laneModel, lanesOf, statusOf } from '../src/report/viewer/lanes.ts';
import { wrapped } from '../src/report/viewer/laneView.ts';
import { occupancy, outcomeSoFar } from '../src/report/viewer/stateAt.ts';
import { libraryFailure } from './fixtures/report/library.ts';
import { syntheticTrace } from './fixtures/report/traces.ts';

describe('the viewer model', () => {
  it('gives every timer that fired a lane of its own, after the threads', async () => {
    const timers = defineScenario({
      name: 'two timers',
      setup: () => ({ fired: 0 }),
      threads: {
        sleeper: async (s, rt) => {
          setTimeout(() => s.fired++, 5);
          setTimeout(() => s.fired++, 7);
          await rt.sleep(10);
          throw new Error(`woke after ${s.fired} timers`);
        },
      },
    });
    const { failure } = await explore(timers, { seed: 1, runs: 5 });
    const lanes = lanesOf(failure!.trace);
    expect(lanes[0]).toEqual({ name: 'sleeper', kind: 'thread' });
    expect(lanes.slice(1).map((l) => l.kind)).toEqual(['timer', 'timer']);
    expect(lanes.slice(1).map((l) => l.name)).toEqual(failure!.trace.steps.filter((s) => s.actorKind === 'timer').map((s) => s.actor));
    const model = laneModel(failure!.trace);
    const timerStep = failure!.trace.steps.findIndex((s) => s.actorKind === 'timer');
    expect(model.cells[timerStep]![1]!.lines).toEqual([`${lanes[1]!.name}: ${failure!.trace.steps[timerStep]!.resumed}`]);
    expect(model.cells[timerStep]![1]!.status).toBe('idle');
  });

  it('reads where a thread stands, and at the end says what a blocked thread waits for and who is in its way', async () => {
    expect(['not started', 'ready at put', 'blocked in wait(c)', 'parked on a promise', 'done', 'failed: Error: x'].map(statusOf)).toEqual([
      'not-started',
      'ready',
      'blocked',
      'parked',
      'done',
      'failed',
    ]);
    const { failure } = await libraryFailure('semaphore-wrong-order');
    const model = laneModel(failure.trace);
    const last = model.cells[failure.trace.steps.length - 1]!;
    expect(last[0]).toMatchObject({ status: 'blocked', waits: 'blocked in acquire(empty), which only producer-1 or consumer-0 or consumer-1 could release' });
  });

  it('marks continuations that shared a macrotask, on both lanes', () => {
    const trace = syntheticTrace({ steps: 12, producers: 1, consumers: 1, capacity: 1 });
    const model = laneModel(trace);
    const step = trace.steps[5]!;
    expect(step.joined).toHaveLength(1);
    const actor = trace.threads.indexOf(step.actor);
    const joined = trace.threads.indexOf(step.joined![0]!.actor);
    expect(model.cells[5]![actor]!.joined).toBe(`began the macrotask; ${step.joined![0]!.actor} joined it`);
    expect(model.cells[5]![joined]!.joined).toBe(`started in the same macrotask as ${step.actor}'s ${step.resumed}, in the same synchronous block`);
    expect(model.cells[9]![trace.threads.indexOf(trace.steps[9]!.actor)]!.note).toBe(trace.steps[9]!.note);
  });

  it('knows what each thread put and took so far, and the occupancy at every step', async () => {
    const { failure } = await libraryFailure('monitor-check-then-wait');
    const trace = failure.trace;
    const all = outcomeSoFar(trace, trace.steps.length - 1);
    const puts = trace.steps.flatMap((s) => s.events.filter((e) => e.op === 'put' && e.type === 'invoke').map((e) => e.value));
    const done = trace.steps.flatMap((s) => s.events.filter((e) => e.op === 'put' && e.type === 'response')).length;
    expect(all.puts.get('producer-0')).toEqual(puts.slice(0, done));
    expect(all.takes.get('consumer-0')).toEqual(trace.steps.flatMap((s) => s.events.filter((e) => e.op === 'take' && e.type === 'response').map((e) => e.value)));
    expect(outcomeSoFar(trace, 0)).toEqual({ puts: new Map(), takes: new Map() });
    const occupied = occupancy(trace)!;
    expect(occupied.reported).toEqual(trace.steps.map((s) => s.snapshot.buffer!.size));
    expect(occupancy({ ...trace, steps: trace.steps.map((s) => ({ ...s, snapshot: { ...s.snapshot, buffer: undefined } })) })).toBeUndefined();
  });

  it('counts wrapped lines as the browser breaks them, at spaces and inside words longer than a line', () => {
    expect(wrapped('lock(lock) acquired', 21)).toBe(1);
    expect(wrapped('notify(notEmpty): woke consumer-0', 21)).toBe(2);
    expect(wrapped('a'.repeat(50), 21)).toBe(3);
    expect(wrapped(`put ${'x'.repeat(30)}`, 21)).toBe(3);
    expect(wrapped(`${'x'.repeat(30)} put`, 21)).toBe(2);
  });
});
