/** `--reporter text|json|junit|mermaid`: what each prints, and JUnit XML that a real XML parser reads. */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderJUnit } from '../src/report/junit.ts';
import { printableJson } from '../src/report/printable.ts';
import { runSummary } from '../src/report/summary.ts';
import { cli, cliProcess, CORRECT, ROOT, tempDir } from './cliProcess.ts';

const UNEXPECTED = 'test/fixtures/cli/unexpected';

interface Property {
  readonly '@_name': string;
  readonly '@_value': string;
}
interface TestCase {
  readonly '@_name': string;
  readonly '@_classname': string;
  readonly properties: { readonly property: readonly Property[] };
  readonly failure?: { readonly '#text': string; readonly '@_message': string; readonly '@_type': string };
  readonly 'system-out'?: string;
  readonly skipped?: { readonly '@_message': string };
}

/** Parses JUnit XML, failing the test where it is not well-formed. */
function parseJUnit(xml: string): { testsuites: { '@_tests': string; '@_failures': string; testsuite: { '@_tests': string; properties?: { property: Property[] }; testcase: TestCase[] } } } {
  const valid = XMLValidator.validate(xml);
  expect(valid, JSON.stringify(valid)).toBe(true);
  return new XMLParser({ ignoreAttributes: false, isArray: (name) => ['testcase', 'property'].includes(name), trimValues: false }).parse(xml);
}

const property = (tc: TestCase, name: string): string | undefined => tc.properties.property.find((p) => p['@_name'] === name)?.['@_value'];

