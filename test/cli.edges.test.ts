/** The CLI at the edges of the process: bad flags, hostile scenario files, a closed pipe, the report directory replaced whole. */
import { execFile, spawnSync } from 'node:child_process';
import { chmod, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_START_TIME } from '../src/engine/clock.ts';
import { encodeToken } from '../src/explore/token.ts';
import { BUGGY, childEnv, cli, CORRECT, entriesOf, filesUnder, rejects, reportFiles, ROOT, SUITE, tempDir } from './cliProcess.ts';

const SRC = JSON.stringify(join(ROOT, 'src/index.ts'));
const BUFFERS = JSON.stringify(join(ROOT, 'test/fixtures/cli/buffers.ts'));

/** A scenario file of its own (in a temporary directory) whose scenario is named `name`, correct unless `buggy`. */
function scenarioSource(name: string, buggy = false): string {
  return (
    `import { producerConsumer } from ${SRC};\n` +
    `import { MonitorBuffer, IfMonitorBuffer } from ${BUFFERS};\n` +
    `export default producerConsumer({ name: ${JSON.stringify(name)}, create: (rt, c) => new ${buggy ? 'IfMonitorBuffer' : 'MonitorBuffer'}(rt, c.capacity), ` +
    `capacity: 1, producers: 2, consumers: 2, itemsPerProducer: 2${buggy ? ", expected: ['duplicate-item', 'lost-item', 'phantom-item', 'capacity', 'order', 'lost-wakeup', 'deadlock']" : ''} });\n`
  );
}

describe('bad flags: a one-paragraph error, exit 2, nothing written', () => {
  const reports = async (): Promise<string> => join(await tempDir(), 'reports');

  it.concurrent('--shard 3/2 and --shard 0/2', async () => {
    expect(await rejects(['explore', SUITE, '--seed', '1', '--shard', '3/2'], await reports())).toContain(
      "option '--shard <i/n>' argument '3/2' is invalid. --shard must be i/n with 1 <= i <= n, such as 1/3 (there is no shard 3 of 2).",
    );
    expect(await rejects(['explore', SUITE, '--seed', '1', '--shard', '0/2'], await reports())).toContain('--shard must be i/n with 1 <= i <= n, such as 1/3 (shards count from 1).');
  });

  it.concurrent('--shard without a seed', async () => {
    expect(await rejects(['explore', SUITE, '--shard', '1/2'], await reports())).toContain('--shard 1/2 needs --seed (or INTERLEAVE_SEED)');
  });

  it.concurrent('an unknown reporter, and two reporters on stdout', async () => {
    expect(await rejects(['explore', SUITE, '--reporter', 'text,tap'], await reports())).toContain(
      "unknown reporter 'tap': the reporters are text, json, junit, mermaid (several may be given, comma-separated or repeated).",
    );
    expect(await rejects(['explore', SUITE, '--reporter', 'json', '--reporter', 'junit'], await reports())).toContain(
      'the reporters json and junit would both write to stdout: give the JUnit XML a file with --junit-file <path>',
    );
  });

  it.concurrent('--workers 0', async () => {
    expect(await rejects(['explore', SUITE, '--workers', '0'], await reports())).toContain('--workers must be a whole number of worker threads, from 1 to 256.');
  });

  it.concurrent('a regression file that cannot be written, or a symbolic link to one that does not exist: refused before exploring, naming it', async () => {
    const dir = await tempDir();
    const readOnly = join(dir, 'read-only.txt');
    await writeFile(readOnly, '# Interleave regression file\n');
    await chmod(readOnly, 0o444);
    // root writes whatever the mode bits say: an immutable file is read-only for it too.
    const immutable = process.getuid?.() === 0 && spawnSync('chattr', ['+i', readOnly]).status === 0;
    try {
      expect(await rejects(['explore', BUGGY, '--seed', '7', '--runs', '50', '--regressions', readOnly], join(dir, 'reports'))).toContain(
        `cannot write regression file '${readOnly}'`,
      );
    } finally {
      if (immutable) spawnSync('chattr', ['-i', readOnly]);
    }
    const dangling = join(dir, 'regressions.txt');
    await symlink(join(dir, 'moved.txt'), dangling);
    const stderr = await rejects(['explore', BUGGY, '--seed', '7', '--runs', '50', '--regressions', dangling], join(dir, 'reports'));
    expect(stderr).toContain(`regression file '${dangling}' is a symbolic link to '${join(dir, 'moved.txt')}', which does not exist`);
    expect(stderr).not.toContain('scenario');
    const noFolder = join(dir, 'missing', 'regressions.txt');
    expect(await rejects(['explore', BUGGY, '--seed', '7', '--runs', '50', '--regressions', noFolder], join(dir, 'reports'))).toContain(
      `cannot create regression file '${noFolder}': its folder '${join(dir, 'missing')}' does not exist`,
    );
    expect((await entriesOf(dir)).sort()).toEqual(['read-only.txt', 'regressions.txt']);
  });

  it.concurrent("a large token of another scenario in the regression file is skipped at once, not taken for a hang of the scenario explored", async () => {
    const dir = await tempDir();
    // An execution of 5,000,000 choices, of no scenario here: a token of 7 MB, which takes seconds to decode whole.
    let x = 1;
    const tape = Array.from({ length: 5_000_000 }, () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24) % 200);
    const large = encodeToken({ scenarioId: 12_345, strategy: 'random', seed: 1, execution: 0, maxSteps: tape.length, fairSteps: 100, startTime: DEFAULT_START_TIME, tape });
    const file = join(dir, 'regressions.txt');
    await writeFile(file, `# another scenario: deadlock\n${large}\n`);
    const run = await cli(['explore', CORRECT, '--seed', '7', '--runs', '50', '--workers', '1', '--step-timeout', '2000', '--regressions', file, '--report-dir', join(dir, 'reports')]);
    expect(run.stdout).toMatch(/^PASS {2}correct monitor: no failure in 50 executions/m);
    expect(run.code, run.stdout).toBe(0);
  });

  it.concurrent('a regression file that is not one, left as it was', async () => {
    const dir = await tempDir();
    const notes = join(dir, 'notes.md');
    await writeFile(notes, '# Notes\n\nThe queue is fine.\n');
    expect(await rejects(['explore', SUITE, '--regressions', notes], join(dir, 'reports'))).toContain(
      `'${notes}' is not a regression file: line 3 is neither a replay token (IL1-...) nor a '#' comment.`,
    );
    expect(await readFile(notes, 'utf8')).toBe('# Notes\n\nThe queue is fine.\n');
  });
});

