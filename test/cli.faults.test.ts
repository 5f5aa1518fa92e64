/**
 * Faults of the code under test that must stay contained in the scenario that
 * made them (issue 14, items 9 and 10): a thread that exhausts its worker's
 * heap, and a thread that signals its own process. Each is a finding of that
 * scenario, and the run goes on with the others.
 */
import { describe, expect, it } from 'vitest';
import { cli, cliProcess, tempDir } from './cliProcess.ts';

const SIGNALS = 'test/fixtures/cli/faults/signals.ts';
const HEAP = 'test/fixtures/cli/faults/heap.ts';

interface Summary {
  readonly interrupted?: boolean;
  readonly scenarios: readonly { scenario: string; ok: boolean; kind?: string; message?: string; replay?: string }[];
}

function byName(stdout: string): { summary: Summary; get: (name: string) => Summary['scenarios'][number] | undefined } {
  const summary = JSON.parse(stdout) as Summary;
  const map = new Map(summary.scenarios.map((s) => [s.scenario, s]));
  return { summary, get: (name) => map.get(name) };
}

describe('faults contained in their scenario', () => {
  // One run of both fixtures, in two workers: each fault is a finding of its scenario, and every other scenario is explored.
  it("a thread that signals its own process is an exception finding, as process.exit is, not the user's Ctrl-C; one that exhausts its worker's heap is a finding naming the scenario and the thread, deciding as a failure does; the run goes on", async () => {
    const reports = await tempDir();
    // The real bin: the signal goes to the process the CLI runs in.
    const run = await cliProcess(['explore', SIGNALS, HEAP, '--runs', '50', '--seed', '1', '--workers', '2', '--worker-heap-mb', '48', '--no-progress', '--json', '--report-dir', reports]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).not.toMatch(/internal error/);
    const { summary, get } = byName(run.stdout);
    expect(summary.interrupted ?? false).toBe(false);
    expect(get('signals its own process')).toMatchObject({ ok: false, kind: 'exception' });
    expect(get('signals its own process')?.message).toMatch(/stopper threw at step \d+: Error: process\.kill\(\d+, 'SIGINT'\) was called by the code under test/);
    expect(get('a correct counter after it')).toMatchObject({ ok: true });
    expect(get('a counter without its lock')).toMatchObject({ ok: false, kind: 'invariant' });
    const hog = get('eats the heap');
    expect(hog).toMatchObject({ ok: false, kind: 'exception' });
    expect(hog?.message).toMatch(/out of memory: hog \(resumed from yield\) ran the worker out of its heap \(--worker-heap-mb 48\) in step \d+ of execution \d+/);
    expect(hog?.replay).toMatch(/^IL1-/);
    expect(get('a quiet pair after it')).toMatchObject({ ok: true });
    // Its token replays to the same finding, under the same limit, instead of ending the replay with an internal error.
    const replayed = await cli(['replay', HEAP, hog!.replay!, '--worker-heap-mb', '48']);
    expect(replayed.code, replayed.stderr).toBe(1);
    expect(replayed.stdout).toMatch(/out of memory: hog \(resumed from yield\) ran the worker out of its heap/);
  }, 120_000);

  it('refuses a --worker-heap-mb that is not a whole number of megabytes, with exit 2', async () => {
    const run = await cli(['explore', HEAP, '--worker-heap-mb', 'lots']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--worker-heap-mb/);
  });
});
