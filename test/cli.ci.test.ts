/**
 * The README's GitHub Actions recipe, run as printed (issue 14, item 1):
 * three shards, each writing its JUnit file inside its report directory,
 * then `merge` of their downloaded artifacts. And `--junit-file` anywhere:
 * inside the report directory or not, its folder there or not.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { childEnv, cli, entriesOf, filesUnder, reportFiles, ROOT, tempDir, type Run } from './cliProcess.ts';

const SRC = JSON.stringify(join(ROOT, 'src/index.ts'));

/** Three small scenario files: an expected deadlock, a correct counter, and a lost update nobody expected. */
const SCENARIOS: Record<string, string> = {
  'a-locks.ts':
    `import { defineScenario } from ${SRC};\n` +
    `export default defineScenario({ name: 'two locks', expected: 'deadlock', setup: (rt) => ({ a: rt.mutex('a'), b: rt.mutex('b') }), threads: {\n` +
    `  left: async (s, rt) => { await s.a.lock(); await rt.yield(); await s.b.lock(); s.b.unlock(); s.a.unlock(); },\n` +
    `  right: async (s, rt) => { await s.b.lock(); await rt.yield(); await s.a.lock(); s.a.unlock(); s.b.unlock(); } } });\n`,
  'b-counter.ts':
    `import { defineScenario } from ${SRC};\n` +
    `export default defineScenario({ name: 'counter', setup: () => ({ n: 0 }), final: (s) => s.n === 2 || 'lost', threads: {\n` +
    `  a: async (s, rt) => { s.n++; await rt.yield(); }, b: async (s, rt) => { s.n++; await rt.yield(); } } });\n`,
  'c-lost-update.ts':
    `import { defineScenario } from ${SRC};\n` +
    `export default defineScenario({ name: 'lost update', setup: () => ({ n: 0 }), final: (s) => s.n === 2 || \`n is \${s.n}\`, threads: {\n` +
    `  a: async (s, rt) => { const v = s.n; await rt.yield(); s.n = v + 1; }, b: async (s, rt) => { const v = s.n; await rt.yield(); s.n = v + 1; } } });\n`,
};

async function scenarioDir(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (const [name, source] of Object.entries(SCENARIOS)) await writeFile(join(dir, name), source);
  return dir;
}

