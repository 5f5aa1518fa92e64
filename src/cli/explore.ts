import { randomInt } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_STEP_TIMEOUT_MS } from '../explore/options.ts';
import { checkRegressionFile, recordRegression, RegressionFileError } from '../explore/regressions.ts';
import type { StrategyName } from '../explore/strategies/index.ts';
import { StagedReportDir } from '../report/stagedDir.ts';
import { runSummary, summarize, type ScenarioSummary } from '../report/summary.ts';
import { renderMermaid } from '../report/mermaid.ts';
import { renderTextReport } from '../report/text.ts';
import { reportFiles, SUMMARY_FILE, uniqueSlugs, writeReports, type ReportFiles } from '../report/write.ts';
import type { Failure } from '../explore/result.ts';
import { Board } from './board.ts';
import { closingLines, scenarioLines } from './lines.ts';
import { resolveScenarioFiles } from './load.ts';
import { DEFAULT_LOAD_TIMEOUT_MS, loadInWorkers, type ListedScenario } from './loadInWorkers.ts';
import type { Output } from './output.ts';
import { partsOf } from './parts.ts';
import { defaultWorkers, startPool, type WorkerPool } from './pool.ts';
import { noProgress, progressLines, type ProgressView } from './progress.ts';
import { progressBars } from './progressBars.ts';
import { commitRun } from './commitRun.ts';
import { emitReporters, type ReportedScenario } from './emitReporters.ts';
import { resolveReporters, type ReporterName, type Reporters } from './reporters.ts';
import { runParts, type PlannedScenario, type ScenarioOutcome } from './runParts.ts';
import { shardSlices } from './shard.ts';
import { onStopSignals, signalExitCode, type StopSignal } from './signals.ts';
import { EXIT_FAILURE, EXIT_OK, parseSeed, UsageError, type Shard } from './usage.ts';

export interface ExploreFlags {
  readonly strategy?: StrategyName;
  readonly runs?: number;
  readonly seed?: number;
  readonly maxSteps?: number;
  readonly timeLimit?: number;
  readonly preemptions?: number;
  readonly depth?: number;
  readonly startTime?: number;
  readonly reportDir: string;
  readonly json?: boolean;
  readonly reporter?: ReporterName[];
  readonly junitFile?: string;
  readonly workers?: number;
  readonly shard?: Shard;
  readonly regressions?: string;
  readonly loadTimeout?: number;
  readonly stepTimeout?: number;
  readonly workerHeapMb?: number;
  readonly outcomes?: number;
  /** False with --no-progress. */
  readonly progress?: boolean;
  /** Executions that ran out of steps while still progressing may pass (otherwise the scenario is INCOMPLETE). */
  readonly allowUnfinished?: boolean;
}

/** explore()'s run count when none is given (the contract's default): the budget the parts share. */
const DEFAULT_RUNS = 10_000;
/** Plain progress lines, when the output is not a terminal: this often (INTERLEAVE_PROGRESS_MS changes it). */
const PROGRESS_LINE_MS = 5_000;

/**
 * `interleave explore`: loads every scenario file in worker threads first
 * (so a broken file stops the run before anything is explored or written),
 * explores each scenario's parts across the workers, then writes the
 * reports into a fresh directory that replaces the report directory whole.
 * Exit 0 when every scenario met its expectation, 1 when one did not, 130,
 * 143 or 129 when Ctrl-C, SIGTERM or SIGHUP stopped it (having written what
 * was found).
 */
