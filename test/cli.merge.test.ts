/**
 * `interleave merge` given summaries it must not trust (issue 14, item 7):
 * a summary that is not of the schema is refused naming the file and the
 * field (exit 2, one paragraph, nothing written), never an internal error;
 * markup reaches index.html only escaped; nothing outside a shard's folder
 * is copied.
 */
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderIndexHtml } from '../src/report/indexHtml.ts';
import { checkSummary } from '../src/report/summarySchema.ts';
import { runSummary, type RunSummary, type ScenarioSummary } from '../src/report/summary.ts';
import { cli, filesUnder, rejects, tempDir } from './cliProcess.ts';

const REPORTS = ['failure.txt', 'trace.json', 'trace.html', 'trace.mmd'];

function failing(name = 'two locks', folder = 'two-locks'): ScenarioSummary {
  return {
    scenario: name,
    file: 'scenarios/locks.ts',
    verdict: 'fail',
    ok: false,
    expected: 'ok',
    kind: 'deadlock',
    step: 6,
    message: 'deadlock at step 6',
    replay: 'IL1-AAAA',
    executions: 1,
    steps: 6,
    strategy: 'portfolio',
    seed: 7,
    elapsedMs: 1,
    exhausted: false,
    reports: Object.fromEntries(['text', 'json', 'html', 'mermaid'].map((key, i) => [key, `reports/${folder}/${REPORTS[i]}`])) as unknown as ScenarioSummary['reports'],
  };
}

/** A shard folder: its summary.json (as given, however wrong) and the report folder of its failure. */
async function shard(dir: string, summary: unknown, folder = 'two-locks'): Promise<string> {
  await mkdir(join(dir, folder), { recursive: true });
  for (const name of REPORTS) await writeFile(join(dir, folder, name), `${name} of the shard\n`);
  await writeFile(join(dir, 'summary.json'), JSON.stringify(summary));
  return join(dir, 'summary.json');
}

const run = (scenarios: unknown[], extra: Record<string, unknown> = {}): unknown => ({ ...runSummary([failing()], { seed: 7, workers: 1, elapsedMs: 5 }), scenarios, ...extra });
const withField = (field: string, value: unknown): unknown => run([{ ...failing(), [field]: value }]);

describe('merge refuses a summary that is not of the schema: exit 2, naming the file and the field', () => {
  // Each a process of its own; the other fields are checked below, without one.
  const cases: [string, unknown, string][] = [
    ['a scenario that is null', run([null]), 'its field scenarios[0] is null, not an object'],
    ['a string expected', withField('expected', 'deadlock'), "its field scenarios[0].expected is 'deadlock', not 'ok' or a list of failure kinds"],
    ['markup for a seed', withField('seed', '<img src=x onerror=alert(1)>'), "its field scenarios[0].seed is '<img src=x onerror=alert(1)>', not a seed"],
  ];
  for (const [what, summary, field] of cases) {
    it.concurrent(what, async () => {
      const dir = await tempDir();
      const path = await shard(join(dir, 'shard'), summary);
      const stderr = await rejects(['merge', path], join(dir, 'merged'));
      expect(stderr).toContain(`'${path}' is not a summary.json written by 'interleave explore'`);
      expect(stderr).toContain(field);
      expect(stderr).not.toContain('internal error');
    });
  }

  it('checks every field: names, files, kinds, steps, the run seed, the list of scenarios, parts', () => {
    const refusals: [unknown, string][] = [
      [withField('scenario', 42), 'scenarios[0].scenario is 42, not a string'],
      [withField('file', 7), 'scenarios[0].file is 7, not a string'],
      [withField('kind', 'oops'), "scenarios[0].kind is 'oops', not a failure kind"],
      [withField('step', '<script>alert(1)</script>'), "scenarios[0].step is '<script>alert(1)</script>', not a whole number of 0 or more"],
      [withField('executions', -1), 'scenarios[0].executions is -1, not a whole number of 0 or more'],
      [withField('verdict', 'maybe'), "scenarios[0].verdict is 'maybe', not 'pass', 'fail' or 'incomplete'"],
      [withField('parts', { from: 2, to: 1, of: 4 }), 'scenarios[0].parts runs from 2 to 1 of 4: not a range of parts'],
      [withField('outcomes', [{ outcome: 'x', count: 1, frequency: 1, expectation: 'fine', description: '' }]), "scenarios[0].outcomes[0].expectation is 'fine'"],
      [run([failing()], { seed: '<b>7</b>' }), "seed is '<b>7</b>', not a seed"],
      [run([failing()], { shard: { index: 3, count: 2 } }), 'shard.index is 3, more than shard.count (2)'],
      [run([], { scenarios: { a: 1 } }), 'scenarios is {"a":1}, not a list of scenarios'],
      [[1, 2], 'the summary is [1,2], not an object'],
      [run([{ ...failing(), scenario: 'x\u001b[2J' }], { version: 2 }), 'version is 2, not 1'],
    ];
    for (const [summary, message] of refusals) expect(() => checkSummary(summary), message).toThrow(message);
  });
});

