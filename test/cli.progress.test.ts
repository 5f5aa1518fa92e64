/** Progress of a long run: bars on a terminal, plain lines in a log, none with --no-progress; and the command still ends. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { childEnv, cliProcess, CORRECT, ROOT, tempDir } from './cliProcess.ts';

const LONG = ['--seed', '1', '--runs', '6000', '--workers', '2'];
const LINE = /^ {2}… correct monitor: [\d,]+ of 6,000 executions \([\d,–]+\/s\), [\d.]+m?s, no finding yet$/m;

describe('progress', () => {
  it.concurrent('plain lines every INTERLEAVE_PROGRESS_MS when the output is not a terminal; on stderr under --json; none with --no-progress', async () => {
    const dir = await tempDir();
    const [lines, json, quiet] = await Promise.all([
      cliProcess(['explore', CORRECT, ...LONG, '--report-dir', join(dir, 'a')], { INTERLEAVE_PROGRESS_MS: '100' }),
      cliProcess(['explore', CORRECT, ...LONG, '--report-dir', join(dir, 'b'), '--json'], { INTERLEAVE_PROGRESS_MS: '100' }),
      cliProcess(['explore', CORRECT, ...LONG, '--report-dir', join(dir, 'c'), '--no-progress'], { INTERLEAVE_PROGRESS_MS: '100' }),
    ]);
    expect(lines.stdout).toMatch(LINE);
    expect(json.stderr).toMatch(LINE);
    expect(JSON.parse(json.stdout).ok).toBe(true);
    expect(quiet.stdout).not.toContain('…');
    expect(quiet.stdout).toMatch(/^PASS {2}correct monitor/m);
  });

  it.concurrent('a bar per scenario on a terminal, gone when it is done; the command ends with its verdict', async () => {
    const dir = await tempDir();
    const command = `node bin/interleave.js explore ${CORRECT} ${LONG.join(' ')} --report-dir ${join(dir, 'reports')}`;
    // script(1) runs the command on a pseudo-terminal, as a person's shell would.
    const { code, output } = await new Promise<{ code: number; output: string }>((done) => {
      execFile('script', ['-qefc', command, '/dev/null'], { cwd: ROOT, env: childEnv({ TERM: 'xterm', CI: undefined, NO_COLOR: '1' }), timeout: 120_000 }, (error, stdout) =>
        done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, output: stdout }),
      );
    });
    expect(code).toBe(0);
    expect(output).toMatch(/correct monitor +[█░]+ [\d,]+ exec · [\d,–]+\/s · [\d.]+m?s · no finding yet/);
    expect(output).toMatch(/PASS {2}correct monitor: no failure in 6,000 executions/);
    expect(output).toMatch(/The scenario met its expectation\. Summary: /);
  });
});
