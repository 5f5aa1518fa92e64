/** `--workers N`, `--shard i/n` and `interleave merge`: the same seed and split give the same findings, and shards join into the whole run. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { partRuns, partSeed } from '../src/cli/parts.ts';
import { explore } from '../src/index.ts';
import { BUGGY, cli, CORRECT, filesUnder, reportFiles, ROOT, SUITE, tempDir } from './cliProcess.ts';
import buggy from './fixtures/cli/suite/buggy.ts';

interface Summary {
  readonly ok: boolean;
  readonly scenarios: readonly {
    readonly scenario: string;
    readonly kind?: string;
    readonly step?: number;
    readonly replay?: string;
    readonly executions: number;
    readonly steps: number;
    readonly exhausted: boolean;
    readonly parts?: { readonly from: number; readonly to: number; readonly of: number; readonly failed?: number };
  }[];
}

/** What a run found, without what depends on the machine (times, report paths). */
function findings(summary: Summary): unknown[] {
  return summary.scenarios.map(({ scenario, kind, step, replay, executions, steps, exhausted, parts }) => ({ scenario, kind, step, replay, executions, steps, exhausted, parts }));
}

async function explored(args: readonly string[]): Promise<Summary> {
  const dir = await tempDir();
  const run = await cli(['explore', ...args, '--report-dir', join(dir, 'reports'), '--json']);
  expect(run.code, run.stderr).toBeLessThanOrEqual(1);
  return JSON.parse(run.stdout) as Summary;
}

describe('--workers', () => {
  it.concurrent('the same seed and number of workers give the same findings every time; the lowest failing part wins, as explore() finds it', async () => {
    const args = [BUGGY, CORRECT, '--seed', '11', '--runs', '900', '--workers', '3'];
    const [first, second] = await Promise.all([explored(args), explored(args)]);
    expect(findings(second)).toEqual(findings(first));
    expect(first.scenarios.map((s) => s.parts?.of)).toEqual([3, 3, 3, 3]);
    const correct = first.scenarios.find((s) => s.scenario === 'correct monitor')!;
    expect(correct.executions).toBe(900);
    // The winning part's finding is what explore() finds with that part's seed and share of the runs.
    const oneCondition = first.scenarios.find((s) => s.scenario === 'one condition')!;
    const part = oneCondition.parts!.failed!;
    const alone = await explore(buggy.find((s) => s.name === 'one condition')!, { seed: partSeed(11, part), runs: partRuns(900, part, 3) });
    expect(alone.failure?.replay).toBe(oneCondition.replay);
  });

  it.concurrent('--workers 1 explores each scenario as explore() does with the run seed', async () => {
    const summary = await explored([BUGGY, '--seed', '5', '--runs', '400', '--workers', '1']);
    for (const s of summary.scenarios) {
      const alone = await explore(buggy.find((b) => b.name === s.scenario)!, { seed: 5, runs: 400 });
      expect(s.replay, s.scenario).toBe(alone.failure?.replay);
      expect(s.parts).toBeUndefined();
    }
  });
  it.concurrent('executions that ran out of steps while progressing are summed over the parts: INCOMPLETE, exit 1; a warning under --allow-unfinished', async () => {
    const dir = await tempDir();
    const long = join(dir, 'long.mts');
    await writeFile(
      long,
      `import { producerConsumer } from ${JSON.stringify(join(ROOT, 'src/index.ts'))};\n` +
        `import { MonitorBuffer } from ${JSON.stringify(join(ROOT, 'test/fixtures/cli/buffers.ts'))};\n` +
        `export default producerConsumer({ name: 'long', create: (rt, c) => new MonitorBuffer(rt, c.capacity), capacity: 2, producers: 1, consumers: 1, itemsPerProducer: 2000 });\n`,
    );
    const args = ['explore', long, '--strategy', 'random', '--seed', '1', '--runs', '4', '--max-steps', '100', '--workers', '2'];
    const held = await cli([...args, '--report-dir', join(dir, 'held')]);
    expect(held.code, held.stderr).toBe(1);
    expect(held.stdout).toMatch(/^INCOMPLETE {2}long: no failure in 4 executions .*; incomplete: 4 executions ran out of steps while still progressing/m);
    expect(JSON.parse(await readFile(join(dir, 'held', 'summary.json'), 'utf8')).scenarios[0]).toMatchObject({ unfinished: 4, verdict: 'incomplete' });
    const run = await cli([...args, '--allow-unfinished', '--report-dir', join(dir, 'reports')]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^PASS {2}long: no failure in 4 executions .*; 4 executions ran out of steps while still progressing \(raise --max-steps\)$/m);
    expect(JSON.parse(await readFile(join(dir, 'reports', 'summary.json'), 'utf8')).scenarios[0].unfinished).toBe(4);
  });
  it.concurrent("the parts' outcome histograms are joined: the limiter's table counts every execution once", async () => {
    const dir = await tempDir();
    const run = await cli(['explore', 'scenarios/limiter.ts', '--seed', '4', '--runs', '400', '--workers', '2', '--report-dir', join(dir, 'reports')]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^ {6}Outcomes of 400 execution\(s\) that ran to their end \(\d+ distinct\):$/m);
    expect(run.stdout).toMatch(/\| admitted 0,1 refused 2,3 finished 0,1 peak 2 +\| +\d+ \| +[\d.]+% \| acceptable +\| what the tutorial prints/);
    const outcomes = JSON.parse(await readFile(join(dir, 'reports', 'summary.json'), 'utf8')).scenarios[0].outcomes as { count: number; frequency: number }[];
    expect(outcomes.reduce((n, o) => n + o.count, 0)).toBe(400);
    expect(outcomes.reduce((n, o) => n + o.frequency, 0)).toBeCloseTo(1, 9);
  });
});

