import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineScenario, explore, traceFromJson, type Failure, type Scenario } from '../src/index.ts';
import { renderMermaid, renderTextReport, renderTraceHtml, ReportDirError, slug, summarize, summaryLine, writeReports } from '../src/report/index.ts';
import buggy from './fixtures/cli/suite/buggy.ts';

const byName = (name: string): Scenario => buggy.find((s) => s.name === name)!;

async function failureOf(scenario: Scenario, options: Parameters<typeof explore>[1]): Promise<Failure> {
  const result = await explore(scenario, options);
  expect(result.failure, `no failure found for '${scenario.name}'`).toBeDefined();
  return result.failure!;
}

/** The table's lines: those drawn with `|`, header first. */
function tableLines(text: string): string[] {
  return text.split('\n').filter((line) => line.startsWith('|'));
}

/** Step numbers in the table's first column, in order. */
function stepColumn(text: string): number[] {
  return tableLines(text)
    .slice(1)
    .map((line) => line.split('|')[1]!.replace('*', '').trim())
    .filter((cell) => cell !== '')
    .map(Number);
}

describe('the text report', () => {
  it('shows a deadlock: kind, one column per thread, switch markers, the blocked set with holders, the cycle and the replay command', async () => {
    const scenario = byName('two locks');
    const failure = await failureOf(scenario, { seed: 1, runs: 200 });
    expect(failure.kind).toBe('deadlock');
    const text = renderTextReport(failure, { scenario: scenario.name, file: 'scenarios/locks.ts' });

    expect(text.split('\n')[0]).toBe("= Interleave: deadlock in scenario 'two locks' =");
    expect(text).toContain(failure.trace.outcome.message!);
    expect(tableLines(text)[0]).toMatch(/^\| step \| left +\| right +\| time \|$/);
    expect(stepColumn(text)).toEqual(failure.trace.steps.map((s) => s.index));

    const switched = failure.trace.steps.filter((s) => s.switched).map((s) => s.index);
    expect(switched.length).toBeGreaterThan(0);
    const marked = tableLines(text)
      .map((line) => /^\| +\* (\d+) \|/.exec(line)?.[1])
      .filter((n) => n !== undefined)
      .map(Number);
    expect(marked).toEqual(switched);

    expect(text).toContain('lock(a) acquired');
    expect(text).toMatch(/→ blocked in lock\([ab]\) held by (left|right)/);
    const blocked = failure.trace.outcome.blocked!;
    expect(blocked.map((b) => b.thread).sort()).toEqual(['left', 'right']);
    expect(text).toContain(`Blocked at the end (after step ${failure.step}):`);
    for (const b of blocked) expect(text).toMatch(new RegExp(`^  ${b.thread} +waits in ${escape(b.waitsFor)}, held by ${b.heldBy.join(', ')}$`, 'm'));
    expect(text).toContain(`Wait-for cycle: ${failure.trace.outcome.cycle!.join(' → ')}`);
    expect(text).toContain(`Replay token: ${failure.replay}\nReplay it:    npx interleave replay scenarios/locks.ts ${failure.replay}\n`);
  });

  it('shows a lost wakeup: the buffer column, the woken waiter, the blocked set', async () => {
    const scenario = byName('one condition');
    const failure = await failureOf(scenario, { seed: 7, runs: 3000 });
    expect(['lost-wakeup', 'deadlock']).toContain(failure.kind);
    const text = renderTextReport(failure, { scenario: scenario.name });
    expect(text.split('\n')[0]).toBe(`= Interleave: ${failure.kind} in scenario 'one condition' =`);
    expect(tableLines(text)[0]).toMatch(/^\| step \| producer-0 +\| producer-1 +\| consumer-0 +\| consumer-1 +\| buffer \| time \|$/);
    expect(text).toMatch(/notify\(changed\): woke (producer|consumer)-\d/);
    expect(text).toContain('woke from wait(changed)');
    for (const b of failure.trace.outcome.blocked!) expect(text).toMatch(new RegExp(`^  ${b.thread} +waits in wait\\(changed\\)$`, 'm'));
    // The file is unknown here: the command says so rather than guessing.
    expect(text).toContain(`npx interleave replay <scenario-file> ${failure.replay}`);
  });

  it('keeps every step of a long trace, with columns cut to width', async () => {
    const spin = defineScenario({
      name: 'spin with a very long thread name',
      setup: () => ({ flag: false }),
      threads: {
        'a-thread-whose-name-is-far-too-long-for-a-column': async (s, rt) => {
          while (!s.flag) await rt.yield();
        },
        b: async (s, rt) => {
          while (!s.flag) await rt.yield();
        },
      },
    });
    const failure = await failureOf(spin, { seed: 2, runs: 5, maxSteps: 40 });
    expect(failure.kind).toBe('step-limit');
    const text = renderTextReport(failure, { scenario: spin.name, maxColumnWidth: 12 });
    const lines = tableLines(text);
    expect(new Set(lines.map((line) => Array.from(line).length)).size).toBe(1);
    expect(lines[0]).toContain('| a-thread-wh… |');
    expect(stepColumn(text)).toEqual(failure.trace.steps.map((s) => s.index));
    expect(failure.trace.steps.length).toBeGreaterThan(40);
    expect(text).toContain(`Repeating cycle (one turn, oldest first): ${failure.trace.outcome.repeating!.join(' → ')} → (again)`);
  });

  it('gives timer callbacks a column of their own, and shows virtual time', async () => {
    const timers = defineScenario({
      name: 'timer then throw',
      setup: () => ({ fired: 0 }),
      threads: {
        sleeper: async (s, rt) => {
          setTimeout(() => {
            s.fired++;
          }, 5);
          await rt.sleep(10);
          throw new Error(`woke after ${s.fired} timer(s)\nsecond line`);
        },
      },
    });
    const failure = await failureOf(timers, { seed: 1, runs: 5 });
    expect(failure.kind).toBe('exception');
    const text = renderTextReport(failure, { scenario: timers.name });
    expect(tableLines(text)[0]).toMatch(/^\| step \| sleeper +\| timers +\| time \|$/);
    expect(text).toMatch(/\| timer#\d+: setTimeout\(5\) +\| +5ms \|/);
    expect(text).toContain('threw Error: woke after 1 timer(s) …');
    expect(text).toMatch(/\| +10ms \|/);
  });
});

describe('summaries', () => {
  it('say pass or fail against the expectation, with executions, steps, strategy and seed', async () => {
    const scenario = byName('two locks');
    const result = await explore(scenario, { seed: 1, runs: 200 });
    const line = summaryLine(summarize(scenario, result));
    expect(line).toMatch(/^PASS {2}two locks: found the expected deadlock at step \d+ of its replay after \d+ executions? \(\d+ steps\); strategy \w+, seed 1, \d+ms$/);
    const unexpected = summaryLine(summarize({ name: scenario.name, expected: 'ok' }, result));
    expect(unexpected).toMatch(/^FAIL {2}two locks: deadlock at step \d+ of its replay \(expected no failure\) after \d+ executions?/);
    const clean = summaryLine(summarize({ name: 'x', expected: 'ok' }, { ok: true, executions: 1234, steps: 56789, elapsedMs: 1500, seed: 9, exhausted: false, strategy: 'random' }));
    expect(clean).toBe('PASS  x: no failure in 1,234 executions (56,789 steps); strategy random, seed 9, 1.50s');
  });
});

describe('writing reports', () => {
  const temps: string[] = [];
  afterAll(() => Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true }))));

  it('slugs names deterministically', () => {
    expect(slug('Two Locks')).toBe('two-locks');
    expect(slug('if monitor, unexpected')).toBe('if-monitor-unexpected');
    expect(slug('Ünïcode / path\\..')).toBe('unicode-path');
    expect(slug('***')).toBe('scenario');
    expect(slug('x'.repeat(100))).toHaveLength(64);
  });

  it('writes failure.txt, trace.json, trace.html and trace.mmd under the slug, leaving no temporary file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'interleave-report-'));
    temps.push(dir);
    const scenario = byName('two locks');
    const failure = await failureOf(scenario, { seed: 1, runs: 200 });
    const written = await writeReports(dir, scenario.name, failure, 'scenarios/locks.ts');
    const folder = join(dir, 'two-locks');
    expect(written).toEqual({
      dir: folder,
      text: join(folder, 'failure.txt'),
      json: join(folder, 'trace.json'),
      html: join(folder, 'trace.html'),
      mermaid: join(folder, 'trace.mmd'),
    });
    expect((await readdir(folder)).sort()).toEqual(['failure.txt', 'trace.html', 'trace.json', 'trace.mmd']);
    const named = { scenario: scenario.name, file: 'scenarios/locks.ts' };
    expect(await readFile(written.text, 'utf8')).toBe(renderTextReport(failure, named));
    expect(traceFromJson(await readFile(written.json, 'utf8'))).toEqual(failure.trace);
    expect(await readFile(written.html, 'utf8')).toBe(renderTraceHtml(failure, named));
    expect(await readFile(written.mermaid, 'utf8')).toBe(renderMermaid(failure.trace));
    // Written again, the same failure gives the same bytes.
    const before = await Promise.all([written.json, written.html, written.mermaid].map((path) => readFile(path, 'utf8')));
    await writeReports(dir, scenario.name, failure, 'scenarios/locks.ts');
    expect(await Promise.all([written.json, written.html, written.mermaid].map((path) => readFile(path, 'utf8')))).toEqual(before);
  });

  it('fails with an error naming the directory when it cannot be written, leaving nothing behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'interleave-report-'));
    temps.push(dir);
    await writeFile(join(dir, 'blocker'), '');
    const failure = await failureOf(byName('two locks'), { seed: 1, runs: 200 });
    const target = join(dir, 'blocker', 'reports');
    const error = await writeReports(target, 'two locks', failure).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReportDirError);
    expect((error as Error).message).toContain(`cannot write reports to '${join(target, 'two-locks')}': part of that path is a file, not a directory`);
    expect(await readdir(dir)).toEqual(['blocker']);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