describe("merge copies nothing from outside a shard's folder", () => {
  it.concurrent('a report path through ..: refused, naming the file and the field, and the file outside is not copied', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'failure.txt'), 'a file outside the shard folder\n');
    const summary = run([{ ...failing(), reports: { ...failing().reports, text: 'reports/x/../failure.txt' } }]);
    const path = await shard(join(dir, 'shard'), summary);
    const stderr = await rejects(['merge', path], join(dir, 'merged'));
    expect(stderr).toContain(`'${path}' is not a summary.json written by 'interleave explore'`);
    expect(stderr).toContain("its field scenarios[0].reports.text is 'reports/x/../failure.txt', not <report directory>/<scenario folder>/failure.txt");
  });

  it.concurrent('a report folder that is a symbolic link leading out of the shard folder, or a report file that is one: refused', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'secrets'));
    await writeFile(join(dir, 'secrets', 'failure.txt'), 'not a report\n');
    await mkdir(join(dir, 'shard-a'));
    await symlink(join(dir, 'secrets'), join(dir, 'shard-a', 'two-locks'));
    await writeFile(join(dir, 'shard-a', 'summary.json'), JSON.stringify(run([failing()])));
    const folder = await rejects(['merge', join(dir, 'shard-a', 'summary.json')], join(dir, 'merged'));
    expect(folder).toContain(`'${join(dir, 'shard-a', 'summary.json')}': the report folder of scenario 'two locks'`);
    expect(folder).toContain('leads out of the summary');

    const path = await shard(join(dir, 'shard-b'), run([failing()]));
    await writeFile(join(dir, 'shard-b', 'two-locks', 'failure.txt'), '');
    await rm(join(dir, 'shard-b', 'two-locks', 'trace.json'));
    await symlink(join(dir, 'secrets', 'failure.txt'), join(dir, 'shard-b', 'two-locks', 'trace.json'));
    const file = await rejects(['merge', path], join(dir, 'merged'));
    expect(file).toContain(`'${join(dir, 'shard-b', 'two-locks', 'trace.json')}' is not a plain file`);
  });

  it.concurrent('a summary of the schema merges, its reports copied from beside it', async () => {
    const dir = await tempDir();
    const path = await shard(join(dir, 'shard'), run([failing()]));
    const merged = await cli(['merge', path, '--report-dir', join(dir, 'merged')]);
    expect(merged.code, merged.stderr).toBe(1);
    expect(await filesUnder(join(dir, 'merged'))).toEqual(['index.html', 'summary.json', ...REPORTS.map((name) => `two-locks/${name}`).sort()]);
    expect(await readFile(join(dir, 'merged', 'two-locks', 'failure.txt'), 'utf8')).toBe('failure.txt of the shard\n');
  });
});

describe('the schema check and the index', () => {
  it('takes what explore writes, and lets fields it does not know through', () => {
    const summary = runSummary([failing(), { ...failing('b', 'b'), parts: { from: 0, to: 2, of: 4, failed: 1 }, outcomes: [{ outcome: 'x', count: 1, frequency: 1, expectation: 'acceptable', description: '' }] }], { seed: 1, workers: 2, shard: { index: 1, count: 2 }, elapsedMs: 3 });
    expect(checkSummary(summary)).toBe(summary);
    const newer = { ...summary, somethingNew: [1, 2] };
    expect(checkSummary(newer)).toBe(newer);
  });

  it('index.html escapes every value it shows, numbers included', () => {
    const hostile = { ...failing('<i>name</i>'), seed: '<img src=x onerror=alert(1)>', step: '<script>alert(2)</script>', strategy: '<b>s</b>' } as unknown as ScenarioSummary;
    const html = renderIndexHtml(runSummary([hostile]) as RunSummary, 'reports');
    expect(html).not.toMatch(/<img|<script>alert|<i>|<b>s/);
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
    expect(html).toContain('at step &#60;script&#62;alert(2)&#60;/script&#62;');
  });
});
