import type { StagedReportDir } from '../report/stagedDir.ts';
import type { RunSummary } from '../report/summary.ts';
import { writeSummary } from '../report/write.ts';
import { stageJUnitFile, type ReportedScenario } from './emitReporters.ts';
import type { Reporters } from './reporters.ts';

/**
 * Finishes a run's files: the summary and index into the staged report
 * directory, the JUnit file (if asked for) into it too when it belongs
 * there, else beside its place; then both put in place. A failure on the
 * way leaves neither.
 */
export async function commitRun(staged: StagedReportDir, run: RunSummary, reported: readonly ReportedScenario[], reporters: Reporters): Promise<void> {
  await writeSummary(staged.stage, run, staged.dir);
  const junit = await stageJUnitFile(staged, reporters, run, reported);
  try {
    await staged.commit();
  } catch (error) {
    await junit?.discard();
    throw error;
  }
  await junit?.commit();
}
