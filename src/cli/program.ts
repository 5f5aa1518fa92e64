import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { STRATEGY_NAMES } from '../explore/strategies/strategy.ts';
import { printable } from '../report/printable.ts';
import type { ExploreFlags } from './explore.ts';
import type { MergeFlags } from './merge.ts';
import { collectReporters, REPORTER_NAMES } from './reporters.ts';
import type { Output } from './output.ts';
import type { ReplayFlags } from './replay.ts';
import {
  EXIT_OK,
  EXIT_USAGE,
  parseDepth,
  parseLoadTimeout,
  parseMaxSteps,
  parsePreemptions,
  parseRuns,
  parseSeed,
  parseShard,
  parseStartTime,
  parseOutcomes,
  parseStepTimeout,
  parseTimeLimit,
  parseWorkerHeapMb,
  parseWorkers,
  UsageError,
} from './usage.ts';


function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Runs the `interleave` command line and returns its exit code: 0 when every
 * scenario met its expectation (or a replay ran clean), 1 when a bug was
 * found that was not expected or an expected one was not, 2 for bad usage.
 */
export async function runCli(argv: readonly string[], io: Output): Promise<number> {
  let code = EXIT_OK;
  const program = new Command('interleave')
    .description('Deterministic concurrency testing for TypeScript: explore interleavings of scenario files, replay a failure from its token.')
    .version(version(), '-V, --version')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (text) => io.out(text),
      writeErr: (text) => io.err(text),
      outputError: () => {}, // printed below, in our words, as one paragraph
    });

  program
    .command('explore')
    .description('Explore the scenarios of files or directories (every .ts/.mts/.js file in a directory) and write a report for every failure.')
    .argument('<paths...>', 'scenario files or directories')
    .addOption(new Option('--strategy <name>', 'exploration strategy').choices(STRATEGY_NAMES))
    .option('--runs <count>', 'executions per scenario (default 10,000)', parseRuns)
    .option('--seed <n>', 'seed of the exploration (default: random, or INTERLEAVE_SEED; always printed)', parseSeed)
    .option('--max-steps <count>', 'steps per execution before a livelock is suspected (default 10,000)', parseMaxSteps)
    .option('--time-limit <ms>', 'wall-clock budget per scenario, in milliseconds', parseTimeLimit)
    .option('--preemptions <n>', 'dfs (alone or in the portfolio): search schedules with at most n preemptions (default: unbounded)', parsePreemptions)
    .option('--depth <d>', 'pct: the bug depth aimed at, d-1 priority change points per execution (default 3)', parseDepth)
    .option('--start-time <ms>', 'where virtual time starts, in epoch milliseconds (default 2025-01-01T12:00:00Z)', parseStartTime)
    .option('--report-dir <dir>', 'where reports are written; each run replaces its content as a whole', 'reports')
    .option('--json', 'print one machine-readable summary on stdout (the per-scenario lines go to stderr)')
    .option('--reporter <names>', `what to print: ${REPORTER_NAMES.join(', ')} (repeatable or comma-separated; default text)`, collectReporters)
    .option('--junit-file <path>', 'write the JUnit XML to this file instead of stdout (implies --reporter junit)')
    .option('--workers <n>', 'worker threads; each scenario is split among them (default: one per core)', parseWorkers)
    .option('--shard <i/n>', "explore only the i-th of n shards of the run (CI machines; join their summaries with 'interleave merge')", parseShard)
    .option('--regressions <file>', 'replay the tokens of this file first, and append the tokens of failures found to it')
    .option('--load-timeout <ms>', 'how long a scenario file may take to load (default 30,000)', parseLoadTimeout)
    .option('--step-timeout <ms>', 'how long one step may run before it is reported as a hang and its worker terminated (default 5,000)', parseStepTimeout)
    .option('--worker-heap-mb <mb>', "each worker thread's heap limit, in MB: a thread that exhausts it is a finding of its scenario (default: Node's)", parseWorkerHeapMb)
    .option('--outcomes <n>', "rows of a scenario's outcome table to print, or 'all' (default 20; forbidden outcomes always; summary.json has every one)", parseOutcomes)
    .option('--allow-unfinished', 'pass a scenario whose executions ran out of steps while still progressing (default: INCOMPLETE, exit 1)')
    .option('--no-progress', 'no progress bars or progress lines')
    .action(async (paths: string[], flags: ExploreFlags) => {
      // Loaded on demand, so --help and a usage error answer without loading the engine.
      const { runExplore } = await import('./explore.ts');
      code = await runExplore(paths, flags, io);
    });

  program
    .command('merge')
    .description("Join the summary.json files of a sharded run's shards (--shard i/n) into one summary and reports, with one exit code.")
    .argument('<summaries...>', "each shard's summary.json (its report folders beside it are copied)")
    .option('--report-dir <dir>', 'where the joined reports are written; replaced as a whole', 'reports')
    .option('--json', 'print the joined summary on stdout (the per-scenario lines go to stderr)')
    .option('--reporter <names>', `what to print: ${REPORTER_NAMES.join(', ')} (repeatable or comma-separated; default text)`, collectReporters)
    .option('--junit-file <path>', 'write the JUnit XML to this file instead of stdout (implies --reporter junit)')
    .action(async (summaries: string[], flags: MergeFlags) => {
      const { runMerge } = await import('./merge.ts');
      code = await runMerge(summaries, flags, io);
    });

  program
    .command('replay')
    .description('Re-run the one execution a replay token recorded and print its report (exit 1 when it shows a failure).')
    .argument('<path>', 'the scenario file that printed the token, or a directory of scenario files')
    .argument('<token>', 'the replay token (IL1-...)')
    .option('--json', 'print the JSON trace instead of the text report')
    .option('--step-timeout <ms>', 'how long one step may run before the replay is reported as a hang (default 5,000)', parseStepTimeout)
    .option('--worker-heap-mb <mb>', "the worker thread's heap limit, in MB, as explore was given it (default: Node's)", parseWorkerHeapMb)
    .action(async (file: string, token: string, flags: ReplayFlags) => {
      const { runReplay } = await import('./replay.ts');
      code = await runReplay(file, token, flags, io);
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return EXIT_OK; // --help, --version
      const command = program.commands.find((c) => argv.includes(c.name()))?.name();
      const help = command === undefined ? 'interleave --help' : `interleave ${command} --help`;
      const message = error.message.replace(/^error: /, '');
      // No command at all: commander has already printed the help, to stderr.
      if (error.code === 'commander.help') return EXIT_USAGE;
      printError(io, `${sentence(message)} Run '${help}' for usage.`);
      return EXIT_USAGE;
    }
    if (error instanceof UsageError || (error instanceof Error && error.name === 'ReportDirError')) {
      printError(io, sentence(error.message));
      return EXIT_USAGE;
    }
    printError(io, `internal error, please report it: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return EXIT_USAGE;
  }
}

function printError(io: Output, paragraph: string): void {
  // The paragraph may quote a scenario's own words (a name, a thrown message): nothing in it may act on the terminal.
  io.err(`${io.errColors.red(io.errColors.bold('interleave:'))} ${printable(paragraph)}\n`);
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?)]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
