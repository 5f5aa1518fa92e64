/**
 * How an execution is judged after it ends (explore/run.ts): what escaped
 * the harness — real I/O a stuck run waits on, real timers, a rejection
 * nobody handled — turns into the finding that names it, in that order.
 */
import { describe, expect, it } from 'vitest';
import type { ExecutionResult } from '../../src/engine/execution.ts';
import type { ExecutionView } from '../../src/engine/monitor.ts';
import { judge } from '../../src/explore/run.ts';
import type { ScenarioDefinition } from '../../src/workload/scenario.ts';

const view: ExecutionView = { step: 5, time: 0, threads: [], primitives: [], threadName: () => 't' };
const definition = { hints: () => ({}) } as unknown as ScenarioDefinition;

function ended(type: 'stuck' | 'completed', resources: [string, number][] = [], rejections: unknown[] = []): ExecutionResult {
  return { end: { type }, step: 5, view, resources: new Map(resources), rejections } as unknown as ExecutionResult;
}

describe('judging what escaped an execution', () => {
  it('a clean run is no finding', () => {
    expect(judge(ended('completed'), 100, definition)).toBeUndefined();
    expect(judge(ended('completed', [['TTYWRAP', 1]]), 100, definition)).toBeUndefined();
  });

  it('a stuck run waiting on real I/O is nondeterminism naming the I/O, not a deadlock', () => {
    expect(judge(ended('stuck', [['TCPWRAP', 2], ['FSREQCALLBACK', 1]]), 100, definition)).toEqual({
      kind: 'nondeterminism',
      message:
        'the execution stopped at step 5 with code of the execution waiting on real I/O (TCPWRAP ×2, FSREQCALLBACK ×1) that the harness cannot control or replay. ' +
        'Keep real I/O out of scenarios: give the implementation a fake (an in-memory file, a stub client).',
    });
    // Stuck with no I/O: the deadlock it is.
    expect(judge(ended('stuck'), 100, definition)?.kind).toBe('deadlock');
    // I/O left behind by a run that completed is not what kept it stuck.
    expect(judge(ended('completed', [['TCPWRAP', 1]]), 100, definition)).toBeUndefined();
  });

  it('a rejection nobody handled is an exception, unless something was found already', () => {
    expect(judge(ended('completed', [], [new Error('late')]), 100, definition)?.message).toMatch(/^a promise nobody awaited rejected, unhandled, at step 5: Error: late/);
    expect(judge(ended('stuck', [], [new Error('late')]), 100, definition)?.kind).toBe('deadlock');
  });

  it('real timers made by the execution are nondeterminism, counted, unless something was found already', () => {
    expect(judge(ended('completed', [['Timeout', 2], ['Immediate', 1]]), 100, definition)).toEqual({
      kind: 'nondeterminism',
      message:
        "3 real timer(s) were created by the execution's code, escaping virtual time (a setTimeout captured before Interleave loaded?); runs of one seed may differ. " +
        "Import 'interleave' before the code under test.",
    });
    expect(judge(ended('completed', [['Timeout', 1]], [new Error('late')]), 100, definition)?.kind).toBe('exception');
  });
});
