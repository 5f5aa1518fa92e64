/**
 * Minimisation and livelock shortening (explore/minimise.ts) as algorithms,
 * over a fake runner: a tiny model of an execution that asks the chooser
 * for decisions the way the engine does (a step, then same-macrotask joins
 * with their offsets) and fails by a rule the test sets. What is pinned:
 * which schedules are tried, in which order, with which budgets, and what
 * is returned — the failure kind never changes, joins the failure does not
 * need are dropped, the shortest failing prefix wins.
 */
import { describe, expect, it } from 'vitest';
import { JOIN_STOP, type Chooser, type DecisionKind } from '../../src/engine/chooser.ts';
import type { ExecutionResult } from '../../src/engine/execution.ts';
import type { Verdict } from '../../src/engine/monitor.ts';
import { minimiseSchedule, shortenLivelock, type Runner } from '../../src/explore/minimise.ts';
import type { Judged } from '../../src/explore/run.ts';
import { decision } from './decisions.ts';

interface Run {
  readonly tape: number[];
  readonly kinds: DecisionKind[];
  /** The task each step ran. */
  readonly steps: number[];
  /** Steps that started the other task in the same macrotask. */
  readonly joined: number[];
}

/** Six steps between tasks 0 and 1 (candidates 0 and 2); after each, the other task may join it. */
function execute(chooser: Chooser, length = 6): Run {
  const run: Run = { tape: [], kinds: [], steps: [], joined: [] };
  const ask = (kind: DecisionKind, candidates: number[], last?: number): number => {
    const picked = chooser.choose(decision(kind, candidates, { tasks: candidates.map((c) => c / 2), last }));
    run.tape.push(picked);
    run.kinds.push(kind);
    return picked;
  };
  for (let i = 0; i < length; i++) {
    const task = ask('step', [0, 2], run.steps.at(-1)) / 2;
    run.steps.push(task);
    let others = [2 - 2 * task];
    while (ask('join', others) !== JOIN_STOP && run.tape.length < 10_000) {
      ask('offset', [0, 1, 2]);
      run.joined.push(i);
      others = [];
    }
  }
  return run;
}

function fakeRunner(fails: (run: Run) => Verdict | undefined, length = 6) {
  const calls: { tape: number[]; maxSteps: number; fairSteps: number }[] = [];
  const runner: Runner = async (chooser, maxSteps, fairSteps) => {
    const run = execute(chooser, length);
    calls.push({ tape: run.tape, maxSteps, fairSteps });
    return { result: { tape: run.tape, kinds: run.kinds, step: run.steps.length } as unknown as ExecutionResult, verdict: fails(run) };
  };
  return { runner, calls };
}

/** A chooser that replays a list of choices, then joins nothing and takes the first candidate. */
const scripted = (choices: readonly number[]): Chooser => {
  let at = 0;
  return { choose: (d) => (at < choices.length ? choices[at++]! : d.kind === 'join' ? JOIN_STOP : d.candidates[0]!) };
};

const INVARIANT: Verdict = { kind: 'invariant', message: 'x' };

function found(choices: readonly number[], fails: (run: Run) => Verdict | undefined): Judged {
  const run = execute(scripted(choices));
  const verdict = fails(run);
  expect(verdict).toBeDefined();
  return { result: { tape: run.tape, kinds: run.kinds, step: run.steps.length } as unknown as ExecutionResult, verdict };
}

