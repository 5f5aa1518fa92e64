import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explore } from '../src/index.ts';
import { BUGGY, cli, cliProcess, CORRECT, filesUnder, rejects, reportFiles, ROOT, SUITE, tempDir } from './cliProcess.ts';
import buggy from './fixtures/cli/suite/buggy.ts';

describe('interleave explore', () => {
  it('exits 0 on a directory whose scenarios all meet their expectations, writing the reports of each failure; every token replays to the same failure', async () => {
    const reports = await tempDir();
    // The real bin, end to end: its exit code, and nothing at all on the stderr of its process.
    const run = await cliProcess(['explore', SUITE, '--seed', '7', '--runs', '3000', '--report-dir', reports]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^PASS {2}correct monitor: no failure in 3,000 executions/m);
    expect(run.stdout).toMatch(/^PASS {2}two locks: found the expected deadlock at step \d+/m);
    expect(run.stdout).toMatch(/^PASS {2}one condition: found the expected (lost-wakeup|deadlock)/m);
    expect(run.stdout).toMatch(/^PASS {2}if monitor: found the expected /m);
    expect(run.stdout).toContain('seed 7');

    expect(await filesUnder(reports)).toEqual([
      ...reportFiles('if-monitor'),
      'index.html',
      ...reportFiles('one-condition'),
      'summary.json',
      ...reportFiles('two-locks'),
    ]);
    const summary = JSON.parse(await readFile(join(reports, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ schema: 'interleave-summary', version: 1, ok: true, passed: 4, failed: 0 });
    expect(summary.scenarios.map((s: { scenario: string }) => s.scenario)).toEqual(['if monitor', 'one condition', 'two locks', 'correct monitor']);

    // Each token, replayed through the CLI, prints byte for byte the report and the trace that were written.
    await Promise.all(
      ['if-monitor', 'one-condition', 'two-locks'].map(async (folder) => {
        const text = await readFile(join(reports, folder, 'failure.txt'), 'utf8');
        const json = await readFile(join(reports, folder, 'trace.json'), 'utf8');
        const trace = JSON.parse(json);
        expect(text).toContain(`= Interleave: ${trace.outcome.kind} in scenario '${trace.scenario}' =`);
        expect(text).toContain(`Replay it:    npx interleave replay ${BUGGY} ${trace.replay}`);
        const [asText, asJson] = await Promise.all([cli(['replay', BUGGY, trace.replay]), cli(['replay', BUGGY, trace.replay, '--json'])]);
        expect(asText.code).toBe(1);
        expect(asText.stdout).toBe(text);
        expect(asJson.code).toBe(1);
        expect(asJson.stdout).toBe(json);
      }),
    );
  });

  it('exits 1 when a bug is not expected, and when an expected bug is not found', async () => {
    const reports = await tempDir();
    const run = await cli(['explore', 'test/fixtures/cli/unexpected', '--seed', '7', '--runs', '300', '--report-dir', reports]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^FAIL {2}if monitor, unexpected: [\w-]+ at step \d+ of its replay \(expected no failure\)/m);
    expect(run.stdout).toMatch(/^FAIL {2}correct monitor claiming a deadlock: expected deadlock, but found no failure in 300 executions/m);
    expect(run.stdout).toMatch(/replay: npx interleave replay test\/fixtures\/cli\/unexpected\/if-monitor\.ts IL1-/);
    expect(await filesUnder(reports)).toEqual([...reportFiles('if-monitor-unexpected'), 'index.html', 'summary.json']);
  });

  it('--json prints one machine-readable summary on stdout and nothing else', async () => {
    const reports = await tempDir();
    const run = await cli(['explore', CORRECT, 'test/fixtures/cli/unexpected/if-monitor.ts', '--json', '--seed', '3', '--runs', '200', '--report-dir', reports]);
    expect(run.code).toBe(1);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ schema: 'interleave-summary', ok: false, passed: 1, failed: 1 });
    expect(summary.scenarios[0]).toMatchObject({ scenario: 'correct monitor', verdict: 'pass', ok: true, executions: 200, seed: 3 });
    expect(summary.scenarios[1]).toMatchObject({ scenario: 'if monitor, unexpected', verdict: 'fail', ok: false, file: 'test/fixtures/cli/unexpected/if-monitor.ts' });
    expect(summary.scenarios[1].replay).toMatch(/^IL1-/);
    expect(run.stderr).toContain('PASS  correct monitor');
    expect(JSON.parse(await readFile(join(reports, 'summary.json'), 'utf8'))).toEqual(summary);
  });

  it('removes the reports of a scenario that no longer fails', async () => {
    const reports = await tempDir();
    const first = await cli(['explore', 'test/fixtures/cli/unexpected/if-monitor.ts', '--seed', '7', '--runs', '300', '--report-dir', reports]);
    expect(first.code).toBe(1);
    expect(await filesUnder(join(reports, 'if-monitor-unexpected'))).toEqual(['failure.txt', 'trace.html', 'trace.json', 'trace.mmd']);
    // Same slug, now passing: the stale reports must not outlive the failure they described.
    const passing = join(await tempDir(), 'now-correct.mts');
    await writeFile(
      passing,
      `import { producerConsumer } from ${JSON.stringify(join(ROOT, 'src/index.ts'))};\n` +
        `import { MonitorBuffer } from ${JSON.stringify(join(ROOT, 'test/fixtures/cli/buffers.ts'))};\n` +
        `export default producerConsumer({ name: 'if monitor, unexpected', create: (rt, c) => new MonitorBuffer(rt, c.capacity), capacity: 1, producers: 2, consumers: 2, itemsPerProducer: 2 });\n`,
    );
    const second = await cli(['explore', passing, '--seed', '7', '--runs', '50', '--report-dir', reports]);
    expect(second.code).toBe(0);
    expect(await filesUnder(reports)).toEqual(['index.html', 'summary.json']);
  });
});

