/**
 * The quick start's promise, checked: `interleave explore scenarios/` exits 0,
 * writes the reports (text, JSON, HTML, Mermaid) of every buggy scenario of the library, and
 * every token in those reports replays to the same failure, trace for trace.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { replay, traceToJson, type Scenario } from 'interleave';

const ROOT = resolve(import.meta.dirname, '..');

interface Summary {
  readonly ok: boolean;
  readonly scenarios: readonly { scenario: string; file: string; expected: unknown; kind?: string; reports?: { text: string; json: string; html: string; mermaid: string } }[];
}

function explore(reportDir: string): Promise<{ code: number; stdout: string }> {
  const env = { ...process.env };
  delete env.INTERLEAVE_SEED;
  return new Promise((done) => {
    execFile(
      'node',
      ['bin/interleave.js', 'explore', 'scenarios', '--runs', '500', '--seed', '2026', '--report-dir', reportDir, '--json'],
      { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout) => done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout }),
    );
  });
}

it('explores the library, reports every buggy scenario, and every report token replays to the same failure', async () => {
  const reportDir = await mkdtemp(join(tmpdir(), 'interleave-library-'));
  try {
    const { code, stdout } = await explore(reportDir);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout) as Summary;
    expect(summary.ok).toBe(true);
    const files = (await readdir(join(ROOT, 'scenarios'))).filter((f) => f.endsWith('.ts'));
    expect(summary.scenarios.length).toBeGreaterThanOrEqual(files.length);
    const buggy = summary.scenarios.filter((s) => s.expected !== 'ok');
    expect(buggy.length).toBeGreaterThanOrEqual(12);
    for (const entry of buggy) {
      expect(entry.reports, entry.scenario).toBeDefined();
      const text = await readFile(resolve(ROOT, entry.reports!.text), 'utf8');
      const json = await readFile(resolve(ROOT, entry.reports!.json), 'utf8');
      const token = /Replay token: (IL1-[A-Za-z0-9_-]+)/.exec(text)?.[1];
      expect(token, entry.scenario).toBeDefined();
      expect(JSON.parse(json).replay).toBe(token);
      // The viewer and the diagram are written beside them (the browser suite opens them).
      expect(await readFile(resolve(ROOT, entry.reports!.html), 'utf8')).toContain('<script type="application/json" id="trace-data">');
      expect(await readFile(resolve(ROOT, entry.reports!.mermaid), 'utf8')).toMatch(/^sequenceDiagram\n/);
      const module = (await import(resolve(ROOT, entry.file))) as { default: Scenario | Scenario[] };
      const scenario = [module.default].flat().find((s) => s.name === entry.scenario)!;
      const again = await replay(scenario, token!);
      expect(again.failure?.kind, entry.scenario).toBe(entry.kind);
      expect(traceToJson(again.failure!.trace)).toBe(json);
    }
  } finally {
    await rm(reportDir, { recursive: true, force: true });
  }
});