describe('hostile scenario files: a one-paragraph error naming the file, exit 2, nothing written', () => {
  it.concurrent('a directory holding a dangling .ts symlink', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'scenarios'));
    await writeFile(join(dir, 'scenarios', 'a.ts'), scenarioSource('a'));
    await symlink(join(dir, 'gone.ts'), join(dir, 'scenarios', 'b.ts'));
    const stderr = await rejects(['explore', join(dir, 'scenarios')], join(dir, 'reports'));
    expect(stderr).toContain(`'${join(dir, 'scenarios', 'b.ts')}' is a symbolic link to '${join(dir, 'gone.ts')}', which does not exist`);
    expect(stderr).not.toContain('internal error');
  });

  it.concurrent('a top-level await that never settles (with and without anything keeping the event loop alive), or a loop that never ends', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'idle.mts'), 'await new Promise(() => {});\nexport default [];\n');
    await writeFile(join(dir, 'busy.mts'), 'await new Promise(() => { setInterval(() => {}, 50); });\nexport default [];\n');
    await writeFile(join(dir, 'spins.mts'), 'for (;;) {}\nexport default [];\n');
    for (const file of ['idle.mts', 'busy.mts', 'spins.mts']) {
      // The real bin: the worker stuck loading must not keep its process from ending.
      const stderr = await rejects(['explore', join(dir, file), '--load-timeout', '1500'], join(dir, 'reports'), { process: true });
      expect(stderr).toContain(`cannot load scenario file '${join(dir, file)}': it did not finish loading within 1.5 s (a top-level await that never settles, or a loop that never ends?)`);
    }
  });

  it.concurrent('a file that calls process.exit(0) while loading, among good ones', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'exits.mts'), 'process.exit(0);\nexport default [];\n');
    const stderr = await rejects(['explore', CORRECT, join(dir, 'exits.mts')], join(dir, 'reports'));
    expect(stderr).toContain(`scenario file '${join(dir, 'exits.mts')}' ended its thread (process.exit(0)) while loading`);
  });

  it.concurrent('replay <dir> <token> finds the scenario the token belongs to in any file of the directory', async () => {
    const dir = await tempDir();
    const summary = JSON.parse((await cli(['explore', BUGGY, '--seed', '3', '--runs', '100', '--workers', '1', '--report-dir', join(dir, 'r'), '--json'])).stdout);
    const token = summary.scenarios.find((s: { scenario: string }) => s.scenario === 'two locks').replay as string;
    const run = await cli(['replay', SUITE, token]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^= Interleave: deadlock in scenario 'two locks' =/);
    expect(run.stdout).toContain(`Replay it:    npx interleave replay ${BUGGY} ${token}`);
    const elsewhere = await cli(['replay', 'test/fixtures/cli/unexpected', token]);
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toContain("was not recorded for any scenario in the 2 files of 'test/fixtures/cli/unexpected'");
  });
});