describe('bad input: a one-paragraph error naming the culprit, exit 2, nothing written', () => {
  it.concurrent('a file with no scenario export', async () => {
    const stderr = await rejects(['explore', 'test/fixtures/cli/bad/no-export.ts'], join(await tempDir(), 'reports'));
    expect(stderr).toContain("'test/fixtures/cli/bad/no-export.ts' has no default export (it exports only 'scenario')");
  });

  it.concurrent('a file that does not parse (in a CommonJS folder, where Node would hide the cause)', async () => {
    const dir = await tempDir();
    const broken = join(dir, 'broken.ts');
    await writeFile(broken, 'export default {\n  name: "x",,\n};\n');
    const stderr = await rejects(['explore', broken], join(dir, 'reports'));
    expect(stderr).toContain(`cannot load scenario file '${broken}': it does not parse: ${broken}:2:13:`);
  });

  it.concurrent('a file that does not parse (in an ES module folder)', async () => {
    const dir = await tempDir();
    const broken = join(dir, 'broken.mts');
    await writeFile(broken, 'export default defineScenario({ name: "x" ;\n');
    const stderr = await rejects(['explore', broken], join(dir, 'reports'));
    expect(stderr).toContain(`'${broken}': it does not parse: ${broken}:1:`);
  });

  it.concurrent('a scenario whose setup throws: an exception finding naming the setup, not a crash (exit 1)', async () => {
    const reports = join(await tempDir(), 'reports');
    const run = await cli(['explore', CORRECT, 'test/fixtures/cli/bad/setup-throws.ts', '--runs', '20', '--report-dir', reports]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('setup (or create) threw at step 0: Error: the database is not there');
  });

  it.concurrent('an unknown option', async () => {
    const stderr = await rejects(['explore', SUITE, '--bogus'], join(await tempDir(), 'reports'));
    expect(stderr).toContain("unknown option '--bogus'");
    expect(stderr).toContain("Run 'interleave explore --help' for usage.");
  });

  it.concurrent('a negative --runs', async () => {
    const stderr = await rejects(['explore', SUITE, '--runs', '-3'], join(await tempDir(), 'reports'));
    expect(stderr).toContain("option '--runs <count>' argument '-3' is invalid. --runs must be a whole number of executions, 1 or more.");
  });

  it.concurrent('a malformed --preemptions, --depth and --start-time', async () => {
    expect(await rejects(['explore', SUITE, '--preemptions', '-1'], join(await tempDir(), 'reports'))).toContain('--preemptions must be a whole number of preemptions, 0 or more.');
    expect(await rejects(['explore', SUITE, '--depth', '0'], join(await tempDir(), 'reports'))).toContain('--depth must be a whole number, from 1 to 64.');
    expect(await rejects(['explore', SUITE, '--start-time', 'noon'], join(await tempDir(), 'reports'))).toContain('--start-time must be a whole number of epoch milliseconds');
  });

  it.concurrent('a malformed --seed and INTERLEAVE_SEED', async () => {
    expect(await rejects(['explore', SUITE, '--seed', '1.5'], join(await tempDir(), 'reports'))).toContain("'--seed <n>' argument '1.5' is invalid");
    expect(await rejects(['explore', SUITE], join(await tempDir(), 'reports'), { env: { INTERLEAVE_SEED: 'abc' } })).toContain("INTERLEAVE_SEED must be a whole number from 0 to 4294967295; got 'abc'");
  });

  it.concurrent('a missing scenario file', async () => {
    const stderr = await rejects(['explore', 'test/fixtures/cli/nope.ts'], join(await tempDir(), 'reports'));
    expect(stderr).toContain("scenario file or directory 'test/fixtures/cli/nope.ts' does not exist.");
  });

  it.concurrent('an unwritable report directory', async () => {
    const dir = await tempDir();
    const blocker = join(dir, 'blocker');
    await writeFile(blocker, 'a file where a directory should be');
    const reports = join(blocker, 'reports');
    const run = await cli(['explore', SUITE, '--runs', '20', '--report-dir', reports]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`interleave: cannot write reports to '${reports}': part of that path is a file, not a directory.`);
    expect(run.stdout).toBe(''); // refused before exploring anything
    expect(await filesUnder(dir)).toEqual(['blocker']);
  });

  it.concurrent('a malformed token', async () => {
    const run = await cli(['replay', BUGGY, 'IL1-garbage']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("interleave: 'IL1-garbage' is not a valid Interleave replay token");
    expect(run.stdout).toBe('');
  });

  it.concurrent('a token recorded for a scenario the file does not have', async () => {
    const twoLocks = buggy.find((s) => s.name === 'two locks')!;
    const { failure } = await explore(twoLocks, { seed: 1, runs: 100 });
    const run = await cli(['replay', CORRECT, failure!.replay]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`was not recorded for any scenario in '${CORRECT}' (it has 'correct monitor')`);
  });

  it.concurrent('replay of a file that cannot be loaded', async () => {
    const twoLocks = buggy.find((s) => s.name === 'two locks')!;
    const { failure } = await explore(twoLocks, { seed: 1, runs: 100 });
    const run = await cli(['replay', 'test/fixtures/cli/bad/no-export.ts', failure!.replay]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("'test/fixtures/cli/bad/no-export.ts' has no default export");
  });
});
