/**
 * Fuzzing scenario files: generated modules, valid and broken — scenarios
 * of either kind with names, thread names and expectations of any text,
 * default exports of every other shape, modules cut short or spliced (most
 * no longer parse), modules that throw any value while loading (hostile
 * ones included), imports that do not resolve — written to a temporary
 * directory and explored through the CLI's in-process entry, which loads
 * them with its own loader. Each exits 0, 1 or 2; a file that cannot run
 * is one paragraph naming the file; nothing crashes or hangs. (Two loading
 * edges need a process of their own and are left to the CLI suites: a
 * top-level await that never settles, and process.exit while loading.)
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, expectWellBehaved } from './fixtures/inProcessCli.ts';
import { fuzzRuns, fuzzSeed } from './budget.ts';

/** Each case starts the CLI, a second or so apiece. */
const SINGLE = fuzzRuns(30);
const FOLDERS = fuzzRuns(8);

const INDEX = JSON.stringify(resolve(import.meta.dirname, '../../src/index.ts'));
let dir = '';
let n = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'interleave-fuzz-files-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const text = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('', ' ', '__proto__', 'constructor', 'timer#0', 'a\nb', '💥', 'toString'));
const expectation = fc.oneof(fc.constantFrom('undefined', "'ok'", "'deadlock'", "['deadlock', 'lost-wakeup']", "'nope'", '[]', '42', 'null'));

/** A scenario as source: defineScenario over named threads, or producerConsumer over a small correct queue. */
const scenarioSource = fc.oneof(
  fc
    .record({ name: text, threads: fc.array(text, { minLength: 0, maxLength: 3 }), expected: expectation, body: fc.constantFrom('await rt.yield();', 'await rt.sleep(1);', "throw new Error('boom');", 'throw Object.create(null);', 'return;') })
    .map(
      ({ name, threads, expected, body }) =>
        `defineScenario({ name: ${JSON.stringify(name)}, setup: () => ({}), expected: ${expected}, threads: { ${threads.map((t) => `${JSON.stringify(t)}: async (_s, rt) => { ${body} }`).join(', ')} } })`,
    ),
  fc
    .record({ name: text, producers: fc.integer({ min: -1, max: 2 }), items: fc.integer({ min: 0, max: 2 }), capacity: fc.constantFrom('1', '2', '0', "'x'") })
    .map(
      ({ name, producers, items, capacity }) =>
        `producerConsumer({ name: ${JSON.stringify(name)}, create: () => { const q = []; return { get size() { return q.length; }, async put(x) { q.push(x); }, async take() { while (q.length === 0) await new Promise((r) => setTimeout(r, 1)); return q.shift(); } }; }, capacity: ${capacity}, producers: ${producers}, consumers: 1, itemsPerProducer: ${items} })`,
    ),
);

/** What a thrown value may be: an error, a primitive, or something hostile to whoever describes it. */
const thrown = fc.constantFrom(
  "new Error('the database is not there')",
  '42',
  'null',
  'undefined',
  "'a string'",
  "Symbol('s')",
  'Object.create(null)',
  '{ toString() { throw new Error("no") } }',
  '(() => { const p = Proxy.revocable({}, {}); p.revoke(); return p.proxy; })()',
  '{ get message() { throw new Error("no") }, name: "Error" }',
);

const moduleSource = fc.oneof(
  scenarioSource.map((s) => `export default ${s};`),
  fc.array(scenarioSource, { maxLength: 3 }).map((list) => `export default [${list.join(', ')}];`),
  scenarioSource.map((s) => `export const scenario = ${s};`),
  fc.constantFrom('export default 42;', 'export default null;', 'export default {};', 'export default () => {};', 'export default [1, 2];', "export default 'x';", ''),
  thrown.map((value) => `throw ${value};`),
  fc.constant("import x from './does-not-exist.ts';\nexport default x;"),
);

/** A module, and maybe a cut or a splice of it: most of those no longer parse. */
const fileArb = fc.record({
  source: moduleSource,
  damage: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, fc.tuple(fc.nat(), fc.string({ maxLength: 3 }))),
  ext: fc.constantFrom('.ts', '.mts', '.js', '.mjs'),
});

async function writeModule(file: { source: string; damage: [number, string] | undefined; ext: string }): Promise<string> {
  let body = `import { defineScenario, producerConsumer } from ${INDEX};\n${file.source}\n`;
  if (file.damage !== undefined) {
    const at = file.damage[0] % (body.length + 1);
    body = body.slice(0, at) + file.damage[1] + body.slice(at + Math.floor(file.damage[0] / 7) % 5);
  }
  // A new name every time: a module is cached by its path.
  const path = join(dir, `scenario-${n++}${file.ext}`);
  await writeFile(path, body);
  return path;
}

describe('scenario files that throw hostile values while loading', () => {
  // Found by the fuzzing below: describing such a value used to crash the loader ("internal error").
  it.each([
    ['an object with no prototype', 'Object.create(null)'],
    ['an object whose toString throws', '{ toString() { throw new Error("no") } }'],
    ['a revoked proxy', '(() => { const p = Proxy.revocable({}, {}); p.revoke(); return p.proxy; })()'],
    ['an error whose message getter throws', '{ get message() { throw new Error("no") }, name: "Error" }'],
  ])('%s: refused in one paragraph naming the file', async (_what, value) => {
    const path = await writeModule({ source: `throw ${value};`, damage: undefined, ext: '.ts' });
    const argv = ['explore', path, '--runs', '10', '--report-dir', join(dir, `reports-${n}`)];
    const run = await cli(argv);
    expectWellBehaved(run, argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`cannot load scenario file '${path}': it threw while loading: `);
  });
});

describe('scenario files, fuzzed', () => {
  it(`any module, valid or broken, explores or is refused in one paragraph naming the file (${SINGLE} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(fileArb, async (file) => {
        const path = await writeModule(file);
        const argv = ['explore', path, '--runs', '10', '--seed', '1', '--max-steps', '200', '--report-dir', join(dir, `reports-${n}`)];
        const run = await cli(argv);
        expectWellBehaved(run, argv);
        if (run.code === 2) expect(run.stderr).toContain(basename(path));
      }),
      { numRuns: SINGLE, seed: fuzzSeed(20260320) },
    );
  });

  it(`a directory of such modules explores or is refused as a whole, naming the file at fault (${FOLDERS} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fileArb, { minLength: 1, maxLength: 3 }), async (files) => {
        const folder = await mkdtemp(join(dir, 'folder-'));
        const paths = await Promise.all(files.map(async (f) => writeModule(f)));
        await Promise.all(paths.map(async (p, i) => writeFile(join(folder, `s${i}${files[i]!.ext}`), `export { default } from ${JSON.stringify(p)};\n`)));
        const argv = ['explore', folder, '--runs', '10', '--seed', '1', '--max-steps', '200', '--report-dir', join(dir, `reports-${n}`)];
        const run = await cli(argv);
        expectWellBehaved(run, argv);
        if (run.code === 2) expect(run.stderr).toMatch(/s\d\.m?[jt]s|scenario-\d+/);
      }),
      { numRuns: FOLDERS, seed: fuzzSeed(20260321) },
    );
  });
});