/** A shell command line run in `cwd`, with `npx interleave` meaning this checkout's bin (npx would look for the package in cwd). */
function shell(line: string, cwd: string): Promise<Run> {
  const script = `npx() { [ "$1" = interleave ] || exit 99; shift; node ${JSON.stringify(join(ROOT, 'bin/interleave.js'))} "$@"; }\n${line}\n`;
  return new Promise((done) => {
    execFile('bash', ['-c', script], { cwd, env: childEnv({ CI: 'true' }), maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

/** The `run:` commands of the README's GitHub Actions matrix, in order, folded lines joined as YAML folds them. */
async function recipeCommands(): Promise<string[]> {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const yaml = /A GitHub Actions matrix:\n\n```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(yaml, 'the README has its GitHub Actions matrix').toBeDefined();
  const lines = yaml!.split('\n');
  const commands: string[] = [];
  for (const [i, line] of lines.entries()) {
    const run = /^(\s*)- run: (.*)$/.exec(line);
    if (run === null) continue;
    if (run[2]!.trim() !== '>') {
      commands.push(run[2]!.trim());
      continue;
    }
    const folded: string[] = [];
    for (const next of lines.slice(i + 1)) {
      if (next.trim() === '' || next.search(/\S/) <= run[1]!.length) break;
      folded.push(next.trim());
    }
    commands.push(folded.join(' '));
  }
  return commands.filter((command) => command.includes('interleave'));
}

interface TestCase {
  readonly '@_name': string;
  readonly failure?: unknown;
}

function junitCases(xml: string): TestCase[] {
  expect(XMLValidator.validate(xml)).toBe(true);
  const parsed = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testcase' }).parse(xml);
  return parsed.testsuites.testsuite.testcase ?? [];
}

describe("the README's CI recipe", () => {
  it.concurrent('runs as printed: three shards with --junit-file inside their report directory, their artifacts merged with --junit-file', async () => {
    const [explore, merge, ...rest] = await recipeCommands();
    expect(rest).toEqual([]);
    expect(explore).toMatch(/^npx interleave explore scenarios .*--shard \$\{\{ matrix\.shard \}\}\/3 .*--junit-file reports\/junit\.xml/);
    expect(merge).toMatch(/^npx interleave merge shards\/shard-\*\/summary\.json .*--junit-file junit\.xml/);
    const work = await tempDir();
    const runNumber = '41';
    // Each job of the matrix is a machine of its own, with a fresh checkout; they run side by side.
    const codes = await Promise.all(
      [1, 2, 3].map(async (shard) => {
        const job = join(work, `job-${shard}`);
        await scenarioDir(join(job, 'scenarios'));
        const run = await shell(explore!.replaceAll('${{ github.run_number }}', runNumber).replaceAll('${{ matrix.shard }}', String(shard)), job);
        expect(run.stderr, `shard ${shard}`).not.toContain('interleave:');
        const cases = junitCases(await readFile(join(job, 'reports', 'junit.xml'), 'utf8'));
        expect(cases.map((c) => c['@_name'])).toEqual([['two locks'], ['counter'], ['lost update']][shard - 1]);
        expect(await entriesOf(job)).toEqual(['reports', 'scenarios']);
        // actions/upload-artifact, then actions/download-artifact into shards/shard-<i>.
        await cp(join(job, 'reports'), join(work, 'merge', 'shards', `shard-${shard}`), { recursive: true });
        return run.code;
      }),
    );
    // The lost update is a bug nobody expected: its shard fails; the others meet their expectations.
    expect(codes).toEqual([0, 0, 1]);
    const joined = await shell(merge!, join(work, 'merge'));
    expect(joined.stderr).not.toContain('interleave:');
    expect(joined.code).toBe(1);
    const cases = junitCases(await readFile(join(work, 'merge', 'junit.xml'), 'utf8'));
    expect(cases.map((c) => [c['@_name'], c.failure !== undefined])).toEqual([
      ['two locks', false],
      ['counter', false],
      ['lost update', true],
    ]);
    const summary = JSON.parse(await readFile(join(work, 'merge', 'reports', 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ ok: false, passed: 2, failed: 1, seed: 41, merged: 3 });
    expect(await filesUnder(join(work, 'merge', 'reports'))).toEqual(['index.html', ...reportFiles('lost-update'), 'summary.json', ...reportFiles('two-locks')]);
  });
});

describe('--junit-file anywhere', () => {
  const explore = (dir: string, ...extra: string[]) => cli(['explore', join(dir, 'scenarios'), '--seed', '5', '--runs', '200', '--workers', '1', ...extra]);

  it.concurrent('inside the report directory, before it exists and after; in a folder of it; in folders that do not exist yet outside it', async () => {
    const dir = await tempDir();
    await scenarioDir(join(dir, 'scenarios'));
    const reports = join(dir, 'reports');
    // The first finds no report directory; the second replaces the reports and the JUnit file in it.
    for (const junit of [join(reports, 'junit.xml'), join(reports, 'junit.xml'), join(reports, 'ci', 'junit.xml'), join(dir, 'out', 'ci', 'junit.xml')]) {
      const run = await explore(dir, '--report-dir', reports, '--junit-file', junit);
      expect(run.stderr, junit).not.toContain('interleave:');
      expect(run.code).toBe(1);
      expect(junitCases(await readFile(junit, 'utf8'))).toHaveLength(3);
    }
    expect(await entriesOf(dir)).toEqual(['out', 'reports', 'scenarios']);
    expect(await entriesOf(reports)).toEqual(['ci', 'index.html', 'junit.xml', 'lost-update', 'summary.json', 'two-locks']);
  });

  it.concurrent('merge --junit-file in a folder that does not exist yet, and inside its report directory', async () => {
    const dir = await tempDir();
    await scenarioDir(join(dir, 'scenarios'));
    expect((await explore(dir, '--report-dir', join(dir, 'whole'))).code).toBe(1);
    for (const [reports, junit] of [
      [join(dir, 'merged'), join(dir, 'merged-junit', 'junit.xml')],
      [join(dir, 'merged'), join(dir, 'merged', 'junit.xml')],
    ] as const) {
      const run = await cli(['merge', join(dir, 'whole', 'summary.json'), '--report-dir', reports, '--junit-file', junit]);
      expect(run.stderr, junit).not.toContain('interleave:');
      expect(run.code).toBe(1);
      expect(junitCases(await readFile(junit, 'utf8'))).toHaveLength(3);
    }
  });
});
