import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { renderJUnit } from '../report/junit.ts';
import { renderMermaidReport } from '../report/mermaidReport.ts';
import { printableJson } from '../report/printable.ts';
import type { StagedReportDir } from '../report/stagedDir.ts';
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
  if (reporters.json) io.out(`${printableJson(JSON.stringify(run, null, 2))}\n`);
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
 * Writes `--junit-file` where the run's files are put in place together: into
 * the staged report directory when the path lies inside the report directory
 * (so that it arrives with the reports, and the swap cannot lose it), or else
 * under a temporary name beside its place, with the folders it needs, to be
 * renamed into place once the reports are. A run that fails to write either
 * leaves neither behind, nor a folder made for them.
 */
export async function stageJUnitFile(
  staged: StagedReportDir,
  reporters: Reporters,
  run: RunSummary,
  reported: readonly ReportedScenario[],
): Promise<{ commit(): Promise<void>; discard(): Promise<void> } | undefined> {
  if (reporters.junit === false || reporters.junit.file === undefined) return undefined;
  const path = reporters.junit.file;
  const xml = junitOf(run, reported);
  const refuse = (why: string): never => {
    throw new UsageError(`cannot write the JUnit report to '${path}': ${why}. Choose another path with --junit-file.`);
  };
  const inside = staged.inside(path);
  if (inside !== undefined) {
    const staging = join(staged.stage, inside);
    if (existsSync(staging)) refuse(`the run writes '${join(staged.dir, inside)}' itself`);
    try {
      await mkdir(dirname(staging), { recursive: true });
      await writeFile(staging, xml);
    } catch (error) {
      refuse((error as Error).message);
    }
    return { commit: async () => {}, discard: async () => {} };
  }
  let made: string | undefined;
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const discard = async (): Promise<void> => {
    await rm(temp, { force: true }).catch(() => undefined);
    if (made !== undefined) await rm(made, { recursive: true, force: true }).catch(() => undefined);
  };
  try {
    made = await mkdir(dirname(resolve(path)), { recursive: true });
    await writeFile(temp, xml);
  } catch (error) {
    await discard();
    refuse((error as Error).message);
  }
  return {
    commit: () =>
      rename(temp, path).catch(async (error: Error) => {
        await discard();
        refuse(error.message);
      }),
    discard,
  };
}

function junitOf(run: RunSummary, reported: readonly ReportedScenario[]): string {
  const texts = new Map(reported.map((r) => [r.summary, r.text]));
  return renderJUnit(run, (s) => texts.get(s)?.());
}