describe('minimising a schedule', () => {
  it('drops every join the failure does not need, then takes the shortest prefix that, run without preemption, still fails', async () => {
    // It fails when task 1 runs the fourth step.
    const rule = (run: Run) => (run.steps[3] === 1 ? INVARIANT : undefined);
    // Found with joins after steps 1 and 2 and a switch to task 1 at step 4.
    const original = found([0, 2, 1, JOIN_STOP, 0, 2, 0, JOIN_STOP, 0, JOIN_STOP, 2, JOIN_STOP, 2, JOIN_STOP, 0, JOIN_STOP], rule);
    const { runner, calls } = fakeRunner(rule);
    const minimised = await minimiseSchedule(runner, original, 1000);
    expect(minimised?.verdict).toBe(INVARIANT);
    // Sticky after the prefix: task 1 keeps running; no joins at all.
    expect(minimised?.result.tape).toEqual([0, JOIN_STOP, 0, JOIN_STOP, 0, JOIN_STOP, 2, JOIN_STOP, 2, JOIN_STOP, 2, JOIN_STOP]);
    // The first try is the schedule without its joins; then prefixes of 0, 1, ... choices until one fails: the first 7 (the seventh is step 4's switch).
    expect(calls[0]!.tape).toEqual([0, JOIN_STOP, 0, JOIN_STOP, 0, JOIN_STOP, 2, JOIN_STOP, 2, JOIN_STOP, 0, JOIN_STOP]);
    expect(calls.length).toBe(1 + 8);
    expect(calls.every((c) => c.maxSteps === 1000 && c.fairSteps === 1000)).toBe(true);
  });

  it('keeps a join the failure needs, and drops the others one at a time from the last', async () => {
    // It fails when task 1 joined the first step.
    const rule = (run: Run) => (run.joined.includes(0) && run.steps[0] === 0 ? INVARIANT : undefined);
    const original = found([0, 2, 1, JOIN_STOP, 0, 2, 0, JOIN_STOP, 0, JOIN_STOP, 0, JOIN_STOP, 0, JOIN_STOP, 0, JOIN_STOP], rule);
    const { runner, calls } = fakeRunner(rule);
    const minimised = await minimiseSchedule(runner, original, 1000);
    // The join is kept; its offset is not needed either: the continuation without preemption starts it at offset 0.
    expect(minimised?.result.tape.slice(0, 4)).toEqual([0, 2, 0, JOIN_STOP]);
    expect(execute(scripted(minimised!.result.tape)).joined).toEqual([0]);
    // Without all joins: no failure. Then without the join of step 2: a failure, kept. Then without the join of step 1: none.
    expect(calls[1]!.tape.slice(0, 8)).toEqual([0, 2, 1, JOIN_STOP, 0, JOIN_STOP, 0, JOIN_STOP]);
    expect(calls[2]!.tape.slice(0, 2)).toEqual([0, JOIN_STOP]);
  });

  it('never settles for a failure of another kind', async () => {
    const rule = (run: Run): Verdict | undefined => (run.steps[3] === 1 ? INVARIANT : run.steps[0] === 0 ? { kind: 'deadlock', message: 'y' } : undefined);
    const original = found([0, JOIN_STOP, 0, JOIN_STOP, 0, JOIN_STOP, 2, JOIN_STOP, 0, JOIN_STOP, 0, JOIN_STOP], rule);
    const { runner } = fakeRunner(rule);
    const minimised = await minimiseSchedule(runner, original, 1000);
    expect(minimised?.verdict?.kind).toBe('invariant');
  });

  it('leaves alone what it cannot simplify, a schedule longer than 400 choices, and a run with no finding', async () => {
    const rule = (run: Run) => (run.steps[0] === 1 ? INVARIANT : undefined);
    const original = found([2, JOIN_STOP, 2, JOIN_STOP, 2, JOIN_STOP, 2, JOIN_STOP, 2, JOIN_STOP, 2, JOIN_STOP], rule);
    // The first choice is needed, and with it sticky gives the same schedule: the same run is the result, found at prefix 1.
    expect((await minimiseSchedule(fakeRunner(rule).runner, original, 50))?.result.tape).toEqual(original.result.tape);
    const longRule = (run: Run) => (run.steps[0] === 1 ? INVARIANT : undefined);
    const long = execute(scripted(Array.from({ length: 402 }, (_, i) => (i % 2 === 0 ? 2 : JOIN_STOP))), 201);
    const { runner, calls } = fakeRunner(longRule, 201);
    expect(long.tape).toHaveLength(402);
    expect(await minimiseSchedule(runner, { result: { tape: long.tape, kinds: long.kinds } as unknown as ExecutionResult, verdict: INVARIANT }, 1000)).toBeUndefined();
    expect(calls).toHaveLength(0);
    const exactly400 = execute(scripted(Array.from({ length: 400 }, (_, i) => (i % 2 === 0 ? 2 : JOIN_STOP))), 200);
    const at400 = fakeRunner(longRule, 200);
    expect(await minimiseSchedule(at400.runner, { result: { tape: exactly400.tape, kinds: exactly400.kinds } as unknown as ExecutionResult, verdict: INVARIANT }, 1000)).toBeDefined();
    expect(await minimiseSchedule(fakeRunner(rule).runner, { result: original.result, verdict: undefined }, 1000)).toBeUndefined();
  });
});