describe('the process', () => {
  it.concurrent('`interleave explore | head -c 20` ends quietly on the closed pipe, and still writes the reports', async () => {
    const reports = join(await tempDir(), 'reports');
    const { code, stderr } = await new Promise<{ code: number; stderr: string }>((done) => {
      execFile(
        'bash',
        ['-c', `set -o pipefail; node bin/interleave.js explore ${SUITE} --seed 7 --runs 400 --report-dir ${reports} | head -c 20 > /dev/null`],
        { cwd: ROOT, env: childEnv() },
        (error, _stdout, stderr) => done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stderr }),
      );
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(await filesUnder(reports)).toEqual([...reportFiles('if-monitor'), 'index.html', ...reportFiles('one-condition'), 'summary.json', ...reportFiles('two-locks')]);
  });

  it.concurrent("replaces the report directory whole: a scenario no longer explored loses its folder, files not Interleave's stay, no temporary directory is left", async () => {
    const dir = await tempDir();
    const reports = join(dir, 'reports');
    await writeFile(join(dir, 'gone.mts'), scenarioSource('gone', true));
    await writeFile(join(dir, 'kept.mts'), scenarioSource('kept', true));
    expect((await cli(['explore', join(dir, 'gone.mts'), join(dir, 'kept.mts'), '--seed', '7', '--runs', '300', '--workers', '1', '--report-dir', reports])).code).toBe(0);
    await writeFile(join(reports, 'README.md'), 'our notes on these reports\n');
    expect(await entriesOf(reports)).toEqual(['README.md', 'gone', 'index.html', 'kept', 'summary.json']);
    const second = await cli(['explore', join(dir, 'kept.mts'), '--seed', '8', '--runs', '300', '--workers', '1', '--report-dir', reports]);
    expect(second.code).toBe(0);
    expect(await entriesOf(reports)).toEqual(['README.md', 'index.html', 'kept', 'summary.json']);
    expect(await readFile(join(reports, 'README.md'), 'utf8')).toBe('our notes on these reports\n');
    expect(JSON.parse(await readFile(join(reports, 'summary.json'), 'utf8')).scenarios.map((s: { scenario: string }) => s.scenario)).toEqual(['kept']);
    expect(await entriesOf(dir)).toEqual(['gone.mts', 'kept.mts', 'reports']);
  });

  it.concurrent('exit 2 after a run replaced nothing: the previous reports stay as they were', async () => {
    const dir = await tempDir();
    const reports = join(dir, 'reports');
    expect((await cli(['explore', BUGGY, '--seed', '7', '--runs', '300', '--workers', '1', '--report-dir', reports])).code).toBe(0);
    const before = await filesUnder(reports);
    const summary = await readFile(join(reports, 'summary.json'), 'utf8');
    // Explored, then refused at the end: the JUnit file cannot be written where it is asked for (a file is in the way of its folder).
    await writeFile(join(dir, 'blocker'), 'a file where a folder should be\n');
    const run = await cli(['explore', CORRECT, '--runs', '20', '--workers', '1', '--report-dir', reports, '--junit-file', join(dir, 'blocker', 'ci', 'junit.xml')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`interleave: cannot write the JUnit report to '${join(dir, 'blocker', 'ci', 'junit.xml')}'`);
    expect(await filesUnder(reports)).toEqual(before);
    expect(await readFile(join(reports, 'summary.json'), 'utf8')).toBe(summary);
    expect(await entriesOf(dir)).toEqual(['blocker', 'reports']);
  });

  it.concurrent("a report directory that holds something else than reports: what is not Interleave's is left as it is", async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'reports', 'src'), { recursive: true });
    await writeFile(join(dir, 'reports', 'src', 'keep.ts'), 'export {};\n');
    const run = await cli(['explore', CORRECT, '--runs', '5', '--report-dir', join(dir, 'reports')]);
    expect(run.code).toBe(0);
    expect(await filesUnder(dir)).toEqual(['reports/index.html', 'reports/src/keep.ts', 'reports/summary.json']);
  });
});