describe('--shard and merge', () => {
  it.concurrent('shards 1/3, 2/3 and 3/3 explore the whole run with no overlap, and merge joins them into the run unsharded', async () => {
    const dir = await tempDir();
    const shards = await Promise.all(
      [1, 2, 3].map(async (i) => {
        const run = await cli(['explore', SUITE, '--seed', '7', '--runs', '300', '--workers', '2', '--shard', `${i}/3`, '--report-dir', join(dir, `shard-${i}`)]);
        expect(run.code, run.stderr).toBe(0);
        return JSON.parse(await readFile(join(dir, `shard-${i}`, 'summary.json'), 'utf8')) as Summary & { shard: unknown };
      }),
    );
    const names = shards.map((s) => s.scenarios.map((x) => x.scenario));
    expect(names).toEqual([['if monitor', 'one condition'], ['two locks'], ['correct monitor']]);
    expect(shards.map((s) => s.shard)).toEqual([1, 2, 3].map((index) => ({ index, count: 3 })));

    const merged = await cli(['merge', ...[1, 2, 3].map((i) => join(dir, `shard-${i}`, 'summary.json')), '--report-dir', join(dir, 'merged')]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toMatch(/^PASS {2}two locks: found the expected deadlock/m);
    expect(merged.stdout).toMatch(/^All 4 scenarios met their expectations\. Summary: /m);
    expect(await filesUnder(join(dir, 'merged'))).toEqual([...reportFiles('if-monitor'), 'index.html', ...reportFiles('one-condition'), 'summary.json', ...reportFiles('two-locks')]);
    const joined = JSON.parse(await readFile(join(dir, 'merged', 'summary.json'), 'utf8')) as Summary & { merged: number };
    expect(joined.merged).toBe(3);
    const whole = await explored([SUITE, '--seed', '7', '--runs', '300', '--workers', '2']);
    expect(findings(joined)).toEqual(findings(whole));
    expect(await readFile(join(dir, 'merged', 'two-locks', 'failure.txt'), 'utf8')).toBe(await readFile(join(dir, 'shard-2', 'two-locks', 'failure.txt'), 'utf8'));
  });

  it.concurrent("one scenario's seed space split over shards joins into the run with every part on one machine", async () => {
    const dir = await tempDir();
    const oneCondition = join(dir, 'one-condition.mts');
    await writeFile(oneCondition, `import scenarios from ${JSON.stringify(join(ROOT, BUGGY))};\nexport default scenarios.find((s) => s.name === 'one condition');\n`);
    await Promise.all(
      [CORRECT, oneCondition].map(async (scenario, n) => {
        const paths = await Promise.all(
          [1, 2].map(async (i) => {
            const out = join(dir, `${n}-shard-${i}`);
            const run = await cli(['explore', scenario, '--seed', '3', '--runs', '400', '--workers', '2', '--shard', `${i}/2`, '--report-dir', out]);
            expect(run.code, run.stderr).toBe(0);
            return join(out, 'summary.json');
          }),
        );
        const merged = await cli(['merge', ...paths, '--report-dir', join(dir, `${n}-merged`), '--json']);
        expect(merged.code, merged.stderr).toBe(0);
        const joined = JSON.parse(merged.stdout) as Summary;
        expect(joined.scenarios[0]!.parts).toMatchObject({ from: 0, to: 4, of: 4 });
        expect(findings(joined)).toEqual(findings(await explored([scenario, '--seed', '3', '--runs', '400', '--workers', '4'])));
      }),
    );
  });

  it.concurrent('a shard given no part (fewer runs than parts) writes an empty summary, exit 0, and merge counts it', async () => {
    const dir = await tempDir();
    const shards = await Promise.all(
      [1, 2, 3].map((i) => cli(['explore', CORRECT, '--seed', '1', '--runs', '2', '--workers', '1', '--shard', `${i}/3`, '--report-dir', join(dir, `s${i}`)])),
    );
    expect(shards.map((s) => s.code)).toEqual([0, 0, 0]);
    expect(shards[2]!.stdout).toContain('No scenario fell to shard 3/3.');
    const merged = await cli(['merge', ...[1, 2, 3].map((i) => join(dir, `s${i}`, 'summary.json')), '--report-dir', join(dir, 'm'), '--json']);
    expect(merged.code, merged.stderr).toBe(0);
    expect(JSON.parse(merged.stdout).scenarios).toMatchObject([{ scenario: 'correct monitor', executions: 2, parts: { from: 0, to: 2, of: 3 } }]);
  });

  it.concurrent('merge: summaries that are not the shards of one run are refused, exit 2', async () => {
    const dir = await tempDir();
    const run = await cli(['explore', CORRECT, '--seed', '3', '--runs', '50', '--shard', '1/2', '--report-dir', join(dir, 'a')]);
    expect(run.code).toBe(0);
    const merged = await cli(['merge', join(dir, 'a', 'summary.json'), '--report-dir', join(dir, 'merged')]);
    expect(merged.code).toBe(2);
    expect(merged.stderr).toBe('interleave: cannot merge the summaries: shard 2/2 of the run is missing: merge every shard\'s summary.json.\n');
    const notJson = await cli(['merge', join(dir, 'a', 'index.html'), '--report-dir', join(dir, 'merged')]);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain("is not a summary.json written by 'interleave explore': it is not JSON.");
    expect(await filesUnder(join(dir, 'merged'))).toEqual([]);
  });
});
