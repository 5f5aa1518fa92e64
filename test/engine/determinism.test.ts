/**
 * Determinism: one seed, one exploration, byte for byte; every failure's token
 * replays to the same failure; the trace is versioned plain data.
 */
import { describe, expect, it } from 'vitest';
import { explore, replay, traceFromJson, traceToJson, TRACE_SCHEMA, TRACE_SCHEMA_VERSION, type ExploreResult } from 'interleave';
import { BUGGY } from './fixtures/buggy.ts';
import { correctMonitor } from './fixtures/scenarios.ts';

function options(seed: number, maxSteps?: number) {
  return maxSteps === undefined ? { strategy: 'random' as const, runs: 2000, seed } : { strategy: 'random' as const, runs: 2000, seed, maxSteps };
}

describe('the same seed', () => {
  it.each(BUGGY.map((b) => [b.scenario.name, b] as const))('gives a byte-identical JSON trace twice: %s', async (_name, buggy) => {
    for (const seed of [3, 17]) {
      const first = await explore(buggy.scenario, options(seed, buggy.maxSteps));
      const second = await explore(buggy.scenario, options(seed, buggy.maxSteps));
      expect(first.failure, 'the bug is found').toBeDefined();
      expect(buggy.kinds).toContain(first.failure!.kind);
      const json = traceToJson(first.failure!.trace);
      expect(traceToJson(second.failure!.trace)).toBe(json);
      expect(second.failure!.replay).toBe(first.failure!.replay);
      expect(second.failure!.message).toBe(first.failure!.message);
      expect(second.executions).toBe(first.executions);
      expect(second.steps).toBe(first.steps);
    }
  });

  it('gives the same statistics twice for a correct scenario, and a different seed explores differently', async () => {
    const run = (seed: number): Promise<ExploreResult> => explore(correctMonitor(), { strategy: 'random', runs: 300, seed });
    const [a, b, c] = [await run(5), await run(5), await run(6)];
    expect(a.ok && b.ok && c.ok).toBe(true);
    expect(b.steps).toBe(a.steps);
    expect(a.seed).toBe(5);
    expect(c.steps).not.toBe(a.steps);
  });

  it('is reported back even when not given: a random seed that reproduces the run', async () => {
    const s = BUGGY[0]!.scenario;
    const first = await explore(s, { strategy: 'random', runs: 2000 });
    expect(Number.isInteger(first.seed)).toBe(true);
    const again = await explore(s, { strategy: 'random', runs: 2000, seed: first.seed });
    expect(traceToJson(again.failure!.trace)).toBe(traceToJson(first.failure!.trace));
  });
});

describe('every failure token', () => {
  it.each(BUGGY.map((b) => [b.scenario.name, b] as const))('replays to the same kind, step and trace: %s', async (_name, buggy) => {
    for (const seed of [1, 2, 9]) {
      const found = await explore(buggy.scenario, options(seed, buggy.maxSteps));
      const failure = found.failure!;
      expect(buggy.kinds).toContain(failure.kind);
      const again = await replay(buggy.scenario, failure.replay);
      expect(again.ok).toBe(false);
      expect(again.executions).toBe(1);
      expect(again.failure?.kind).toBe(failure.kind);
      expect(again.failure?.step).toBe(failure.step);
      expect(again.failure?.message).toBe(failure.message);
      expect(traceToJson(again.failure!.trace)).toBe(traceToJson(failure.trace));
      // A token pasted with surrounding whitespace still replays.
      const padded = await replay(buggy.scenario, `  ${failure.replay}\n`);
      expect(padded.failure?.step).toBe(failure.step);
    }
  });

  it('is short and printable', async () => {
    for (const buggy of BUGGY) {
      const found = await explore(buggy.scenario, options(4, buggy.maxSteps));
      const token = found.failure!.replay;
      expect(token).toMatch(/^IL1-[A-Za-z0-9_-]+$/);
      // The livelock's tape is its budget plus the continuation; the others are tens of steps.
      if (buggy.maxSteps === undefined) expect(token.length).toBeLessThan(200);
    }
  });
});

describe('the trace', () => {
  it('is versioned plain data that round-trips through JSON', async () => {
    for (const buggy of BUGGY) {
      const found = await explore(buggy.scenario, options(8, buggy.maxSteps));
      const trace = found.failure!.trace;
      expect(trace.schema).toBe('interleave-trace');
      expect(trace.version).toBe(1);
      expect(TRACE_SCHEMA).toBe('interleave-trace');
      expect(TRACE_SCHEMA_VERSION).toBe(1);
      expect(trace.scenario).toBe(buggy.scenario.name);
      expect(trace.threads).toEqual([...buggy.scenario.threads]);
      expect(trace.seed).toBe(8);
      expect(trace.replay).toBe(found.failure!.replay);
      expect(trace.outcome).toMatchObject({ ok: false, kind: found.failure!.kind, step: found.failure!.step });
      const json = traceToJson(trace);
      expect(traceFromJson(json)).toEqual(JSON.parse(json));
      expect(JSON.parse(json)).toEqual(trace);
      // Steps are numbered 1..n and the finding's step is the last one recorded.
      expect(trace.steps.map((s) => s.index)).toEqual(trace.steps.map((_, i) => i + 1));
      expect(trace.steps.at(-1)!.index).toBe(found.failure!.step);
      for (const step of trace.steps) {
        expect(trace.threads.includes(step.actor) || /^timer#\d+$/.test(step.actor)).toBe(true);
        expect(Object.keys(step.threadsAfter)).toEqual([...trace.threads]);
        expect(typeof step.snapshot.time).toBe('number');
      }
    }
  });

  it('rejects JSON of another schema or version', () => {
    expect(() => traceFromJson('{"schema":"other","version":1}')).toThrow(/not an Interleave trace/);
    expect(() => traceFromJson(`{"schema":"interleave-trace","version":2}`)).toThrow(/version 2/);
    expect(() => traceFromJson('not json')).toThrow(/not valid JSON/);
  });
});
