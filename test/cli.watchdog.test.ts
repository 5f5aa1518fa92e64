/**
 * The CLI's watchdog (issue 7): a scenario whose code never yields holds the
 * worker thread it runs in, and nothing inside that thread can stop it. The
 * CLI watches each worker's heartbeat, terminates the one whose step has run
 * past --step-timeout, reports a `hang` naming the scenario, the thread and
 * the step, and goes on with the other scenarios; `interleave replay` of the
 * hang's token hangs again, under the same watchdog, and says so.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, cliProcess, tempDir } from './cliProcess.ts';

const HANGS = 'test/fixtures/cli/hang/hangs.ts';

describe('the CLI watchdog', () => {
  it('reports a step that never ends as a hang, and explores and reports the other scenarios as usual', async () => {
    const reports = await tempDir();
    const started = performance.now();
    // The real bin: a worker stuck in a step must not keep its process from ending.
    const run = await cliProcess(['explore', HANGS, '--runs', '200', '--seed', '7', '--workers', '2', '--step-timeout', '500', '--no-progress', '--json', '--report-dir', reports]);
    // Without the watchdog this run never ends; the test's own timeout is the bound, this is only printed.
    console.log(`four scenarios, two of which hang: ${Math.round(performance.now() - started)} ms`);
    expect(run.code, run.stderr).toBe(1);
    const summary = JSON.parse(run.stdout) as { scenarios: { scenario: string; ok: boolean; kind?: string; replay?: string }[] };
    const byName = new Map(summary.scenarios.map((s) => [s.scenario, s]));
    expect(byName.get('a correct counter under a lock')?.ok).toBe(true);
    expect(byName.get('a counter without its lock')?.kind).toBe('invariant');
    expect(byName.get('spins synchronously')?.kind).toBe('hang');
    expect(byName.get('chains promises forever')?.kind).toBe('hang');
    expect(run.stderr).toMatch(/spins synchronously/);
    const text = await readFile(join(reports, 'spins-synchronously', 'failure.txt'), 'utf8');
    expect(text).toMatch(/hang: spinner \(resumed from yield\) ran in step \d+ of execution \d+.* for 500 ms without reaching a scheduling point/);
    expect(text).toMatch(/the worker it ran in was terminated/);
    expect(byName.get('spins synchronously')?.replay).toMatch(/^IL/);
  }, 120_000);

  it('replays a hang token to the same hang, exit 1, instead of hanging the CLI', async () => {
    const reports = await tempDir();
    const found = await cli(['explore', HANGS, '--runs', '50', '--seed', '3', '--workers', '1', '--step-timeout', '400', '--no-progress', '--json', '--report-dir', reports]);
    const hang = (JSON.parse(found.stdout) as { scenarios: { scenario: string; replay?: string }[] }).scenarios.find((s) => s.scenario === 'spins synchronously');
    expect(hang?.replay).toMatch(/^IL/);
    const replayed = await cli(['replay', HANGS, hang!.replay!, '--step-timeout', '400']);
    expect(replayed.code, replayed.stderr).toBe(1);
    expect(replayed.stdout).toMatch(/hang: spinner \(resumed from yield\) ran in step \d+/);
    expect(replayed.stdout).toMatch(/no steps recorded: the worker running this execution was terminated/);
  }, 120_000);

  it('refuses a --step-timeout that is not a whole number of milliseconds, with exit 2', async () => {
    const run = await cli(['explore', HANGS, '--step-timeout', 'soon']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--step-timeout/);
  });
});