describe('shortening a livelock', () => {
  const LIVELOCK: Verdict = { kind: 'step-limit', message: 'z', repeating: ['a', 'b', 'c'] };

  it('tries prefixes of 0, 8, 32, 128... choices followed by round-robin, and cuts the first that livelocks to its prefix and three turns', async () => {
    // It livelocks when the first four steps all ran task 1 (round-robin alternates).
    const rule = (run: Run) => (run.steps.slice(0, 4).every((t) => t === 1) ? LIVELOCK : undefined);
    const { runner, calls } = fakeRunner(rule);
    const tape = [2, JOIN_STOP, 2, JOIN_STOP, 2, JOIN_STOP, 2, JOIN_STOP, 2, JOIN_STOP, 2, JOIN_STOP];
    const short = await shortenLivelock(runner, tape, 5000);
    expect(calls.map((c) => [c.tape.slice(0, 8).join(), c.maxSteps, c.fairSteps])).toEqual([
      // Round-robin from the start: the tasks alternate.
      ['0,-1,2,-1,0,-1,2,-1', 5000, 5000],
      [tape.slice(0, 8).join(), 5000, 5000],
      // Cut: the prefix's 8 choices cover at most 8 steps (here 6, the whole run), then 60 + 3 turns of the 3-step cycle.
      [tape.slice(0, 8).join(), 7, 69],
    ]);
    expect(short?.maxSteps).toBe(7);
    expect(short?.fairSteps).toBe(69);
    expect(short?.judged.verdict).toBe(LIVELOCK);
  });

  it('keeps the full budgets when the cut run no longer livelocks', async () => {
    const rule = (run: Run) => (run.steps.slice(0, 4).every((t) => t === 1) ? LIVELOCK : undefined);
    const tape = [2, JOIN_STOP, 2, JOIN_STOP, 2, JOIN_STOP, 2, JOIN_STOP, 2, JOIN_STOP, 2, JOIN_STOP];
    const calls: number[] = [];
    const runner: Runner = async (chooser, maxSteps, fairSteps) => {
      calls.push(maxSteps);
      const run = execute(chooser);
      return { result: { tape: run.tape, kinds: run.kinds, step: 6 } as unknown as ExecutionResult, verdict: maxSteps < 100 ? undefined : rule(run) };
    };
    const short = await shortenLivelock(runner, tape, 200);
    expect(short).toMatchObject({ maxSteps: 200, fairSteps: 1000 });
    expect(short?.judged.verdict).toBe(LIVELOCK);
    expect(calls).toEqual([200, 200, 7]);
  });

  it('gives up once the prefixes cover the whole schedule; a run that makes no choice is cut to one step', async () => {
    const never = fakeRunner(() => undefined);
    const tape = Array.from({ length: 40 }, () => JOIN_STOP);
    expect(await shortenLivelock(never.runner, tape, 100)).toBeUndefined();
    expect(never.calls).toHaveLength(3); // prefixes of 0, 8 and 32 choices
    expect(await shortenLivelock(never.runner, [], 100)).toBeUndefined();
    const empty: Runner = async () => ({ result: { tape: [], kinds: [], step: 0 } as unknown as ExecutionResult, verdict: { kind: 'step-limit', message: 'z' } });
    expect(await shortenLivelock(empty, [1], 100)).toMatchObject({ maxSteps: 1, fairSteps: 120 });
  });
});
