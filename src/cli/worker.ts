/**
 * A worker thread of the CLI's pool (pool.ts starts them through
 * bin/worker.js). Scenario files are loaded here, never in the CLI's own
 * thread: a file that calls process.exit() ends only this thread, and one
 * whose top-level await never settles holds only this thread, which the
 * CLI can terminate. Every answer is plain data; errors the user can fix
 * come back as messages, not as exceptions, so they keep their wording.
 */
import { workerData } from 'node:worker_threads';
import { exploreWithHeartbeat, replayWithHeartbeat } from '../explore/explore.ts';
import { checkRegressionFile, RegressionFileError } from '../explore/regressions.ts';
import { TokenError } from '../explore/token.ts';
import { Board, PART_DONE, PART_RUNNING } from './board.ts';
import { loadScenarioFile, type LoadedScenario } from './load.ts';
import type { WorkerSettings } from './pool.ts';
import type { ExploreAnswer, ExploreTask, LoadAnswer, LoadTask, ReplayAnswer, ReplayTask, Task } from './tasks.ts';
import { UsageError } from './usage.ts';

// When a machine-readable reporter owns the CLI's stdout, what the scenarios print there (console.log, console.info,
// console.table, process.stdout.write, while loading or in a thread) goes to stderr instead: before any scenario file
// is loaded, so nothing of theirs can slip through. console writes through process.stdout.write, looked up on each call.
if ((workerData as Partial<WorkerSettings> | undefined)?.scenarioStdout === 'stderr') {
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
}

export default async function run(task: Task): Promise<LoadAnswer | ExploreAnswer | ReplayAnswer> {
  switch (task.kind) {
    case 'load':
      return load(task);
    case 'explore':
      return explorePart(task);
    case 'replay':
      return replayToken(task);
  }
}

async function load(task: LoadTask): Promise<LoadAnswer> {
  try {
    const loaded = await loadScenarioFile(task.file);
    return { ok: true, scenarios: loaded.map(({ scenario }) => ({ name: scenario.name, expected: scenario.expected, threads: scenario.threads })) };
  } catch (error) {
    return { ok: false, error: usageMessage(error) };
  }
}

async function explorePart(task: ExploreTask): Promise<ExploreAnswer> {
  const board = Board.attach(task.board);
  if (board.shouldStop(task.row, task.part)) {
    board.report(task.slot, PART_DONE);
    return { status: 'skipped' };
  }
  let entry: LoadedScenario | undefined;
  try {
    entry = (await loadScenarioFile(task.file))[task.index];
  } catch (error) {
    return { status: 'error', error: usageMessage(error) };
  }
  if (entry === undefined || entry.scenario.name !== task.name) {
    return { status: 'error', error: `'${task.file.display}' changed while it was being explored: its scenario '${task.name}' is gone.` };
  }
  if (task.options.regressions !== undefined) {
    // Read before the part counts as running: the watchdog times steps, and a file of long tokens is no step of this scenario.
    try {
      await checkRegressionFile(task.options.regressions);
    } catch (error) {
      if (!(error instanceof RegressionFileError)) throw error;
      return { status: 'error', error: error.message };
    }
  }
  board.report(task.slot, PART_RUNNING);
  const stop = new AbortController();
  try {
    // The heartbeat lets the CLI's watchdog see a step that never ends, and terminate this thread.
    const result = await exploreWithHeartbeat(entry.scenario, {
      ...task.options,
      signal: stop.signal,
      onProgress: (progress) => {
        board.report(task.slot, PART_RUNNING, progress);
        if (board.shouldStop(task.row, task.part)) stop.abort();
      },
    }, task.heartbeat);
    // The parts above this one can no longer decide the outcome (see parts.ts): they stop.
    if (result.failure !== undefined || result.exhausted) board.cut(task.row, task.part);
    board.report(task.slot, PART_DONE, result);
    return { status: 'done', result };
  } catch (error) {
    board.report(task.slot, PART_DONE);
    const why = error instanceof Error ? error.message : String(error);
    return {
      status: 'error',
      error: `'${task.file.display}': ${why.startsWith('scenario ') ? why : `scenario '${task.name}' cannot be explored: ${why}`}`,
    };
  }
}

async function replayToken(task: ReplayTask): Promise<ReplayAnswer> {
  let loaded: LoadedScenario[];
  try {
    loaded = await loadScenarioFile(task.file);
  } catch (error) {
    return { status: 'error', error: usageMessage(error) };
  }
  for (const { scenario } of loaded) {
    try {
      return { status: 'replayed', scenario: scenario.name, result: await replayWithHeartbeat(scenario, task.token, task.heartbeat) };
    } catch (error) {
      if (error instanceof TokenError) continue; // recorded for another scenario: try the next
      const why = error instanceof Error ? error.message : String(error);
      return { status: 'error', error: `'${task.file.display}': ${why.startsWith('scenario ') ? why : `scenario '${scenario.name}' cannot be replayed: ${why}`}` };
    }
  }
  return { status: 'foreign', scenarios: loaded.map(({ scenario }) => scenario.name) };
}

function usageMessage(error: unknown): string {
  if (error instanceof UsageError) return error.message;
  throw error;
}
