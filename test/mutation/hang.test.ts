/**
 * A hang, as the watchdogs report it (explore/isolate/hang.ts): what is read
 * from a stuck worker's heartbeat, and the finding it becomes — who hung
 * (a thread, a timer, the setup), where, the token that replays it (or why
 * there is none), and the result around it. The end-to-end cases, with real
 * workers and real endless loops, are in test/engine/watchdog.test.ts and
 * test/cli.watchdog.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ACTOR, BEATS, createHeartbeat, EXECUTION, JOINED, OPERATION, operationCode, SETUP_ACTOR, STEP, TAPE, TAPE_LENGTH } from '../../src/engine/heartbeat.ts';
import { defaultFairSteps } from '../../src/explore/fairSteps.ts';
import { hangResult, readHang, type Hang, type HangContext } from '../../src/explore/isolate/hang.ts';
import { decodeToken, scenarioId } from '../../src/explore/token.ts';

const CONTEXT: HangContext = { name: 'spinner', threads: ['a', 'b'], expected: 'ok', strategy: 'pct', seed: 7, maxSteps: 300, startTime: 1_700_000_000_000 };
const HANG: Hang = { execution: 3, step: 12, actor: 1, operation: 'yield', joined: 0, tape: [0, 2, 1], stepTimeoutMs: 400.4, elapsedMs: 1234 };

describe('readHang', () => {
  it('reads every field the engine wrote, and the tape', () => {
    const heartbeat = createHeartbeat();
    heartbeat[BEATS] = 99;
    heartbeat[STEP] = 12;
    heartbeat[ACTOR] = -3;
    heartbeat[OPERATION] = operationCode('sleep');
    heartbeat[EXECUTION] = 4;
    heartbeat[JOINED] = 2;
    heartbeat[TAPE_LENGTH] = 3;
    heartbeat.set([5, 6, 7], TAPE);
    expect(readHang(heartbeat, 500, 1500)).toEqual({ execution: 4, step: 12, actor: -3, operation: 'sleep', joined: 2, tape: [5, 6, 7], stepTimeoutMs: 500, elapsedMs: 1500 });
  });

  it('has no tape when it outgrew the heartbeat, and says other for an operation it does not know', () => {
    const heartbeat = new Int32Array(new SharedArrayBuffer((TAPE + 2) * 4));
    heartbeat[TAPE_LENGTH] = 3;
    heartbeat[OPERATION] = 1000;
    const hang = readHang(heartbeat, 1, 2);
    expect(hang.tape).toBeUndefined();
    expect(hang.operation).toBe('other');
    heartbeat[TAPE_LENGTH] = 2;
    heartbeat.set([8, 9], TAPE);
    expect(readHang(heartbeat, 1, 2).tape).toEqual([8, 9]);
  });
});

describe('hangResult', () => {
  it('names the thread, the step, the execution and the operation, and replays from a token made of the tape', () => {
    const result = hangResult(CONTEXT, HANG);
    const message =
      'hang: b (resumed from yield) ran in step 12 of execution 3 for 400 ms without reaching a scheduling point: code that never yields ' +
      '(a synchronous loop, or an endless chain of promises that keeps the microtask queue from draining). JavaScript cannot interrupt it, ' +
      'so the worker it ran in was terminated.';
    expect(result.failure!.trace.outcome).toEqual({ ok: false, kind: 'hang', message, step: 12 });
    const token = result.failure!.replay;
    expect(decodeToken(token)).toEqual({
      scenarioId: scenarioId('spinner', ['a', 'b']),
      strategy: 'pct',
      seed: 7,
      execution: 3,
      maxSteps: 300,
      fairSteps: defaultFairSteps(300),
      startTime: 1_700_000_000_000,
      tape: [0, 2, 1],
    });
    expect(result.failure!.message).toBe(
      `[hang] spinner: ${message}\nReplay token: ${token}\nReplay it: npx interleave replay <scenario-file> ${token}   (or: await replay(scenario, '${token}')) — ` +
        'replay it isolated: replay(scenario, token, { isolate: true })',
    );
    expect(result).toMatchObject({ ok: false, expectationMet: false, executions: 4, steps: 12, elapsedMs: 1234, seed: 7, exhausted: false, strategy: 'pct' });
    expect(result.failure).toMatchObject({ kind: 'hang', step: 12 });
    expect(result.failure!.trace).toMatchObject({ schema: 'interleave-trace', scenario: 'spinner', strategy: 'pct', seed: 7, replay: token, threads: ['a', 'b'], startTime: 1_700_000_000_000, steps: [] });
  });

  it('says when the step started other continuations in the same macrotask', () => {
    const result = hangResult(CONTEXT, { ...HANG, joined: 2 });
    expect(result.failure!.trace.outcome.message).toContain(
      'ran in step 12 of execution 3 (last of 3 continuations the step started in one macrotask: one of the others may be the culprit) for 400 ms',
    );
  });

  it('names the setup, a timer, or a thread it does not know', () => {
    expect(hangResult(CONTEXT, { ...HANG, actor: SETUP_ACTOR }).failure!.trace.outcome.message).toMatch(
      /^hang: the setup \(or create\) ran before the first step of execution 3 for 400 ms/,
    );
    expect(hangResult(CONTEXT, { ...HANG, actor: -3 }).failure!.trace.outcome.message).toMatch(/^hang: timer#2 \(a timer callback\) ran in step 12 /);
    expect(hangResult(CONTEXT, { ...HANG, actor: 0, operation: 'lock' }).failure!.trace.outcome.message).toMatch(/^hang: a \(resumed from lock\) ran/);
    expect(hangResult(CONTEXT, { ...HANG, actor: 5 }).failure!.trace.outcome.message).toMatch(/^hang: thread#5 \(resumed from yield\) ran/);
  });

  it('keeps the token it was replaying, and says so when the tape was too long for one', () => {
    const replayed = hangResult({ ...CONTEXT, token: '  IL1-given  ' }, HANG, (token) => `again: ${token}`);
    expect(replayed.failure!.replay).toBe('IL1-given');
    expect(replayed.failure!.message.endsWith(' — again: IL1-given')).toBe(true);
    const long = hangResult(CONTEXT, { ...HANG, tape: undefined });
    expect(long.failure!.replay).toBe('');
    expect(long.failure!.trace.replay).toBe('');
    expect(long.failure!.message).toBe(`[hang] spinner: ${long.failure!.trace.outcome.message}`);
    expect(long.failure!.trace.outcome.message!.endsWith('so the worker it ran in was terminated. (The execution was too long to keep a replay token.)')).toBe(true);
  });

  it('meets an expectation of hang', () => {
    expect(hangResult({ ...CONTEXT, expected: ['hang'] }, HANG).expectationMet).toBe(true);
    expect(hangResult({ ...CONTEXT, expected: ['deadlock'] }, HANG).expectationMet).toBe(false);
  });
});
