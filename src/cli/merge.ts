import { existsSync, readFileSync } from 'node:fs';
import { copyFile, lstat, mkdir, readFile, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { MergeError, mergeSummaries, type ShardSummary } from '../report/merge.ts';
import { StagedReportDir } from '../report/stagedDir.ts';
import { runSummary, SUMMARY_SCHEMA, type RunSummary, type ScenarioSummary } from '../report/summary.ts';
import { checkSummary, SummarySchemaError, WHOLE_SUMMARY } from '../report/summarySchema.ts';
import { printable } from '../report/printable.ts';
import { MERMAID_DIAGRAM, REPORT_FILES, reportFiles, SUMMARY_FILE, TEXT_REPORT, uniqueSlugs } from '../report/write.ts';
import { commitRun } from './commitRun.ts';
import { emitReporters, type ReportedScenario } from './emitReporters.ts';
import { closingLines, scenarioLines } from './lines.ts';
import type { Output } from './output.ts';
import { resolveReporters, type ReporterName } from './reporters.ts';
import { EXIT_FAILURE, EXIT_OK, UsageError } from './usage.ts';

export interface MergeFlags {
  readonly reportDir: string;
  readonly json?: boolean;
  readonly reporter?: ReporterName[];
  readonly junitFile?: string;
}

/**
 * `interleave merge <summary.json>...`: joins the summaries of a sharded
 * run into one, copies each failure's report folder from beside its shard's
 * summary, and writes the report directory, the lines and the reporters as
 * a run would. Exit 0 when every scenario of the joined run met its
 * expectation, 1 otherwise (an interrupted shard included).
 */
export async function runMerge(paths: readonly string[], flags: MergeFlags, io: Output): Promise<number> {
  const reporters = resolveReporters(flags.reporter, flags);
  const shards = await Promise.all(paths.map(readShard));
  let merged: ReturnType<typeof mergeSummaries>;
  try {
    merged = mergeSummaries(shards);
  } catch (error) {
    if (error instanceof MergeError) throw new UsageError(`cannot merge the summaries: ${error.message}`);
    throw error;
  }
  const staged = await StagedReportDir.create(flags.reportDir);
  const say = reporters.text ? (reporters.lines === 'stdout' ? io.out : io.err) : () => {};
  const c = reporters.lines === 'stdout' ? io.outColors : io.errColors;
  try {
    const slugs = uniqueSlugs(merged.scenarios.map((s) => s.summary.scenario));
    const reported: ReportedScenario[] = [];
    for (const [i, { summary, from }] of merged.scenarios.entries()) {
      const copied = await copyReports(summary, from, staged.stage, slugs[i]!);
      if (!copied) {
        if (summary.reports !== undefined) io.err(`interleave: the reports of '${printable(summary.scenario, { oneLine: true })}' are not beside '${from.path}'; its summary and replay token are kept.\n`);
        const { reports: _gone, ...rest } = summary;
        reported.push({ summary: rest });
        continue;
      }
      const files = reportFiles(flags.reportDir, slugs[i]!);
      const folder = join(staged.stage, slugs[i]!);
      const final = join(flags.reportDir, slugs[i]!);
      reported.push({
        summary: { ...summary, reports: files },
        // Read from the stage until the directory is committed, from where the folder then is after.
        text: () => readFileSync(join(existsSync(folder) ? folder : final, TEXT_REPORT), 'utf8'),
        diagram: () => readFileSync(join(existsSync(folder) ? folder : final, MERMAID_DIAGRAM), 'utf8'),
      });
    }
    const { scenarios: _old, schema: _schema, version: _version, ok: _ok, passed: _passed, failed: _failed, ...details } = merged.run;
    const run: RunSummary = runSummary(
      reported.map((r) => r.summary),
      details,
    );
    await commitRun(staged, run, reported, reporters);
    for (const s of run.scenarios) say(scenarioLines(s, c));
    say(closingLines(run, flags.reportDir, join(flags.reportDir, SUMMARY_FILE), c));
    emitReporters(reporters, run, reported, io);
    return run.ok ? EXIT_OK : EXIT_FAILURE;
  } catch (error) {
    await staged.discard();
    throw error;
  }
}

async function readShard(path: string): Promise<ShardSummary> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `summary file '${path}' does not exist.` : `cannot read summary file '${path}': ${(error as Error).message}.`);
  }
  let run: unknown;
  try {
    run = JSON.parse(text);
  } catch {
    throw new UsageError(`'${path}' is not a summary.json written by 'interleave explore': it is not JSON.`);
  }
  try {
    return { path, run: checkSummary(run) };
  } catch (error) {
    if (!(error instanceof SummarySchemaError)) throw error;
    const what = error.field === WHOLE_SUMMARY ? `it ${error.problem}` : `its field ${error.message}`;
    throw new UsageError(`'${path}' is not a summary.json written by 'interleave explore' (schema ${SUMMARY_SCHEMA}, version 1): ${what}.`);
  }
}

/**
 * Copies a failure's report folder from beside its shard's summary into the new directory; false when there is none to
 * copy. Only what lies in the shard's folder is copied: a folder or a file that is a symbolic link leading out of it
 * (an artifact made to read other files of the machine merging it) is refused.
 */
async function copyReports(summary: ScenarioSummary, from: ShardSummary, stage: string, folder: string): Promise<boolean> {
  if (summary.reports === undefined) return false;
  // The summary names its reports as paths from where that run was started; beside the summary is where CI artifacts keep them.
  const shardDir = dirname(resolve(from.path));
  const source = join(shardDir, basename(dirname(summary.reports.text)));
  if (!existsSync(join(source, TEXT_REPORT))) return false;
  const [realShard, realSource] = await Promise.all([realpath(shardDir), realpath(source)]);
  const rel = relative(realShard, realSource);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new UsageError(`'${from.path}': the report folder of scenario '${summary.scenario}' ('${source}') leads out of the summary's folder; only reports beside a summary are merged.`);
  }
  await mkdir(join(stage, folder));
  for (const name of REPORT_FILES) {
    const file = join(source, name);
    const info = await lstat(file).catch(() => undefined);
    if (info === undefined) continue;
    if (!info.isFile()) throw new UsageError(`'${from.path}': '${file}' is not a plain file (a symbolic link, or a folder); only report files beside a summary are merged.`);
    await copyFile(file, join(stage, folder, name));
  }
  return true;
}
