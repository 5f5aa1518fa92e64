import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { renderJUnit } from '../report/junit.ts';
import { renderMermaidReport } from '../report/mermaidReport.ts';
import type { RunSummary, ScenarioSummary } from '../report/summary.ts';
import type { Output } from './output.ts';
import type { Reporters } from './reporters.ts';
import { UsageError } from './usage.ts';

/** A scenario of the run with what the reporters may need of its failure: the text report and the diagram, made when asked for. */
export interface ReportedScenario {
  readonly summary: ScenarioSummary;
  readonly text?: () => string;
  readonly diagram?: () => string;
}

/** Writes the machine-readable reporters that go to stdout: json, junit (without --junit-file), mermaid. */
export function emitReporters(reporters: Reporters, run: RunSummary, reported: readonly ReportedScenario[], io: Output): void {
  if (reporters.json) io.out(`${JSON.stringify(run, null, 2)}\n`);
  if (reporters.junit !== false && reporters.junit.file === undefined) io.out(junitOf(run, reported));
  if (reporters.mermaid) {
    io.out(
      renderMermaidReport(
        reported
          .filter((r) => r.diagram !== undefined && r.summary.kind !== undefined)
          .map(({ summary: s, diagram }) => ({ scenario: s.scenario, kind: s.kind!, diagram: diagram!(), ...(s.file === undefined ? {} : { file: s.file }), ...(s.step === undefined ? {} : { step: s.step }) })),
      ),
    );
  }
}

/**
 * Writes `--junit-file` under a temporary name beside it, to be renamed into
 * place once the run's reports are: a run that fails to write either leaves
 * neither behind.
 */
export async function stageJUnitFile(reporters: Reporters, run: RunSummary, reported: readonly ReportedScenario[]): Promise<{ commit(): Promise<void>; discard(): Promise<void> } | undefined> {
  if (reporters.junit === false || reporters.junit.file === undefined) return undefined;
  const path = reporters.junit.file;
  const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, junitOf(run, reported));
  } catch (error) {
    throw new UsageError(`cannot write the JUnit report to '${path}': ${(error as Error).message}. Choose another path with --junit-file.`);
  }
  return { commit: () => rename(temp, path), discard: () => rm(temp, { force: true }) };
}

function junitOf(run: RunSummary, reported: readonly ReportedScenario[]): string {
  const texts = new Map(reported.map((r) => [r.summary, r.text]));
  return renderJUnit(run, (s) => texts.get(s)?.());
}
