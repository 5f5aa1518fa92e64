/**
 * INTERLEAVE_REPLAY: the matchers replay the one execution it names instead
 * of exploring, and their failure message ends with the command that does so
 * through vitest, which runs as printed.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { explore } from 'interleave';
import 'interleave/vitest';
import type { MatcherContext, TestTask } from '../src/vitest/currentTest.ts';
import { toHaveInterleavingBug, toSurviveInterleavings } from '../src/vitest/matchers.ts';
import { vitestReplayCommand } from '../src/vitest/replayCommand.ts';
import { racyCounter as counterWithoutLock, safeCounter } from './fixtures/counters.ts';

const racyCounter = counterWithoutLock();

afterEach(() => {
  vi.unstubAllEnvs();
});

async function tokenOfRacyCounter(): Promise<{ token: string; step: number }> {
  const { failure } = await explore(racyCounter, { runs: 500, seed: 1 });
  return { token: failure!.replay, step: failure!.step };
}

/** A stand-in for vitest's test task, whose end-of-test hooks the test runs itself. */
function fakeTest(): { context: MatcherContext; finish: () => void } {
  const hooks: (() => void)[] = [];
  const task: TestTask = { name: 'a test', timeout: 60_000, context: { onTestFinished: (fn) => hooks.push(fn) } };
  return { context: { task, testPath: resolve('test/some.test.ts') }, finish: () => hooks.forEach((hook) => hook()) };
}

describe('INTERLEAVE_REPLAY', () => {
  it('makes toSurviveInterleavings replay that execution instead of exploring: the same failure, and the same replay line', async () => {
    const { token, step } = await tokenOfRacyCounter();
    vi.stubEnv('INTERLEAVE_REPLAY', token);
    // Options that would make an exploration find nothing (one run of another seed) do not matter: the token decides.
    const result = await toSurviveInterleavings(racyCounter, { runs: 1, seed: 99 });
    expect(result.pass).toBe(false);
    const message = result.message();
    expect(message).toContain(`failed with invariant at step ${step} (replaying the execution INTERLEAVE_REPLAY names)`);
    expect(message).toContain(`Replay token: ${token}`);
    expect(message).toMatch(new RegExp(`Replay it: {4}INTERLEAVE_REPLAY=${token} npx vitest run test/vitest\\.replay\\.test\\.ts -t '\\^INTERLEAVE_REPLAY makes`));
    // Through expect() as well.
    await expect(expect(racyCounter).toSurviveInterleavings()).rejects.toThrow(`(replaying the execution INTERLEAVE_REPLAY names)`);
  });

  it('is honoured by toHaveInterleavingBug', async () => {
    const { token } = await tokenOfRacyCounter();
    vi.stubEnv('INTERLEAVE_REPLAY', token);
    await expect(racyCounter).toHaveInterleavingBug('invariant');
    const other = await toHaveInterleavingBug(racyCounter, 'deadlock');
    expect(other.pass).toBe(false);
    expect(other.message()).toMatch(/to show a bug of kind deadlock, but it failed with invariant at step \d+ \(replaying the execution INTERLEAVE_REPLAY names\)/);
  });

  it('empty means unset: the matchers explore', async () => {
    vi.stubEnv('INTERLEAVE_REPLAY', '');
    const result = await toSurviveInterleavings(racyCounter, { runs: 500, seed: 1 });
    expect(result.message()).toMatch(/failed with invariant at step \d+ of its replay \(\d+ executions?, /);
  });

  it('malformed: a one-paragraph error naming the variable, from either matcher, with or without .not', async () => {
    vi.stubEnv('INTERLEAVE_REPLAY', 'IL1-garbage');
    const paragraph =
      /^INTERLEAVE_REPLAY is set, but it does not hold a replay token: 'IL1-garbage' is not a valid Interleave replay token: [^\n]+ Set it to the token a failure printed, or unset it to explore\.$/;
    await expect(toSurviveInterleavings(racyCounter)).rejects.toThrow(paragraph);
    await expect(toHaveInterleavingBug(racyCounter)).rejects.toThrow(paragraph);
    await expect(expect(safeCounter).not.toSurviveInterleavings()).rejects.toThrow(paragraph);
    await expect(toSurviveInterleavings(racyCounter)).rejects.toMatchObject({ name: 'ReplayVariableError' });
  });

  it('foreign, alone in its test: the scenario is not checked, and the test fails at its end with one paragraph naming the variable and the scenario', async () => {
    const { token } = await tokenOfRacyCounter();
    vi.stubEnv('INTERLEAVE_REPLAY', token);
    const test = fakeTest();
    const result = await toSurviveInterleavings.call(test.context, safeCounter);
    expect(result.pass).toBe(true);
    expect(result.message()).toBe(`'counter under a lock' was not checked: INTERLEAVE_REPLAY names an execution of another scenario`);
    const bug = await toHaveInterleavingBug.call(test.context, safeCounter, 'deadlock');
    expect(bug.pass).toBe(true);
    let error: unknown;
    try {
      test.finish();
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toMatchObject({ name: 'ReplayVariableError' });
    const message = (error as Error).message;
    expect(message).toMatch(/^INTERLEAVE_REPLAY holds a token recorded for none of the scenarios this test checked \('counter under a lock'\): replay token IL1-\S+ was recorded for another scenario/);
    expect(message).toContain('its -t filter runs only the test that printed the token');
    expect(message).not.toContain('\n');
  });

  it('foreign to one scenario of a test that checks several: only the token\'s scenario is replayed, and the test does not fail for the others', async () => {
    const { token } = await tokenOfRacyCounter();
    vi.stubEnv('INTERLEAVE_REPLAY', token);
    const test = fakeTest();
    const skipped = await toSurviveInterleavings.call(test.context, safeCounter);
    const replayed = await toSurviveInterleavings.call(test.context, racyCounter);
    expect(skipped.pass).toBe(true);
    expect(replayed.pass).toBe(false);
    expect(replayed.message()).toContain(`INTERLEAVE_REPLAY=${token} npx vitest run test/some.test.ts -t '^a test$'`);
    expect(() => test.finish()).not.toThrow();
  });

  it('foreign outside a test: fails at once', async () => {
    const { token } = await tokenOfRacyCounter();
    vi.stubEnv('INTERLEAVE_REPLAY', token);
    const outside: MatcherContext = { task: { name: 'a hook' } };
    await expect(toSurviveInterleavings.call(outside, safeCounter)).rejects.toThrow(/^INTERLEAVE_REPLAY holds a token recorded for none of the scenarios this test checked \('counter under a lock'\)/);
  });
});

describe('the replay line', () => {
  const root = '/project';
  it('names the file relative to the project root and the test by its anchored, escaped full name, quoted for a POSIX shell', () => {
    const line = vitestReplayCommand('IL1-abc', { file: '/project/test/q.test.ts', names: [`it's "odd"`, 'costs $1 (or [2])'] }, root);
    expect(line).toBe(`INTERLEAVE_REPLAY=IL1-abc npx vitest run test/q.test.ts -t '^it'\\''s "odd" costs \\$1 \\(or \\[2\\]\\)$'`);
  });

  it('keeps a file outside the root absolute, quoted when it must be', () => {
    expect(vitestReplayCommand('IL1-abc', { file: '/elsewhere/my tests/q.test.ts', names: ['t'] }, root)).toBe(
      `INTERLEAVE_REPLAY=IL1-abc npx vitest run '/elsewhere/my tests/q.test.ts' -t '^t$'`,
    );
  });

  it('falls back to the CLI form when no test is known', () => {
    expect(vitestReplayCommand('IL1-abc', {}, root)).toBe('npx interleave replay <scenario-file> IL1-abc');
  });
});

interface Run {
  readonly code: number;
  readonly output: string;
}

/** Runs a shell command line in the fixture project, as a person would paste it, in an environment free of this vitest's own variables. */
function shell(line: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const childEnv: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('VITEST') && key !== 'INTERLEAVE_REPLAY') childEnv[key] = value;
  delete childEnv.FORCE_COLOR;
  Object.assign(childEnv, { NO_COLOR: '1', CI: '1' }, env);
  const cwd = resolve(import.meta.dirname, 'fixtures/vitest-project');
  return new Promise((done) => {
    execFile('sh', ['-c', line], { cwd, env: childEnv, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, output: stdout + stderr });
    });
  });
}

