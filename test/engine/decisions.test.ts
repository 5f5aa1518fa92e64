/**
 * The decision layer (src/engine/decisions.ts): what reaches a chooser and
 * the tape, how an answer is checked by its kind, and how a replay that is
 * out of step is caught at the exact decision, naming the kind it expected
 * and the kind it found.
 */
import { describe, expect, it } from 'vitest';
import { defineScenario, replay, type Mutex } from 'interleave';
import { JOIN_STOP, MAX_OFFSET, TAPE_END, TIME_STILL, type Chooser, type Decision, type DecisionKind } from '../../src/engine/chooser.ts';
import { DecisionLayer } from '../../src/engine/decisions.ts';
import type { Names } from '../../src/engine/divergence.ts';
import { DEFAULT_START_TIME } from '../../src/engine/clock.ts';
import { decodeToken, encodeToken, scenarioId } from '../../src/explore/token.ts';

const names: Names = { continuation: () => undefined, threadName: (t) => `t${t}`, threadCount: 2 };

/** Answers from a list, and keeps a copy of every decision it was asked. */
class Scripted implements Chooser {
  readonly asked: { kind: DecisionKind; candidates: number[] }[] = [];
  constructor(
    private readonly answers: number[],
    readonly seesForced = false,
  ) {}
  choose(decision: Decision): number {
    this.asked.push({ kind: decision.kind, candidates: [...decision.candidates] });
    return this.answers.shift() ?? TAPE_END;
  }
}

const layer = (chooser: Chooser, recordedKinds?: DecisionKind[]): DecisionLayer => new DecisionLayer(chooser, 2, names, recordedKinds, undefined);
const OFFSETS = Array.from({ length: MAX_OFFSET + 1 }, (_, i) => i);

describe('the decision layer', () => {
  it('asks nothing and records nothing when a decision has one answer', () => {
    const chooser = new Scripted([]);
    const d = layer(chooser);
    expect(d.step([4], [0], (id) => id === 4)).toBe(4);
    expect(d.join([], [], [])).toBe(JOIN_STOP);
    expect(d.notify([6], [1])).toBe(6);
    expect(d.time([0])).toBe(0);
    expect(chooser.asked).toEqual([]);
    expect(d.log.length).toBe(0);
    expect(d.divergence).toBeUndefined();
  });

  it('asks, and puts on the tape with its kind, every decision that has a choice; a join with one candidate has two answers', () => {
    const chooser = new Scripted([2, JOIN_STOP, 3, TIME_STILL]);
    const d = layer(chooser);
    d.stepCount = 5;
    expect(d.step([0, 2], [0, 1], (id) => id === 0 || id === 2)).toBe(2);
    expect(d.join([0], [0], [true])).toBe(JOIN_STOP);
    expect(d.offset(OFFSETS)).toBe(3);
    expect(d.time([TIME_STILL, 0])).toBe(TIME_STILL);
    expect(chooser.asked.map((a) => a.kind)).toEqual(['step', 'join', 'offset', 'time']);
    expect(d.log.choices()).toEqual([2, JOIN_STOP, 3, TIME_STILL]);
    expect(d.log.kinds()).toEqual(['step', 'join', 'offset', 'time']);
    expect(d.log.steps()).toEqual([5, 5, 5, 5]);
  });

  it('shows the forced decisions to a chooser that follows every event, and ignores its answer to them', () => {
    const chooser = new Scripted([99, 99], true);
    const d = layer(chooser);
    expect(d.step([4], [0], (id) => id === 4)).toBe(4);
    expect(d.join([], [], [])).toBe(JOIN_STOP);
    expect(chooser.asked.map((a) => a.kind)).toEqual(['step', 'join']);
    expect(d.log.length).toBe(0);
    expect(d.divergence).toBeUndefined();
  });

  it('checks each answer by its kind: a join may stop, an offset stays within 0..MAX_OFFSET, a time answer is one of its instants', () => {
    const check = (ask: (d: DecisionLayer) => number, answer: number): string | undefined => {
      const d = layer(new Scripted([answer]));
      ask(d);
      return d.divergence;
    };
    expect(check((d) => d.join([2, 4], [1, 2], [true, false]), JOIN_STOP)).toBeUndefined();
    expect(check((d) => d.step([0, 2], [0, 1], (id) => id === 0 || id === 2), JOIN_STOP)).toMatch(/expects a choice of what else starts in the same macrotask/);
    expect(check((d) => d.offset(OFFSETS), MAX_OFFSET)).toBeUndefined();
    expect(check((d) => d.offset(OFFSETS), MAX_OFFSET + 1)).toMatch(/offsets go up to 8/);
    expect(check((d) => d.time([TIME_STILL, 0]), 1)).toMatch(/moves time past 2 deadline\(s\), but only 1 deadline\(s\) were ahead/);
    expect(check((d) => d.time([0, 1]), 2)).toMatch(/moves time past 3 deadline\(s\), but only 2 deadline\(s\) were ahead/);
    expect(check((d) => d.time([0, 1]), TIME_STILL)).toMatch(/keeps time still/);
    expect(check((d) => d.step([0, 2], [0, 1], (id) => id === 0 || id === 2), TAPE_END)).toMatch(/the replay ran past the end of its recorded schedule at step 1/);
  });

  it('catches a replay out of step at the exact decision, naming the kind recorded and the kind asked', () => {
    const d = layer(new Scripted([0, 2]), ['step', 'time']);
    d.step([0, 2], [0, 1], (id) => id === 0 || id === 2);
    expect(d.divergence).toBeUndefined();
    d.stepCount = 1;
    d.join([2], [1], [false]);
    expect(d.divergence).toBe(
      "at step 1 the recorded schedule's choice #2 is a time decision, but this run asks for a join decision there: the run fell out of step with its recording",
    );
  });
});

describe('a token whose kinds do not match the run', () => {
  const s = defineScenario({
    name: 'two lockers',
    setup: (rt) => ({ m: rt.mutex('m') }),
    threads: {
      a: async (st: { m: Mutex }) => {
        await st.m.lock();
        st.m.unlock();
      },
      b: async (st: { m: Mutex }) => {
        await st.m.lock();
        st.m.unlock();
      },
    },
    final: () => 'always fails, so that the replay reports where it stands',
  });

  it('fails at the decision whose kind differs, saying which kind it expected and which it found', async () => {
    // a starts (0), nothing joins (-1; b's start could), then a's lock (its continuation 4, before b's start) and again nothing
    // joins; the rest has one answer each, on no tape.
    const tape = [0, JOIN_STOP, 4, JOIN_STOP];
    const token = (kinds: DecisionKind[]): string =>
      encodeToken({ scenarioId: scenarioId(s.name, s.threads), strategy: 'random', seed: 0, execution: 0, maxSteps: 100, fairSteps: 1000, startTime: DEFAULT_START_TIME, tape, kinds });
    const faithful = await replay(s, token(['step', 'join', 'step', 'join']));
    expect(faithful.failure?.kind).toBe('invariant');
    expect(decodeToken(faithful.failure!.replay).kinds).toEqual(['step', 'join', 'step', 'join']);
    const misaligned = await replay(s, token(['step', 'join', 'step', 'offset']));
    expect(misaligned.failure?.kind).toBe('nondeterminism');
    expect(misaligned.failure!.message).toMatch(/at step 2 the recorded schedule's choice #4 is a offset decision, but this run asks for a join decision there/);
  });
});
