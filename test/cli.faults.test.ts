/**
 * Faults of the code under test that must stay contained in the scenario that
 * made them (issue 14, items 9 and 10): a thread that exhausts its worker's
 * heap, and a thread that signals its own process. Each is a finding of that
 * scenario, and the run goes on with the others.
 */
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './cliProcess.ts';

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

describe('a thread that signals its own process', () => {
  it('is an exception finding, as process.exit is, not the user\'s Ctrl-C: the scenarios after it are explored', async () => {
    const reports = await tempDir();
    const run = await cli(['explore', SIGNALS, '--runs', '50', '--seed', '1', '--workers', '1', '--no-progress', '--json', '--report-dir', reports]);
    expect(run.code, run.stderr).toBe(1);
    const { summary, get } = byName(run.stdout);
    expect(summary.interrupted ?? false).toBe(false);
    expect(get('signals its own process')).toMatchObject({ ok: false, kind: 'exception' });
    expect(get('signals its own process')?.message).toMatch(/stopper threw at step \d+: Error: process\.kill\(\d+, 'SIGINT'\) was called by the code under test/);
    expect(get('a correct counter after it')).toMatchObject({ ok: true });
  }, 60_000);
});

describe('a thread that exhausts its worker\'s heap', () => {
  it('is a finding naming the scenario and the thread, deciding as a failure does, and the run goes on with the other scenarios', async () => {
    const reports = await tempDir();
    // Two workers: both parts of the scenario run out of heap, and the lower one decides.
    const run = await cli(['explore', HEAP, '--runs', '50', '--seed', '1', '--workers', '2', '--worker-heap-mb', '48', '--no-progress', '--json', '--report-dir', reports]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).not.toMatch(/internal error/);
    const { get } = byName(run.stdout);
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
