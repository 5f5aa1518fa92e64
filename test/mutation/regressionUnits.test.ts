/**
 * The regression file as a unit (explore/regressions.ts): what a file must
 * hold, the exact bytes appended, and which replayed tokens stop the search.
 * Replays are stubbed: test/regressions.test.ts runs the real ones.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRegressions, RegressionFileError, recordRegression, replayRegressions, REGRESSIONS_HEADER, withRegressions } from '../../src/explore/regressions.ts';
import type { ExploreResult } from '../../src/explore/result.ts';
import { DEFAULT_START_TIME } from '../../src/engine/clock.ts';
import { encodeToken, scenarioId } from '../../src/explore/token.ts';
import type { Scenario } from '../../src/workload/scenario.ts';

const SCENARIO = { name: 'two locks', threads: ['left', 'right'] } as unknown as Scenario;
const tokenFor = (seed: number, id = scenarioId(SCENARIO.name, SCENARIO.threads)): string =>
  encodeToken({ scenarioId: id, strategy: 'random', seed, execution: 0, maxSteps: 100, fairSteps: 100, startTime: DEFAULT_START_TIME, tape: [0, 1] });
const WHEN = new Date('2026-01-02T03:04:05.000Z');

const dirs: string[] = [];
async function fresh(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'interleave-regression-units-'));
  dirs.push(dir);
  return join(dir, 'regressions.txt');
}
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

describe('reading a regression file', () => {
  it('its error says what it is', () => {
    expect(String(new RegressionFileError('bad file'))).toBe('RegressionFileError: bad file');
  });

  it('a file that does not exist yet holds no tokens; one that cannot be read is refused, naming it', async () => {
    const file = await fresh();
    expect(await readRegressions(file)).toEqual([]);
    await mkdir(file);
    const refusal = await readRegressions(file).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(RegressionFileError);
    expect((refusal as Error).message).toMatch(new RegExp(`^cannot read regression file '${file.replace(/[.\\]/g, '\\$&')}': EISDIR`));
  });

  it('blank lines and comments may be indented; tokens are read without the spaces around them', async () => {
    const file = await fresh();
    await writeFile(file, `   \n  # a note\n\t${tokenFor(1)}  \r\n`);
    expect(await readRegressions(file)).toEqual([tokenFor(1)]);
  });

  it('a broken token is refused with its line and the token error, whose closing period gives way to the sentence after', async () => {
    const file = await fresh();
    await writeFile(file, `# note\nIL1-AAAA\n`);
    await expect(readRegressions(file)).rejects.toThrow(
      `'${file}' is not a regression file: line 2: 'IL1-AAAA' is not a valid Interleave replay token: it is too short. Tokens start with 'IL1-' and are printed with every failure. ` +
        `A regression file holds only replay tokens, one a line, and '#' comments; give a new file name, and Interleave creates it.`,
    );
  });
});

describe('recording a failure', () => {
  it('a new file starts with the header; each token goes under a comment naming scenario, kind and date, once', async () => {
    const file = await fresh();
    await recordRegression(file, 'two locks', { kind: 'deadlock', replay: tokenFor(1) }, WHEN);
    await recordRegression(file, 'two locks', { kind: 'deadlock', replay: tokenFor(1) }, WHEN);
    await recordRegression(file, 'two\r\nlocks\n', { kind: 'lost-wakeup', replay: tokenFor(2) }, WHEN);
    expect(await readFile(file, 'utf8')).toBe(
      `${REGRESSIONS_HEADER}\n# two locks: deadlock, found 2026-01-02T03:04:05.000Z\n${tokenFor(1)}\n# two locks : lost-wakeup, found 2026-01-02T03:04:05.000Z\n${tokenFor(2)}\n`,
    );
    expect(REGRESSIONS_HEADER).toBe('# Interleave regression file: replay tokens of failures found, replayed first by every exploration that names this file.');
  });

  it('a file of its own, kept: a last line without its newline gets one, a file that ends in one gets none', async () => {
    const file = await fresh();
    await writeFile(file, '# mine');
    await recordRegression(file, 's', { kind: 'deadlock', replay: tokenFor(1) }, WHEN);
    expect(await readFile(file, 'utf8')).toBe(`# mine\n# s: deadlock, found 2026-01-02T03:04:05.000Z\n${tokenFor(1)}\n`);
    const other = await fresh();
    await writeFile(other, '# mine\n');
    await recordRegression(other, 's', { kind: 'deadlock', replay: tokenFor(1) }, WHEN);
    expect(await readFile(other, 'utf8')).toBe(`# mine\n# s: deadlock, found 2026-01-02T03:04:05.000Z\n${tokenFor(1)}\n`);
  });
});

describe('replaying the tokens of a scenario', () => {
  const outcome = (failure?: string): ExploreResult => ({ ok: failure === undefined, steps: 10, ...(failure === undefined ? {} : { failure: { kind: failure } }) }) as unknown as ExploreResult;

  it("replays this scenario's tokens in file order and stops at the first that still fails; passing and nondeterministic replays go on", async () => {
    const file = await fresh();
    const others = tokenFor(9, 12345);
    await writeFile(file, [tokenFor(1), others, tokenFor(2), tokenFor(3), tokenFor(4)].join('\n'));
    const results = new Map([
      [tokenFor(1), outcome()],
      [tokenFor(2), outcome('nondeterminism')],
      [tokenFor(3), outcome('deadlock')],
      [tokenFor(4), outcome('deadlock')],
    ]);
    const replayed: string[] = [];
    const checked = await replayRegressions(SCENARIO, file, async (_s, token) => {
      replayed.push(token);
      return results.get(token)!;
    });
    expect(replayed).toEqual([tokenFor(1), tokenFor(2), tokenFor(3)]);
    expect(checked).toEqual({ found: results.get(tokenFor(3)), replayed: 3, steps: 30 });
  });

  it('when every token passes, all of them count', async () => {
    const file = await fresh();
    await writeFile(file, `${tokenFor(1)}\n${tokenFor(2)}\n`);
    expect(await replayRegressions(SCENARIO, file, async () => outcome())).toEqual({ replayed: 2, steps: 20 });
  });
});

describe('explore() with a regression file, around the search', () => {
  const search = { ok: true, executions: 5, steps: 50, elapsedMs: 7 } as unknown as ExploreResult;

  it('adds the replays to the search: executions, steps, and the time they took', async () => {
    const file = await fresh();
    await writeFile(file, `${tokenFor(1)}\n${tokenFor(2)}\n`);
    const started = performance.now();
    const result = await withRegressions(SCENARIO, file, async () => search, async () => ({ ok: true, steps: 10 }) as unknown as ExploreResult);
    const took = performance.now() - started;
    expect(result).toMatchObject({ ok: true, executions: 7, steps: 70 });
    expect(result.elapsedMs).toBeGreaterThanOrEqual(7);
    expect(result.elapsedMs).toBeLessThanOrEqual(7 + took);
  });

  it('a replay that still fails is the result, without a search, counted as the replays it took', async () => {
    const file = await fresh();
    await writeFile(file, `${tokenFor(1)}\n${tokenFor(2)}\n`);
    let searched = false;
    const started = performance.now();
    const failing = { ok: false, steps: 4, elapsedMs: 1, failure: { kind: 'deadlock', replay: tokenFor(2) } } as unknown as ExploreResult;
    const result = await withRegressions(
      SCENARIO,
      file,
      async () => {
        searched = true;
        return search;
      },
      async (_s, token) => (token === tokenFor(2) ? failing : ({ ok: true, steps: 3 } as unknown as ExploreResult)),
    );
    const took = performance.now() - started;
    expect(searched).toBe(false);
    expect(result).toMatchObject({ ok: false, executions: 2, steps: 7, failure: { kind: 'deadlock' } });
    expect(result.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(result.elapsedMs).toBeLessThanOrEqual(took);
  });
});