/** The text report that ends with this token, from its header on. */
function reportOf(output: string, token: string): string {
  const end = output.indexOf(`Replay token: ${token}`);
  return output.slice(output.lastIndexOf('= Interleave:', end), end);
}

it('the printed line runs as printed, from the project root, and replays exactly the failing test', async () => {
  const first = await shell('npx vitest run');
  expect(first.code, first.output).toBe(1);
  expect(first.output).toMatch(/Tests +2 failed \| 1 passed \(3\)/);
  const lines = [...first.output.matchAll(/^Replay it: +(INTERLEAVE_REPLAY=(IL1-[\w-]+) npx vitest run .*)$/gm)];
  expect(lines).toHaveLength(2);
  // The first test's name is the start of the second's: the line must run only its own.
  const [line, token] = [lines[0]![1]!, lines[0]![2]!];
  expect(line).toContain(`-t '^the counter'\\''s "increments" \\(cost: \\$1\\) \\[racy\\] loses one$'`);
  const again = await shell(line);
  expect(again.code, again.output).toBe(1);
  expect(again.output).toMatch(/Tests +1 failed \| 2 skipped \(3\)/);
  expect(again.output).toContain('(replaying the execution INTERLEAVE_REPLAY names)');
  expect(again.output).toContain(`Replay it:    ${line}`);
  // The same execution: the report printed the first time, step for step.
  expect(reportOf(again.output, token!)).toBe(reportOf(first.output, token!));
}, 60_000);
