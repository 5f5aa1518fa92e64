/** explore()'s `regressions` option: a bug found once stays checked, first, on every later run, and after it is fixed. */
import { mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineScenario, explore, type Mutex, type Runtime, type Scenario } from '../src/index.ts';
import buggy from './fixtures/cli/suite/buggy.ts';
import correct from './fixtures/cli/suite/correct.ts';
import '../src/vitest/index.ts';

const twoLocks = buggy.find((s) => s.name === 'two locks')!;
const oneCondition = buggy.find((s) => s.name === 'one condition')!;

/** 'two locks' fixed: both threads take the locks in the same order. Same name and threads, so the same scenario to a token. */
const twoLocksFixed: Scenario = defineScenario({
  name: 'two locks',
  setup: (rt) => ({ a: rt.mutex('a'), b: rt.mutex('b') }),
  threads: { left: inOrder, right: inOrder },
});
async function inOrder(s: { a: Mutex; b: Mutex }, rt: Runtime): Promise<void> {
  await s.a.lock();
  await rt.yield();
  await s.b.lock();
  s.b.unlock();
  s.a.unlock();
}

const dirs: string[] = [];
async function regressionFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'interleave-regressions-'));
  dirs.push(dir);
  return join(dir, 'regressions.txt');
}
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

const tokensIn = async (path: string): Promise<string[]> => (await readFile(path, 'utf8')).split('\n').filter((line) => line.startsWith('IL1-'));

describe('explore() with a regression file', () => {
  it('appends the token of a failure found, under a comment naming scenario and kind, once', async () => {
    const file = await regressionFile();
    const first = await explore(twoLocks, { seed: 5, runs: 200, regressions: file });
    expect(first.failure?.kind).toBe('deadlock');
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/^# Interleave regression file/);
    expect(text).toMatch(/^# two locks: deadlock, found \d{4}-\d\d-\d\dT/m);
    expect(await tokensIn(file)).toEqual([first.failure!.replay]);
    // Found again (replayed first, this time): not appended twice.
    const again = await explore(twoLocks, { seed: 5, runs: 200, regressions: file });
    expect(again.failure?.replay).toBe(first.failure!.replay);
    expect(await tokensIn(file)).toEqual([first.failure!.replay]);
  });

  it("replays the file's tokens for the scenario before searching, so a later run with another seed finds the same bug at once", async () => {
    const file = await regressionFile();
    const found = await explore(oneCondition, { seed: 11, runs: 2000, regressions: file });
    expect(found.failure).toBeDefined();
    const later = await explore(oneCondition, { seed: 99, runs: 2000, regressions: file });
    expect(later.failure?.replay).toBe(found.failure!.replay);
    expect(later.executions).toBe(1);
  });

  it("skips other scenarios' tokens silently, and a fixed scenario passes its old token", async () => {
    const file = await regressionFile();
    await explore(oneCondition, { seed: 11, runs: 2000, regressions: file });
    const deadlock = await explore(twoLocks, { seed: 5, runs: 200, regressions: file });
    expect(deadlock.failure?.kind).toBe('deadlock');
    expect(await tokensIn(file)).toHaveLength(2);
    const fixed = await explore(twoLocksFixed, { seed: 5, runs: 200, regressions: file });
    expect(fixed.ok).toBe(true);
    expect(fixed.executions).toBe(201); // the old token, replayed, then the whole search
    const clean = await explore(correct, { seed: 5, runs: 50, regressions: file });
    expect(clean).toMatchObject({ ok: true, executions: 50 });
  });

  it('the vitest matchers take the option too', async () => {
    const file = await regressionFile();
    await expect(twoLocks).toHaveInterleavingBug('deadlock', { seed: 5, runs: 200, regressions: file });
    expect(await tokensIn(file)).toHaveLength(1);
    await expect(twoLocksFixed).toSurviveInterleavings({ seed: 5, runs: 50, regressions: file });
  });

  it('refuses a file that is not a regression file, naming it and its first bad line', async () => {
    const file = await regressionFile();
    await writeFile(file, '# my notes\nbuy milk\n');
    await expect(explore(twoLocks, { runs: 10, regressions: file })).rejects.toThrow(
      `'${file}' is not a regression file: line 2 is neither a replay token (IL1-...) nor a '#' comment.`,
    );
    await writeFile(file, 'IL1-garbage\n');
    await expect(explore(twoLocks, { runs: 10, regressions: file })).rejects.toThrow(/is not a regression file: line 1: 'IL1-garbage' is not a valid Interleave replay token/);
    await expect(explore(twoLocks, { runs: 10, regressions: '' })).rejects.toThrow("explore() option 'regressions' must be the path of a regression file");
  });

  it('refuses, before exploring, a symbolic link to a file that does not exist and a file in a folder that does not', async () => {
    const file = await regressionFile();
    await symlink(join(dirname(file), 'moved.txt'), file);
    await expect(explore(twoLocks, { runs: 10, regressions: file })).rejects.toThrow(`regression file '${file}' is a symbolic link to '${join(dirname(file), 'moved.txt')}', which does not exist`);
    const nowhere = join(dirname(file), 'missing', 'regressions.txt');
    await expect(explore(twoLocks, { runs: 10, regressions: nowhere })).rejects.toThrow(`cannot create regression file '${nowhere}': its folder`);
    expect(await readdir(dirname(file))).toEqual(['regressions.txt']);
  });
});
