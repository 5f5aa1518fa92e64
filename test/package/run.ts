/**
 * `npm run test:package`: Interleave as a user gets it. Packs the package,
 * installs the tarball with vitest and TypeScript from the registry into a
 * fresh ES module project and a fresh CommonJS project, and there: loads
 * `realRuntime` with plain node, type-checks with `tsc --init`'s defaults,
 * runs the README's first test passing (a correct queue) and failing (a buggy
 * one), runs the failing test's printed replay line as printed, and runs the
 * CLI on a `.ts` and a `.js` scenario file. Prints PASS or FAIL per check and
 * exits 1 if any failed. `--report FILE` also writes the counts as JSON (for
 * .ci/run); `--keep` leaves the projects in the temporary directory;
 * `--vitest RANGE` installs that vitest (default ~4.1; .ci/run also runs it
 * with 5 on Node 24). The ES module project is made as the README says
 * (`npm init -y && npm pkg set type=module`), and its first test runs on the
 * README's own queue.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { javascriptScenario, type ModuleKind } from './fixtures.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const args = process.argv.slice(2);
const reportFile = args.includes('--report') ? args[args.indexOf('--report') + 1] : undefined;
const keep = args.includes('--keep');
const vitestRange = args.includes('--vitest') ? args[args.indexOf('--vitest') + 1]! : '~4.1';
/** The vitest the projects got, for the report. */
let vitestVersion: string | undefined;

interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command with the shell's word splitting left out (or in, for a line run as printed); never rejects. */
function run(command: string, argv: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  const childEnv: NodeJS.ProcessEnv = {};
  // Nothing of this repository's environment leaks in: not a vitest of ours, not a seed, not a replay.
  for (const [key, value] of Object.entries(process.env)) if (!/^(VITEST|INTERLEAVE_|npm_|FORCE_COLOR)/.test(key)) childEnv[key] = value;
  Object.assign(childEnv, { NO_COLOR: '1', CI: '1' }, env);
  return new Promise((done) => {
    const child = spawn(command, [...argv], { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => done({ code: -1, stdout, stderr: `${stderr}${error.message}` }));
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

class CheckFailed extends Error {}

function expect(condition: boolean, what: string, ran?: Ran): asserts condition {
  if (condition) return;
  const tail = ran === undefined ? '' : `\n--- exit ${ran.code}; output (last 40 lines):\n${(ran.stdout + ran.stderr).trimEnd().split('\n').slice(-40).join('\n')}`;
  throw new CheckFailed(`${what}${tail}`);
}

const results: { readonly name: string; readonly ok: boolean; readonly ms: number }[] = [];

/** Runs one check and prints its verdict; a check that cannot run because an earlier one failed fails too, saying so. */
async function check(name: string, body: () => Promise<void>, needs: readonly boolean[] = []): Promise<boolean> {
  const started = performance.now();
  let problem: string | undefined;
  if (needs.some((ok) => !ok)) problem = 'not run: a check it needs failed';
  else {
    try {
      await body();
    } catch (error) {
      problem = error instanceof CheckFailed ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
    }
  }
  const ms = performance.now() - started;
  results.push({ name, ok: problem === undefined, ms });
  console.log(`${problem === undefined ? 'PASS' : 'FAIL'}  ${name} (${(ms / 1000).toFixed(1)}s)`);
  if (problem !== undefined) console.log(problem.replace(/^/gm, '      '));
  return problem === undefined;
}

async function write(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}

/** The README's first test, exactly as printed there, and the path its first line names. */
async function readmeFirstTest(): Promise<{ path: string; text: string }> {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Your first test'));
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  const path = block === undefined ? undefined : /^\/\/ (\S+)\n/.exec(block)?.[1];
  if (block === undefined || path === undefined) throw new Error("README.md: no '## Your first test' section with a ```ts block opening with a '// <path>' comment");
  return { path, text: block };
}

/** The README's complete queue, exactly as printed there (the ```ts block opening with `// src/myQueue.ts`). */
async function readmeQueue(): Promise<string> {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Your first test'));
  const block = /```ts\n(\/\/ src\/myQueue\.ts\n[\s\S]*?)```/.exec(section)?.[1];
  if (block === undefined) throw new Error("README.md: no ```ts block opening with '// src/myQueue.ts' under '## Your first test'");
  return block;
}

/**
 * `MyQueue` for the README's test: a copy of a library scenario's buffer,
 * exported under that name. The copy also default-exports its scenario, so
 * it is a `.ts` scenario file for the CLI.
 */
async function queueSource(file: string, className: string): Promise<string> {
  const source = await readFile(join(ROOT, 'scenarios', file), 'utf8');
  return `${source}\nexport { ${className} as MyQueue };\n`;
}

/** The report a failure printed, from its header to its token: the same text means the same execution. */
function reportOf(output: string, token: string): string {
  const end = output.indexOf(`Replay token: ${token}`);
  return end < 0 ? '' : output.slice(output.lastIndexOf('= Interleave:', end), end);
}

async function project(kind: ModuleKind, base: string, tarball: string): Promise<void> {
  const dir = join(base, kind);
  const label = (what: string): string => `${kind === 'module' ? 'ESM' : 'CommonJS'} project: ${what}`;
  const firstTest = await readmeFirstTest();
  const npx = (...argv: string[]): Promise<Ran> => run('npx', argv, dir);

  const installed = await check(label(`npm init -y, npm pkg set type=${kind}, npm install of the tarball, vitest@${vitestRange} and typescript@~5.9`), async () => {
    // As the README says a new project is made: npm 11's init writes "type": "commonjs", which the README has set to module.
    await mkdir(dir, { recursive: true });
    const init = await run('npm', ['init', '-y'], dir);
    expect(init.code === 0, 'npm init -y failed', init);
    const type = await run('npm', ['pkg', 'set', `type=${kind}`], dir);
    expect(type.code === 0, `npm pkg set type=${kind} failed`, type);
    const ran = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, `vitest@${vitestRange}`, 'typescript@~5.9'], dir);
    expect(ran.code === 0, 'npm install failed', ran);
    const vitest = JSON.parse(await readFile(join(dir, 'node_modules/vitest/package.json'), 'utf8')) as { version: string };
    console.log(`      vitest ${vitest.version}, node ${process.version}`);
    vitestVersion = vitest.version;
  });
  const writeFirstTest = async (): Promise<void> => {
    await write(join(dir, firstTest.path), firstTest.text);
    await write(join(dir, 'src/myQueue.ts'), await readmeQueue());
  };

  await check(
    label(`plain node ${kind === 'module' ? 'imports' : 'requires'} realRuntime, and it works`),
    async () => {
      const file = kind === 'module' ? 'real.mjs' : 'real.cjs';
      await write(join(dir, file), kind === 'module' ? REAL_RUNTIME_ESM : REAL_RUNTIME_CJS);
      const ran = await run('node', [file], dir);
      expect(ran.code === 0 && ran.stdout.trim() === 'realRuntime: mutex, condition and sleep work', 'realRuntime did not load or work', ran);
      expect(!/Warning/.test(ran.stderr), 'loading printed a warning', ran);
    },
    [installed],
  );

  await check(
    label(`tsc --noEmit with \`tsc --init\` defaults${kind === 'module' ? ", on the README's first test and queue" : ', on CommonJS-style TypeScript'}`),
    async () => {
      // Under tsc --init's verbatimModuleSyntax a CommonJS project's TypeScript says `import x = require()`: ESM syntax is an error there, ours or not.
      if (kind === 'module') {
        await writeFirstTest();
        await write(join(dir, 'src/options.ts'), OPTIONS_SOURCE);
      } else {
        await write(join(dir, 'src/usage.ts'), COMMONJS_USAGE_SOURCE);
      }
      const init = await npx('tsc', '--init');
      expect(init.code === 0, 'tsc --init failed', init);
      const config = await readFile(join(dir, 'tsconfig.json'), 'utf8');
      expect(/"exactOptionalPropertyTypes": true/.test(config) && /"strict": true/.test(config), 'tsc --init no longer sets strict and exactOptionalPropertyTypes: review this check');
      const ran = await npx('tsc', '--noEmit');
      expect(ran.code === 0, 'the project does not type-check against the package', ran);
    },
    [installed],
  );

  const passing = await check(
    label("the README's first test passes on the README's queue"),
    async () => {
      await writeFirstTest();
      const ran = await npx('vitest', 'run');
      expect(ran.code === 0 && /Tests +1 passed \(1\)/.test(ran.stdout), 'vitest did not pass', ran);
    },
    [installed],
  );

  let replayLine: { line: string; token: string; report: string } | undefined;
  const failing = await check(
    label("the README's first test fails on a buggy queue, ending with a replay line"),
    async () => {
      await write(join(dir, 'src/myQueue.ts'), await queueSource('monitor-if-instead-of-while.ts', 'IfMonitorBuffer'));
      const ran = await npx('vitest', 'run');
      const output = ran.stdout + ran.stderr;
      expect(ran.code === 1 && /Tests +1 failed \(1\)/.test(output), 'vitest did not fail as it should', ran);
      const match = /^Replay it: +(INTERLEAVE_REPLAY=(IL1-[\w-]+) npx vitest run .+)$/m.exec(output);
      expect(match !== null, 'no vitest replay line in the output', ran);
      const [, line, token] = match as unknown as [string, string, string];
      expect(line.includes(` npx vitest run ${firstTest.path} -t '^MyQueue survives every interleaving$'`), `the replay line does not name the test file and test: ${line}`);
      replayLine = { line, token, report: reportOf(output, token) };
      expect(replayLine.report !== '', 'no report before the token', ran);
    },
    [installed, passing],
  );

  await check(
    label('the printed replay line, run as printed, replays the same failure'),
    async () => {
      const { line, token, report } = replayLine!;
      const ran = await run('sh', ['-c', line], dir);
      const output = ran.stdout + ran.stderr;
      expect(ran.code === 1 && /Tests +1 failed \(1\)/.test(output), 'the replay did not fail', ran);
      expect(output.includes('(replaying the execution INTERLEAVE_REPLAY names)'), 'the matcher explored instead of replaying', ran);
      expect(reportOf(output, token) === report, 'the replayed report differs from the one printed first', ran);
    },
    [failing],
  );

  if (kind === 'module') {
    await check(
      label('a test that times out mid-exploration stops it (the test context\'s signal): the next test explores at once'),
      async () => {
        await write(join(dir, 'src/myQueue.ts'), await readmeQueue());
        await write(join(dir, 'test/timeout.test.ts'), TIMEOUT_TEST);
        const ran = await npx('vitest', 'run', 'test/timeout.test.ts');
        const output = ran.stdout + ran.stderr;
        expect(ran.code === 1 && /Tests +1 failed \| 1 passed \(2\)/.test(output) && /timed out in 1000ms/.test(output), 'the first test should time out and the second pass', ran);
        await rm(join(dir, 'test/timeout.test.ts'));
      },
      [installed, passing],
    );
  }

  await check(
    label('npx interleave explore on a .ts scenario file'),
    async () => {
      await write(join(dir, 'scenarios/queue.ts'), await queueSource('monitor-buffer.ts', 'MonitorBuffer'));
      const ran = await npx('interleave', 'explore', 'scenarios/queue.ts', '--runs', '300', '--seed', '1');
      expect(ran.code === 0 && /^PASS {2}monitor-buffer: no failure in 300 executions/m.test(ran.stdout), 'the CLI did not pass the correct queue', ran);
      expect(ran.stderr === '', 'the CLI wrote to stderr', ran);
    },
    [installed],
  );

  await check(
    label('npx interleave explore on a .js scenario file in two worker threads, with JUnit, then replay of its token'),
    async () => {
      await write(join(dir, 'scenarios/counter.js'), javascriptScenario(kind));
      const ran = await npx('interleave', 'explore', 'scenarios/counter.js', '--runs', '300', '--report-dir', 'reports', '--junit-file', 'junit.xml', '--workers', '2');
      expect(ran.code === 0 && /^PASS {2}racy counter \(js\): found the expected invariant/m.test(ran.stdout), 'the CLI did not find the expected bug', ran);
      const junit = await readFile(join(dir, 'junit.xml'), 'utf8');
      expect(/<testcase name="racy counter \(js\)" classname="scenarios\/counter\.js"/.test(junit), `the installed package wrote no JUnit testcase for the scenario:\n${junit}`);
      const written = await readFile(join(dir, 'reports/racy-counter-js/failure.txt'), 'utf8');
      // The viewer's page script is bundled from the installed package's compiled viewer/.
      const viewer = await readFile(join(dir, 'reports/racy-counter-js/trace.html'), 'utf8');
      expect(viewer.includes('<script type="application/json" id="trace-data">') && viewer.includes('This trace viewer cannot show its trace'), 'the installed package wrote no working trace.html', ran);
      const replay = /^Replay it: +(npx interleave replay scenarios\/counter\.js IL1-[\w-]+)$/m.exec(written)?.[1];
      expect(replay !== undefined, `the report's replay line does not name the scenario file:\n${written}`);
      const again = await run('sh', ['-c', replay], dir);
      expect(again.code === 1 && again.stdout === written, 'the replay line, run as printed, did not print the report written', again);
    },
    [installed],
  );
}

/** A test whose matcher was given more time than the test has, then one that explores briefly: the first must not hold up the second. */
const TIMEOUT_TEST = `import { it, expect } from 'vitest';
import { producerConsumer } from 'interleave';
import 'interleave/vitest';
import { MyQueue } from '../src/myQueue.js';

const queue = (items: number) =>
  producerConsumer({
    name: \`MyQueue, \${items} items each\`,
    create: (rt, { capacity }) => new MyQueue(rt, capacity),
    capacity: 2, producers: 3, consumers: 3, itemsPerProducer: items,
  });

it('explores past its timeout', async () => {
  await expect(queue(12)).toSurviveInterleavings({ runs: 10_000_000, timeLimitMs: 30_000 });
}, 1000);

it('explores next', async () => {
  await expect(queue(1)).toSurviveInterleavings({ runs: 50 });
}, 3000);
`;

/** exactOptionalPropertyTypes: options may be passed as maybe-values, as users' code has them. */
const OPTIONS_SOURCE = `import { defineScenario, explore, type ExploreOptions, type ExploreResult } from 'interleave';

export function budget(runs: number | undefined, seed?: number): ExploreOptions {
  return { runs, seed, timeLimitMs: undefined, strategy: undefined };
}

export function check(final?: (state: { n: number }) => true | string): Promise<ExploreResult> {
  const scenario = defineScenario({ name: 'typed', setup: () => ({ n: 0 }), threads: { a: async (s) => void s.n++ }, final, expected: undefined });
  return explore(scenario, budget(10));
}
`;

/** A CommonJS project's TypeScript, under verbatimModuleSyntax: require() of the ES module package, typed. */
const COMMONJS_USAGE_SOURCE = `import interleave = require('interleave');
import type { ExploreOptions, ExploreResult, Runtime } from 'interleave';

function budget(runs: number | undefined): ExploreOptions {
  return { runs, seed: undefined };
}

export = async function main(rt: Runtime = interleave.realRuntime): Promise<ExploreResult> {
  const mutex = rt.mutex('m');
  await mutex.lock();
  mutex.unlock();
  return interleave.explore(interleave.defineScenario({ name: 'typed', setup: () => ({ n: 0 }), threads: { a: async (s) => void s.n++ } }), budget(10));
};
`;

const REAL_RUNTIME_BODY = `const mutex = realRuntime.mutex('m');
const ready = realRuntime.condition(mutex, 'ready');
(async () => {
  await mutex.lock();
  setTimeout(() => void mutex.lock().then(() => { ready.notify(); mutex.unlock(); }), 1);
  await ready.wait();
  mutex.unlock();
  await realRuntime.sleep(1);
  console.log('realRuntime: mutex, condition and sleep work');
})();
`;
const REAL_RUNTIME_ESM = `import { realRuntime } from 'interleave';\n${REAL_RUNTIME_BODY}`;
const REAL_RUNTIME_CJS = `const { realRuntime } = require('interleave');\n${REAL_RUNTIME_BODY}`;

async function main(): Promise<number> {
  const started = performance.now();
  const base = await mkdtemp(join(tmpdir(), 'interleave-package-'));
  console.log(`test:package in ${base}: node ${process.version}, vitest@${vitestRange}`);
  try {
    let tarball = '';
    const packed = await check('npm pack: builds and packs only what users need', async () => {
      const ran = await run('npm', ['pack', '--pack-destination', base], ROOT);
      expect(ran.code === 0, 'npm pack failed', ran);
      const name = (await readdir(base)).find((f) => f.endsWith('.tgz'));
      expect(name !== undefined, 'npm pack wrote no tarball', ran);
      tarball = join(base, name);
      const listing = await run('tar', ['-tzf', tarball], base);
      const files = listing.stdout.split('\n').filter((f) => f !== '').map((f) => f.replace(/^package\//, ''));
      const stray = files.filter((f) => !/^(dist\/.+\.(js|d\.ts)|bin\/(interleave|worker)\.js|README\.md|LICENSE|package\.json)$/.test(f));
      expect(stray.length === 0, `the tarball ships more than dist/, bin/ and the README: ${stray.join(', ')}`);
      for (const needed of ['dist/index.js', 'dist/index.d.ts', 'dist/vitest/index.js', 'dist/vitest/index.d.ts', 'dist/cli/main.js', 'dist/cli/worker.js', 'bin/interleave.js', 'bin/worker.js', 'README.md']) {
        expect(files.includes(needed), `the tarball lacks ${needed}`);
      }
      const { size } = await stat(tarball);
      console.log(`      ${name}: ${(size / 1024).toFixed(1)} kB, ${files.length} files`);
    });
    for (const kind of ['module', 'commonjs'] as const) {
      if (packed) await project(kind, base, tarball);
    }
  } finally {
    if (keep) console.log(`kept ${base}`);
    else await rm(base, { recursive: true, force: true });
  }
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  console.log(`\ntest:package: ${passed} passed, ${failed} failed in ${((performance.now() - started) / 1000).toFixed(1)}s`);
  if (reportFile !== undefined) await writeFile(reportFile, `${JSON.stringify({ passed, failed, node: process.version, vitest: vitestRange, vitestVersion, checks: results }, null, 2)}\n`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
