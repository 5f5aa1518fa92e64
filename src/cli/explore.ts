import { explore } from '../explore/explore.ts';
import type { ExploreOptions } from '../explore/options.ts';
import type { ExploreResult } from '../explore/result.ts';
import { replayCommand } from '../report/command.ts';
import { runSummary, runVerdict, summarize, summaryText, type ScenarioSummary } from '../report/summary.ts';
import { ensureWritableDir, removeReports, reportFiles, slug, writeReports, writeSummary } from '../report/write.ts';
import type { StrategyName } from '../explore/strategies/index.ts';
import { loadScenarioFile, resolveScenarioFiles, type LoadedScenario } from './load.ts';
import type { Output } from './output.ts';
import { EXIT_FAILURE, EXIT_OK, parseSeed, UsageError } from './usage.ts';

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
}

/**
 * `interleave explore`: loads every scenario first (so a broken file stops
 * the run before anything is explored or written), explores each in turn,
 * then writes the reports. Exit 0 when every scenario met its expectation.
 */
export async function runExplore(paths: readonly string[], flags: ExploreFlags, io: Output): Promise<number> {
  const files = await resolveScenarioFiles(paths);
  const loaded: LoadedScenario[] = [];
  for (const file of files) loaded.push(...(await loadScenarioFile(file)));
  await ensureWritableDir(flags.reportDir);

  const options: ExploreOptions = {};
  if (flags.strategy !== undefined) options.strategy = flags.strategy;
  if (flags.runs !== undefined) options.runs = flags.runs;
  const seed = flags.seed ?? seedFromEnv(process.env.INTERLEAVE_SEED);
  if (seed !== undefined) options.seed = seed;
  if (flags.maxSteps !== undefined) options.maxSteps = flags.maxSteps;
  if (flags.timeLimit !== undefined) options.timeLimitMs = flags.timeLimit;
  if (flags.preemptions !== undefined) options.preemptions = flags.preemptions;
  if (flags.depth !== undefined) options.depth = flags.depth;
  if (flags.startTime !== undefined) options.startTime = flags.startTime;

  // Lines go to stderr under --json, so stdout holds the one JSON document and nothing else.
  const say = flags.json === true ? io.err : io.out;
  const c = flags.json === true ? io.errColors : io.outColors;
  const slugs = uniqueSlugs(loaded);
  const results: { readonly entry: LoadedScenario; readonly result: ExploreResult; readonly slug: string }[] = [];
  const summaries: ScenarioSummary[] = [];
  for (const [i, entry] of loaded.entries()) {
    let result: ExploreResult;
    try {
      result = await explore(entry.scenario, options);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new UsageError(`'${entry.file.display}': ${why.startsWith('scenario ') ? why : `scenario '${entry.scenario.name}' cannot be explored: ${why}`}`);
    }
    const summary = summarize(entry.scenario, result, {
      file: entry.file.display,
      ...(result.failure === undefined ? {} : { reports: reportFiles(flags.reportDir, slugs[i]!) }),
    });
    results.push({ entry, result, slug: slugs[i]! });
    summaries.push(summary);
    say(`${summary.verdict === 'pass' ? c.green('PASS') : c.red(c.bold('FAIL'))}  ${summaryText(summary)}\n`);
    if (summary.verdict === 'fail' && summary.message !== undefined) say(indent(summary.message, 6, c.dim) + '\n');
    if (summary.reports !== undefined) say(`      report: ${summary.reports.text}\n`);
    if (summary.verdict === 'fail' && summary.replay !== undefined) say(`      replay: ${replayCommand(summary.replay, entry.file.display)}\n`);
  }

  // Written only now that every scenario has run: a run that stops on bad input leaves nothing behind.
  for (const { entry, result, slug: folder } of results) {
    if (result.failure === undefined) await removeReports(flags.reportDir, folder);
    else await writeReports(flags.reportDir, entry.scenario.name, result.failure, entry.file.display, { slug: folder });
  }
  const run = runSummary(summaries);
  const summaryPath = await writeSummary(flags.reportDir, run);

  const verdict = run.ok ? c.green(runVerdict(run)) : c.red(runVerdict(run));
  say(`\n${verdict}. Summary: ${summaryPath}\n`);
  if (flags.json === true) io.out(`${JSON.stringify(run, null, 2)}\n`);
  return run.ok ? EXIT_OK : EXIT_FAILURE;
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

/** Folder names for the scenarios: their slugs, with `-2`, `-3`... where two would share one. */
function uniqueSlugs(loaded: readonly LoadedScenario[]): string[] {
  const used = new Set<string>();
  return loaded.map(({ scenario }) => {
    const base = slug(scenario.name);
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
    used.add(name);
    return name;
  });
}

function indent(text: string, by: number, style: (s: string) => string): string {
  const pad = ' '.repeat(by);
  return text
    .split('\n')
    .map((line) => pad + style(line))
    .join('\n');
}