export async function runExplore(paths: readonly string[], flags: ExploreFlags, io: Output): Promise<number> {
  const reporters = resolveReporters(flags.reporter, flags);
  const givenSeed = flags.seed ?? seedFromEnv(process.env.INTERLEAVE_SEED);
  if (flags.shard !== undefined && givenSeed === undefined) {
    throw new UsageError(
      `--shard ${flags.shard.index}/${flags.shard.count} needs --seed (or INTERLEAVE_SEED): every shard must explore the same run for their parts to fit together. ` +
        `Give every job of the CI matrix the same seed, such as the workflow's run number.`,
    );
  }
  const seed = givenSeed ?? randomInt(0, 0xffffffff);
  if (flags.regressions !== undefined) await checkRegressionFile(flags.regressions).catch(asUsageError);
  const files = await resolveScenarioFiles(paths);
  const workers = flags.workers ?? defaultWorkers();
  const staged = await StagedReportDir.create(flags.reportDir);
  const view = progressView(flags, reporters, io);
  const say = (text: string): void => (reporters.text ? view.print(text) : undefined);
  const c = reporters.lines === 'stderr' ? io.errColors : io.outColors;

  let stopSignal: StopSignal | undefined;
  let board: Board | undefined;
  let stopLoading: (() => void) | undefined;
  const removeSignals = onStopSignals(
    (signal) => {
      stopSignal = signal;
      board?.stopAll();
      stopLoading?.();
    },
    (signal) => {
      // A second Ctrl-C: no more waiting. Nothing of this run is left half-written.
      view.stop();
      rmSync(staged.stage, { recursive: true, force: true });
      process.exit(signalExitCode(signal));
    },
  );
  let pool: WorkerPool | undefined;
  try {
    pool = startPool(workers, { heapMb: flags.workerHeapMb, scenarioStdout: reporters.lines === 'stderr' ? 'stderr' : 'stdout' });
    const loading = loadInWorkers(pool, files, flags.loadTimeout ?? DEFAULT_LOAD_TIMEOUT_MS);
    const listed = await Promise.race([loading, new Promise<undefined>((resolve) => (stopLoading = () => resolve(undefined)))]);
    if (listed === undefined || stopSignal !== undefined) {
      loading.catch(() => undefined);
      return await nothingExplored(staged, view, io, stopSignal!);
    }
    // Proof mode runs until it has tried every partial order, unless --runs bounds it.
    const plan = planRun(listed, seed, flags.runs ?? (flags.strategy === 'proof' ? Number.MAX_SAFE_INTEGER : DEFAULT_RUNS), workers, flags.shard);
    board = Board.create(plan.length, plan.reduce((n, p) => n + p.parts.length, 0));
    if (stopSignal !== undefined) board.stopAll();

    const slugs = uniqueSlugs(plan.map((p) => p.listed.meta.name));
    const started = performance.now();
    const outcomes = await runParts(pool, plan, board, { ...partOptions(flags), stepTimeoutMs: flags.stepTimeout ?? DEFAULT_STEP_TIMEOUT_MS, ...(flags.workerHeapMb === undefined ? {} : { workerHeapMb: flags.workerHeapMb }) }, seed, {
      progress: (rows) => view.update(rows),
      done: (outcome) => {
        if (outcome.result !== undefined) say(scenarioLines(summarizeOutcome(outcome, flags), c, flags.outcomes));
      },
    });
    const elapsedMs = performance.now() - started;
    view.stop();

    // Stopped before any part began: there is nothing to write. (A shard given no part at all writes its empty summary.)
    if (stopSignal !== undefined && outcomes.every((o) => o.result === undefined)) return await nothingExplored(staged, view, io, stopSignal);
    const reported: (ReportedScenario & { readonly failure?: Failure })[] = [];
    for (const [i, outcome] of outcomes.entries()) {
      if (outcome.result === undefined) continue;
      const { file, meta } = outcome.planned.listed;
      const failure = outcome.result.failure;
      if (failure === undefined) {
        reported.push({ summary: summarizeOutcome(outcome, flags) });
        continue;
      }
      await writeReports(staged.stage, meta.name, failure, file.display, { slug: slugs[i]! });
      reported.push({
        summary: summarizeOutcome(outcome, flags, reportFiles(flags.reportDir, slugs[i]!)),
        text: () => renderTextReport(failure, { scenario: meta.name, file: file.display }),
        diagram: () => renderMermaid(failure.trace),
        failure,
      });
    }
    const notExplored = outcomes.filter((o) => o.result === undefined).map((o) => ({ scenario: o.planned.listed.meta.name, file: o.planned.listed.file.display }));
    const run = runSummary(
      reported.map((r) => r.summary),
      { seed, workers, ...(flags.shard === undefined ? {} : { shard: flags.shard }), elapsedMs: Math.round(elapsedMs), ...(stopSignal === undefined ? {} : { interrupted: true, notExplored }) },
    );
    await commitRun(staged, run, reported, reporters);
    if (flags.regressions !== undefined) {
      // A failure found by a part other than the first (which records its own) goes into the file too.
      for (const { summary, failure } of reported) if (failure !== undefined) await recordRegression(flags.regressions, summary.scenario, failure);
    }

    say(closingLines(run, flags.reportDir, join(flags.reportDir, SUMMARY_FILE), c));
    emitReporters(reporters, run, reported, io);
    if (stopSignal !== undefined) return signalExitCode(stopSignal);
    return run.ok ? EXIT_OK : EXIT_FAILURE;
  } catch (error) {
    view.stop();
    await staged.discard();
    throw error;
  } finally {
    removeSignals();
    await pool?.destroy();
  }
}