describe('reporters', () => {
  it.concurrent('junit: one testsuite, a testcase per scenario; a failure carries the text report with its replay line, and seed, strategy, executions as properties', async () => {
    const dir = await tempDir();
    const run = await cli(['explore', UNEXPECTED, CORRECT, '--seed', '7', '--runs', '300', '--workers', '1', '--report-dir', join(dir, 'reports'), '--reporter', 'text,junit']);
    expect(run.code).toBe(1);
    const xml = parseJUnit(run.stdout);
    expect(xml.testsuites['@_tests']).toBe('3');
    expect(xml.testsuites['@_failures']).toBe('2');
    const cases = xml.testsuites.testsuite.testcase;
    expect(cases.map((c) => [c['@_name'], c['@_classname']])).toEqual([
      ['correct monitor claiming a deadlock', `${UNEXPECTED}/expected-missing.ts`],
      ['if monitor, unexpected', `${UNEXPECTED}/if-monitor.ts`],
      ['correct monitor', CORRECT],
    ]);
    const [missing, unexpected, correct] = cases as [TestCase, TestCase, TestCase];
    expect(missing.failure!['@_type']).toBe('expected-failure-not-found');
    expect(missing.failure!['#text']).toContain('expected deadlock, but found no failure in 300 executions');
    const report = await readFile(join(dir, 'reports', 'if-monitor-unexpected', 'failure.txt'), 'utf8');
    expect(unexpected.failure!['#text']).toBe(report);
    expect(unexpected.failure!['#text']).toMatch(/Replay it: {4}npx interleave replay test\/fixtures\/cli\/unexpected\/if-monitor\.ts IL1-/);
    expect(unexpected.failure!['@_type']).toBe(property(unexpected, 'kind'));
    expect(correct.failure).toBeUndefined();
    for (const c of cases) {
      expect(property(c, 'seed')).toBe('7');
      expect(property(c, 'strategy')).toBe('portfolio');
    }
    expect(property(correct, 'executions')).toBe('300');
    expect(xml.testsuites.testsuite.properties!.property.map((p) => p['@_name'])).toEqual(['seed', 'workers']);
    // The lines moved to stderr, so stdout is the XML alone.
    expect(run.stderr).toMatch(/^FAIL {2}if monitor, unexpected/m);
  });

  it.concurrent('junit to --junit-file with the text lines on stdout; the expected bug report goes to system-out', async () => {
    const dir = await tempDir();
    const file = join(dir, 'junit.xml');
    const run = await cli(['explore', 'test/fixtures/cli/suite/buggy.ts', '--seed', '7', '--runs', '300', '--workers', '1', '--report-dir', join(dir, 'reports'), '--junit-file', file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^PASS {2}two locks: found the expected deadlock/m);
    const cases = parseJUnit(await readFile(file, 'utf8')).testsuites.testsuite.testcase;
    expect(cases).toHaveLength(3);
    expect(cases.every((c) => c.failure === undefined && c['system-out']?.startsWith('= Interleave: '))).toBe(true);
  });

  it('junit escapes what XML cannot carry as it is: markup, quotes, control characters', () => {
    const run = runSummary([
      { scenario: '<b>"q" & \'a\'</b>\u0001', verdict: 'fail', ok: false, expected: 'ok', kind: 'deadlock', step: 1, message: ']]> <script>', replay: 'IL1-x', executions: 1, steps: 1, seed: 1, elapsedMs: 1, exhausted: false },
    ]);
    const text = renderJUnit(run, () => 'report ]]> & <tail>\u0007');
    expect(text).not.toContain('<b>');
    expect(text).not.toContain('<tail>');
    const testcase = parseJUnit(text).testsuites.testsuite.testcase[0]!;
    expect(testcase['@_name']).toBe('<b>"q" & \'a\'</b>\uFFFD');
    expect(testcase.failure!['#text']).toBe('report ]]> & <tail>\uFFFD');
  });

  it('json writes what a terminal would act on (C1 controls, bidirectional overrides) as \\u escapes, read back as they were', () => {
    const name = 'csi \u009b2J rlo \u202e del \u007f esc \u001b end';
    const text = printableJson(JSON.stringify(runSummary([{ scenario: name, verdict: 'pass', ok: true, expected: 'ok', executions: 1, steps: 1, seed: 1, elapsedMs: 1, exhausted: false }]), null, 2));
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(text).toContain('csi \\u009b2J rlo \\u202e del \\u007f esc \\u001b end');
    expect(JSON.parse(text).scenarios[0].scenario).toBe(name);
  });

  it('junit writes what a terminal would act on (C1 controls, bidirectional overrides) as character references, read back as they were', () => {
    const run = runSummary([{ scenario: 'csi \u009b2J rlo \u202e end', verdict: 'pass', ok: true, expected: 'ok', executions: 1, steps: 1, seed: 1, elapsedMs: 1, exhausted: false }]);
    const text = renderJUnit(run, () => undefined);
    expect(text).not.toMatch(/[\u007f-\u009f\u202a-\u202e]/);
    expect(text).toContain('csi &#x9b;2J rlo &#x202e; end');
    const parsed = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testcase', htmlEntities: true }).parse(text);
    expect(parsed.testsuites.testsuite.testcase[0]['@_name']).toBe('csi \u009b2J rlo \u202e end');
  });

  it.concurrent('json: the summary alone on stdout, as --json gives it', async () => {
    const dir = await tempDir();
    const run = await cli(['explore', CORRECT, '--seed', '3', '--runs', '100', '--workers', '1', '--report-dir', join(dir, 'reports'), '--reporter', 'json']);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ schema: 'interleave-summary', ok: true, seed: 3, scenarios: [{ scenario: 'correct monitor', executions: 100 }] });
    // json alone: no text lines anywhere (a run slower than the progress interval may print progress lines there, as --json does)
    expect(run.stderr.replace(/^ {2}… correct monitor: .*\n/gm, '')).toBe('');
  });

  it.concurrent("mermaid: each failure's diagram as a Markdown mermaid block, the same as its trace.mmd", async () => {
    const dir = await tempDir();
    const run = await cli(['explore', 'test/fixtures/cli/suite/buggy.ts', '--seed', '7', '--runs', '300', '--workers', '1', '--report-dir', join(dir, 'reports'), '--reporter', 'text,mermaid']);
    expect(run.code).toBe(0);
    const blocks = [...run.stdout.matchAll(/^### (.+): ([\w-]+) at step \d+ \(test\/fixtures\/cli\/suite\/buggy\.ts\)\n\n```mermaid\n([\s\S]*?)```\n/gm)];
    expect(blocks.map((b) => b[1])).toEqual(['if monitor', 'one condition', 'two locks']);
    const twoLocks = blocks[2]!;
    expect(twoLocks[2]).toBe('deadlock');
    expect(twoLocks[3]).toBe(await readFile(join(dir, 'reports', 'two-locks', 'trace.mmd'), 'utf8'));
    expect(run.stderr).toMatch(/^PASS {2}two locks/m);
  });

  it.concurrent("what a scenario prints (while loading, in its threads) goes to stderr when a machine format has stdout, never into it", async () => {
    const dir = await tempDir();
    const noisy = join(dir, 'noisy.ts');
    await writeFile(
      noisy,
      `import { defineScenario } from ${JSON.stringify(join(ROOT, 'src/index.ts'))};\n` +
        `console.log('loading noisy.ts');\nprocess.stdout.write('written while loading\\n');\n` +
        `export default defineScenario({ name: 'noisy', setup: () => ({ n: 0 }), threads: {\n` +
        `  a: async (s, rt) => { console.log('thread a says', s.n); console.info('info'); await rt.yield(); s.n++; },\n` +
        `  b: async (s, rt) => { process.stdout.write('thread b writes\\n'); console.table([1]); await rt.yield(); s.n++; } } });\n`,
    );
    const common = [noisy, '--seed', '3', '--runs', '20', '--workers', '2', '--no-progress'];
    // The real bin: what the scenarios print reaches the stdout of its process unless it is sent to stderr.
    const json = await cliProcess(['explore', ...common, '--report-dir', join(dir, 'r1'), '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, scenarios: [{ scenario: 'noisy', executions: 20 }] });
    expect(json.stderr).toContain('loading noisy.ts');
    expect(json.stderr).toContain('written while loading');
    expect(json.stderr).toContain('thread a says 0');
    expect(json.stderr).toContain('thread b writes');
    const junit = await cliProcess(['explore', ...common, '--report-dir', join(dir, 'r2'), '--reporter', 'junit']);
    expect(junit.code, junit.stderr).toBe(0);
    expect(parseJUnit(junit.stdout).testsuites['@_tests']).toBe('1');
    expect(junit.stdout).not.toContain('thread');
    expect(junit.stderr).toContain('thread a says 0');
  });

  it.concurrent('text that is data: escape sequences in names and messages reach neither the terminal nor failure.txt; a newline and a code fence in a name stay in its mermaid heading', async () => {
    const dir = await tempDir();
    const evil = join(dir, 'evil.ts');
    const name = 'evil \x1b[2J\x1b]0;pwned\x07 \x9b31m \u202ereversed\r\n```\n# injected';
    await writeFile(
      evil,
      `import { defineScenario } from ${JSON.stringify(join(ROOT, 'src/index.ts'))};\n` +
        `export default defineScenario({ name: ${JSON.stringify(name)}, setup: () => ({ n: 0 }), threads: {\n` +
        `  ${JSON.stringify('a\x1b[31m')}: async (s, rt) => { await rt.yield(); throw new Error(${JSON.stringify('boom \x1b]8;;http://x\x07link\x1b]8;;\x07 \r over')}); },\n` +
        `  b: async (s, rt) => { await rt.yield(); s.n++; } } });\n`,
    );
    const controls = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
    const run = await cli(['explore', evil, '--seed', '3', '--runs', '20', '--workers', '1', '--no-progress', '--report-dir', join(dir, 'reports'), '--reporter', 'text,mermaid']);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/^FAIL {2}evil /m);
    expect(run.stderr).not.toMatch(controls);
    expect(run.stdout).not.toMatch(controls);
    const [folder] = (await readdir(join(dir, 'reports'))).filter((entry) => entry.startsWith('evil'));
    const report = await readFile(join(dir, 'reports', folder!, 'failure.txt'), 'utf8');
    expect(report).toMatch(/^= Interleave: exception in scenario 'evil /);
    expect(report).toContain('boom ');
    expect(report).not.toMatch(controls);
    // One heading, one fence opened and closed: the name cannot end the block or start one of its own.
    const lines = run.stdout.split('\n');
    expect(lines.filter((line) => line.startsWith('#'))).toHaveLength(1);
    expect(lines.filter((line) => line.startsWith('```'))).toEqual(['```mermaid', '```']);
    // A file that fails to load with escapes in its error: the error paragraph is as clean.
    const broken = join(dir, 'broken.ts');
    await writeFile(broken, `throw new Error(${JSON.stringify('cannot \x1b[2J\x1b]0;title\x07 load')});\nexport default [];\n`);
    const failed = await cli(['explore', broken, '--report-dir', join(dir, 'reports2')]);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('cannot ');
    expect(failed.stderr).not.toMatch(controls);
  });
});
