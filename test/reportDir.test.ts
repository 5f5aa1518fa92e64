/**
 * The report directory a run writes (StagedReportDir, issue 14 item 6): what
 * is not Interleave's stays as it is, whatever it is; a symbolic link stays
 * one; a reader polling the directory never finds it or its summary missing;
 * the stages of runs that were killed are cleaned up by the next run.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StagedReportDir } from '../src/report/stagedDir.ts';

const temps: string[] = [];
afterAll(async () => {
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'interleave-reportdir-'));
  temps.push(dir);
  return dir;
}

/** One run's reports: a folder per failing scenario, then the summary naming them. */
async function run(reports: string, round: number, scenarios: readonly string[], cwd: string): Promise<void> {
  const staged = await StagedReportDir.create(reports, cwd);
  for (const name of scenarios) {
    await mkdir(join(staged.stage, name));
    for (const file of ['failure.txt', 'trace.json', 'trace.html', 'trace.mmd']) await writeFile(join(staged.stage, name, file), `${name} ${file} of round ${round}\n`);
  }
  await writeFile(join(staged.stage, 'index.html'), `<p>round ${round}</p>\n`);
  await writeFile(join(staged.stage, 'summary.json'), `${JSON.stringify({ round, scenarios })}\n`);
  await staged.commit();
}

describe('the report directory', () => {
  it("leaves what is not Interleave's as it is: files, *.tmp files, symbolic links, FIFOs, empty folders, folders of other files", async () => {
    const cwd = await tempDir();
    const reports = join(cwd, 'reports');
    await run(reports, 1, ['gone', 'kept'], cwd);
    await writeFile(join(reports, 'README.md'), 'our notes\n');
    await writeFile(join(reports, 'scratch.tmp'), 'a file of ours that happens to end in .tmp\n');
    await writeFile(join(cwd, 'elsewhere.txt'), 'linked to\n');
    await symlink(join(cwd, 'elsewhere.txt'), join(reports, 'link-to-file'));
    await symlink(join(cwd, 'nowhere'), join(reports, 'dangling-link'));
    await symlink(cwd, join(reports, 'link-to-folder'));
    execFileSync('mkfifo', [join(reports, 'pipe')]);
    await mkdir(join(reports, 'empty'));
    await mkdir(join(reports, 'src'));
    await writeFile(join(reports, 'src', 'keep.ts'), 'export {};\n');
    await writeFile(join(reports, 'kept', 'notes.md'), 'why it fails\n');

    await run(reports, 2, ['new'], cwd);
    expect((await readdir(reports)).sort()).toEqual(
      ['README.md', 'dangling-link', 'empty', 'index.html', 'kept', 'link-to-file', 'link-to-folder', 'new', 'pipe', 'scratch.tmp', 'src', 'summary.json'].sort(),
    );
    expect(JSON.parse(await readFile(join(reports, 'summary.json'), 'utf8'))).toEqual({ round: 2, scenarios: ['new'] });
    expect(await readFile(join(reports, 'README.md'), 'utf8')).toBe('our notes\n');
    expect(await readFile(join(reports, 'scratch.tmp'), 'utf8')).toBe('a file of ours that happens to end in .tmp\n');
    expect(await readlink(join(reports, 'link-to-file'))).toBe(join(cwd, 'elsewhere.txt'));
    expect(await readlink(join(reports, 'dangling-link'))).toBe(join(cwd, 'nowhere'));
    expect(await readlink(join(reports, 'link-to-folder'))).toBe(cwd);
    expect((await lstat(join(reports, 'pipe'))).isFIFO()).toBe(true);
    expect(await readdir(join(reports, 'empty'))).toEqual([]);
    expect(await readFile(join(reports, 'src', 'keep.ts'), 'utf8')).toBe('export {};\n');
    // A report folder the user added a file to is no longer only Interleave's: it stays.
    expect(await readFile(join(reports, 'kept', 'notes.md'), 'utf8')).toBe('why it fails\n');
    expect(await readdir(cwd)).toEqual(expect.not.arrayContaining([expect.stringMatching(/interleave/)]));
  });

  it('a --report-dir that is a symbolic link stays one: the folder it points to gets the reports', async () => {
    const cwd = await tempDir();
    const target = join(cwd, 'real', 'reports');
    await mkdir(join(cwd, 'real'));
    await symlink(target, join(cwd, 'reports'));
    for (const round of [1, 2]) {
      await run('reports', round, round === 1 ? ['a', 'b'] : ['b'], cwd);
      expect(await readlink(join(cwd, 'reports'))).toBe(target);
      expect(JSON.parse(await readFile(join(target, 'summary.json'), 'utf8'))).toMatchObject({ round });
    }
    expect((await readdir(target)).sort()).toEqual(['b', 'index.html', 'summary.json']);
    expect((await readdir(cwd)).sort()).toEqual(['real', 'reports']);
    expect(await readdir(join(cwd, 'real'))).toEqual(['reports']);
  });

  it('a reader polling the directory never finds it, or its summary, missing or half-written', async () => {
    const cwd = await tempDir();
    const reports = join(cwd, 'reports');
    await run(reports, 0, ['a'], cwd);
    const stop = join(cwd, 'stop');
    const poller = spawn(
      process.execPath,
      [
        '-e',
        `const fs = require('node:fs');
         const [dir, stop] = process.argv.slice(1);
         let looks = 0, missing = 0;
         console.log('ready');
         for (;;) {
           for (let i = 0; i < 1000; i++) {
             looks++;
             try { fs.statSync(dir); JSON.parse(fs.readFileSync(dir + '/summary.json', 'utf8')); } catch { missing++; }
           }
           if (fs.existsSync(stop)) break;
         }
         console.log(JSON.stringify({ looks, missing }));`,
        reports,
        stop,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    poller.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await new Promise<void>((ready) => poller.stdout.once('data', () => ready()));
    for (let round = 1; round <= 50; round++) await run(reports, round, round % 2 === 0 ? ['a', 'b'] : ['a'], cwd);
    await writeFile(stop, '');
    await new Promise((done) => poller.on('close', done));
    const counts = JSON.parse(output.trim().split('\n').pop()!) as { looks: number; missing: number };
    expect(counts.looks).toBeGreaterThan(1000);
    expect(counts.missing).toBe(0);
  });

  it('removes the stages left by runs that were killed, and only theirs', async () => {
    const cwd = await tempDir();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const deadStage = join(cwd, `.reports.interleave-${dead}-AbC123`);
    const liveStage = join(cwd, `.reports.interleave-${process.pid}-XyZ789`);
    const otherDir = join(cwd, `.other.interleave-${dead}-AbC123`);
    for (const stage of [deadStage, liveStage, otherDir]) {
      await mkdir(stage);
      await writeFile(join(stage, 'summary.json'), '{}\n');
    }
    await run(join(cwd, 'reports'), 1, ['a'], cwd);
    expect((await readdir(cwd)).sort()).toEqual([`.other.interleave-${dead}-AbC123`, `.reports.interleave-${process.pid}-XyZ789`, 'reports']);
  });
});