/** Stopped before any scenario was explored: the report directory stays as the previous run left it. */
async function nothingExplored(staged: StagedReportDir, view: ProgressView, io: Output, signal: StopSignal): Promise<number> {
  view.stop();
  await staged.discard();
  io.err(`interleave: interrupted (${signal}) before any scenario was explored; nothing was written.\n`);
  return signalExitCode(signal);
}

function progressView(flags: ExploreFlags, reporters: Reporters, io: Output): ProgressView {
  const write = reporters.text && reporters.lines === 'stdout' ? io.out : io.err;
  if (flags.progress === false) return noProgress(write);
  const terminal = reporters.text && reporters.lines === 'stdout' ? io.terminals?.out : io.terminals?.err;
  if (terminal !== undefined) return progressBars(terminal);
  const every = Number(process.env.INTERLEAVE_PROGRESS_MS ?? PROGRESS_LINE_MS);
  return progressLines(write, Number.isFinite(every) && every > 0 ? every : PROGRESS_LINE_MS);
}

/** Which parts of which scenarios this run explores (see shard.ts and parts.ts). */
function planRun(listed: readonly ListedScenario[], seed: number, runs: number, workers: number, shard: Shard | undefined): PlannedScenario[] {
  return shardSlices(listed, workers, shard)
    .map(({ item, from, to, total }) => ({ listed: item, parts: partsOf(seed, runs, from, to, total), from, to, total }))
    .filter((planned) => planned.parts.length > 0);
}

function partOptions(flags: ExploreFlags) {
  return {
    ...(flags.strategy === undefined ? {} : { strategy: flags.strategy }),
    ...(flags.maxSteps === undefined ? {} : { maxSteps: flags.maxSteps }),
    ...(flags.timeLimit === undefined ? {} : { timeLimitMs: flags.timeLimit }),
    ...(flags.preemptions === undefined ? {} : { preemptions: flags.preemptions }),
    ...(flags.depth === undefined ? {} : { depth: flags.depth }),
    ...(flags.startTime === undefined ? {} : { startTime: flags.startTime }),
    ...(flags.regressions === undefined ? {} : { regressions: flags.regressions }),
  };
}

function summarizeOutcome(outcome: ScenarioOutcome, flags: ExploreFlags, reports?: ReportFiles): ScenarioSummary {
  const { planned, result } = outcome;
  const failed = outcome.failedPart === undefined ? {} : { failed: outcome.failedPart };
  return summarize(planned.listed.meta, result!, {
    file: planned.listed.file.display,
    allowUnfinished: flags.allowUnfinished === true,
    ...(reports === undefined ? {} : { reports }),
    ...(planned.total > 1 ? { parts: { from: planned.from, to: planned.to, of: planned.total, ...failed } } : {}),
  });
}

/** INTERLEAVE_SEED fixes the seed when --seed is not given; checked here so a bad one is blamed on itself, not on a scenario. */
function seedFromEnv(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return parseSeed(text);
  } catch {
    throw new UsageError(`INTERLEAVE_SEED must be a whole number from 0 to 4294967295; got '${text}'. Unset it, or pass --seed.`);
  }
}

function asUsageError(error: unknown): never {
  if (error instanceof RegressionFileError) throw new UsageError(error.message);
  throw error;
}
