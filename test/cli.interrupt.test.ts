/** Ctrl-C and SIGTERM sent to a running `interleave explore`: what was found is written, the summary says interrupted, exit 130 or 143. */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { BUGGY, cli, CORRECT, entriesOf, reportFiles, filesUnder, ROOT, startCli, tempDir } from './cliProcess.ts';

interface Watched {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Paths the output named (report and summary lines) that did not exist at the moment they were printed. */
  readonly namedBeforeWritten: readonly string[];
}

/**
 * Runs the CLI, sends `signal` once `ready` matches its output, and checks
 * every path it prints the moment it prints it.
 */
function interrupt(args: readonly string[], signal: NodeJS.Signals, ready: (output: string) => boolean): Promise<Watched> {
  const child = startCli(args, { INTERLEAVE_PROGRESS_MS: '200' });
  let stdout = '';
  let stderr = '';
  let sent = false;
  const namedBeforeWritten: string[] = [];
  const look = (): void => {
    if (!sent && ready(stdout + stderr)) {
      sent = true;
      child.kill(signal);
    }
  };
  child.stdout!.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    stdout += text;
    for (const match of text.matchAll(/^ {2}(\S+\/failure\.txt) {2}\(|Summary: (\S+)$/gm)) {
      const path = match[1] ?? match[2]!;
      if (!existsSync(join(ROOT, path)) && !existsSync(path)) namedBeforeWritten.push(path);
    }
    look();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    look();
  });
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr, namedBeforeWritten })));
}

describe('interruption', () => {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    // A closed terminal or an ssh session that drops: stopped as cleanly, rather than killed with its stage left behind.
    ['SIGHUP', 129],
  ] as const) {
    it.concurrent(`${signal}: exit ${code}, the findings so far written, the summary says interrupted, no path printed before its file exists`, async () => {
      const reports = join(await tempDir(), 'reports');
      const run = await interrupt(
        ['explore', BUGGY, CORRECT, '--seed', '7', '--runs', '50000000', '--workers', '2', '--report-dir', reports],
        signal,
        // Once the long scenario has made progress, after the buggy ones were found.
        (output) => /… correct monitor: [\d,]+ of/.test(output),
      );
      expect(run.stderr).toBe('');
      expect(run.code).toBe(code);
      expect(run.stdout).toMatch(/^ {2}\S+\/two-locks\/failure\.txt {2}\(two locks\)$/m); // so the check below has paths to check
      expect(run.namedBeforeWritten).toEqual([]);
      expect(run.stdout).toMatch(/^PASS {2}correct monitor: no failure in [\d,]+ executions? \([\d,]+ steps, interrupted\)/m);
      expect(run.stdout).toMatch(/^Interrupted: 4 scenarios explored; no expectation unmet so far\. Summary: /m);
      expect(await filesUnder(reports)).toEqual([...reportFiles('if-monitor'), 'index.html', ...reportFiles('one-condition'), 'summary.json', ...reportFiles('two-locks')]);
      const summary = JSON.parse(await readFile(join(reports, 'summary.json'), 'utf8'));
      expect(summary).toMatchObject({ ok: false, interrupted: true, notExplored: [], passed: 4 });
      const correct = summary.scenarios.find((s: { scenario: string }) => s.scenario === 'correct monitor');
      expect(correct.interrupted).toBe(true);
      expect(correct.executions).toBeGreaterThan(0);
      expect(correct.executions).toBeLessThan(50_000_000);
    });
  }

  it.concurrent('SIGKILL leaves the stage of its report directory behind; the next run beside it removes it', async () => {
    const dir = await tempDir();
    const reports = join(dir, 'reports');
    const killed = await interrupt(['explore', BUGGY, CORRECT, '--seed', '7', '--runs', '50000000', '--workers', '1', '--report-dir', reports], 'SIGKILL', (output) =>
      /… correct monitor: [\d,]+ of/.test(output),
    );
    expect(killed.code).toBe(null);
    expect(await entriesOf(dir)).toEqual([expect.stringMatching(/^\.reports\.interleave-/)]);
    const next = await cli(['explore', CORRECT, '--seed', '7', '--runs', '20', '--workers', '1', '--report-dir', reports]);
    expect(next.code).toBe(0);
    expect(await entriesOf(dir)).toEqual(['reports']);
  });

  it.concurrent('Ctrl-C while the files load: nothing explored, nothing written, exit 130', async () => {
    const dir = await tempDir();
    const marker = join(dir, 'loading');
    const slow = join(dir, 'slow.mts');
    await writeFile(slow, `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, '');\nawait new Promise((resolve) => setTimeout(resolve, 60_000));\nexport default [];\n`);
    const child = startCli(['explore', slow, '--report-dir', join(dir, 'reports')]);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const closed = new Promise<number | null>((done) => child.on('close', done));
    while (!existsSync(marker)) await sleep(50);
    child.kill('SIGINT');
    expect(await closed).toBe(130);
    expect(stderr).toBe('interleave: interrupted (SIGINT) before any scenario was explored; nothing was written.\n');
    expect(await entriesOf(dir)).toEqual(['loading', 'slow.mts']);
  });
});
