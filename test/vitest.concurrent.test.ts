/**
 * The matchers in the tests vitest runs side by side, and in tests vitest
 * gives up on (issue 14, items 2 and 11), run in a project of their own
 * (test/fixtures/vitest-concurrent) as a user runs vitest:
 * - with INTERLEAVE_REPLAY set, each `it.concurrent` test is judged by its own
 *   scenarios only: a buggy scenario's test never passes because another test
 *   took the token;
 * - a test that times out mid-exploration stops its exploration, so the next
 *   test is not held up until it times out too.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { explore } from 'interleave';
import type { MatcherContext, TestTask } from '../src/vitest/currentTest.ts';
import { toSurviveInterleavings } from '../src/vitest/matchers.ts';
import { producerConsumer } from 'interleave';
import { MonitorBuffer } from '../scenarios/monitor-buffer.ts';
import { racyCounter } from './fixtures/counters.ts';

const PROJECT = resolve(import.meta.dirname, 'fixtures/vitest-concurrent');
const temps: string[] = [];
afterAll(() => Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true }))));

interface TestResult {
  readonly fullName: string;
  readonly status: string;
  readonly failureMessages: readonly string[];
  readonly duration?: number;
}

/** Runs vitest in the fixture project, as a user would, and reads its JSON report: each test's status and messages. */
async function vitest(file: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; output: string; tests: Map<string, TestResult> }> {
  const dir = await mkdtemp(join(tmpdir(), 'interleave-vitest-'));
  temps.push(dir);
  const report = join(dir, 'report.json');
  const childEnv: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('VITEST') && key !== 'INTERLEAVE_REPLAY') childEnv[key] = value;
  delete childEnv.FORCE_COLOR;
  Object.assign(childEnv, { NO_COLOR: '1', CI: '1' }, env);
  const args = ['vitest', 'run', file, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`];
  const { code, output } = await new Promise<{ code: number; output: string }>((done) => {
    execFile('npx', args, { cwd: PROJECT, env: childEnv, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, output: stdout + stderr });
    });
  });
  const json = JSON.parse(await readFile(report, 'utf8')) as { testResults: { assertionResults: TestResult[] }[] };
  const tests = new Map(json.testResults.flatMap((f) => f.assertionResults).map((t) => [t.fullName, t]));
  return { code, output, tests };
}

describe('INTERLEAVE_REPLAY with concurrent tests', () => {
  it('judges each test by its own scenarios: the token\'s test replays it, the others fail for not having it', async () => {
    const { failure } = await explore(racyCounter('counter A'), { runs: 500, seed: 1 });
    const run = await vitest('concurrent.test.ts', { INTERLEAVE_REPLAY: failure!.replay });
    expect(run.code, run.output).toBe(1);
    const test = (name: string): TestResult => {
      const found = run.tests.get(name);
      if (found === undefined) throw new Error(`no test '${name}' in ${[...run.tests.keys()].join(', ')}`);
      return found;
    };
    const replayed = /failed with invariant at step \d+ \(replaying the execution INTERLEAVE_REPLAY names\)/;
    const none = (scenario: string): RegExp => new RegExp(`INTERLEAVE_REPLAY holds a token recorded for none of the scenarios this test checked \\('${scenario}'\\)`);
    // Through the global expect, a matcher cannot tell which of the running tests called it; it still fails the test that did.
    expect(test('the global expect checks counter A')).toMatchObject({ status: 'failed' });
    expect(test('the global expect checks counter A').failureMessages.join('\n')).toMatch(replayed);
    expect(test('the global expect checks counter B')).toMatchObject({ status: 'failed' });
    expect(test('the global expect checks counter B').failureMessages.join('\n')).toMatch(none('counter B'));
    // Through the test's own expect, a test may check several scenarios, only one of them the token's.
    const both = test("the test context's expect checks a safe counter, then counter A");
    expect(both.status).toBe('failed');
    expect(both.failureMessages.join('\n')).toMatch(replayed);
    expect(both.failureMessages.join('\n')).not.toMatch(/recorded for none/);
    expect(test("the test context's expect checks counter B").failureMessages.join('\n')).toMatch(none('counter B'));
  }, 60_000);
});

describe('a test that times out mid-exploration', () => {
  it('stops its exploration: the next test explores at once and passes', async () => {
    const run = await vitest('timeout.test.ts');
    expect(run.code, run.output).toBe(1);
    expect(run.tests.get('explores past its timeout')).toMatchObject({ status: 'failed' });
    expect(run.output).toMatch(/Test timed out in 1000ms/);
    expect(run.tests.get('explores next'), run.output).toMatchObject({ status: 'passed' });
  }, 60_000);

  it("the matcher stops when the test's signal aborts, and says so", async () => {
    const big = producerConsumer({
      name: 'monitor buffer, 4 producers, 4 consumers, 16 items each',
      create: (rt, { capacity }) => new MonitorBuffer(rt, capacity),
      capacity: 2, producers: 4, consumers: 4, itemsPerProducer: 16,
    });
    const abandoned = new AbortController();
    const task: TestTask = { name: 'a test', timeout: 60_000, context: { onTestFinished: () => {}, signal: abandoned.signal } };
    const context: MatcherContext = { task, testPath: resolve('test/some.test.ts') };
    setTimeout(() => abandoned.abort(new Error('Test timed out in 200ms.')), 200);
    const started = performance.now();
    const result = await toSurviveInterleavings.call(context, big, { runs: 10_000_000, timeLimitMs: 20_000 });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(result.message()).toMatch(/vitest gave up on the test \(Test timed out in 200ms\.\)/);
  }, 30_000);
});
