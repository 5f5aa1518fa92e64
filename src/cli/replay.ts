import { BEATS, createHeartbeat } from '../engine/heartbeat.ts';
import { hangResult, outOfMemoryResult, readHang, type HangContext } from '../explore/isolate/hang.ts';
import { DEFAULT_STEP_TIMEOUT_MS } from '../explore/options.ts';
import { decodeToken, scenarioId, TokenError, type TokenData } from '../explore/token.ts';
import { renderJsonTrace } from '../report/json.ts';
import { printable, printableJson } from '../report/printable.ts';
import { renderTextReport } from '../report/text.ts';
import { duration } from '../report/summary.ts';
import { resolveScenarioFiles } from './load.ts';
import { DEFAULT_LOAD_TIMEOUT_MS, loadInWorkers } from './loadInWorkers.ts';
import type { Output } from './output.ts';
import { heapLimit, startPool, WorkerOutOfMemory, type WorkerPool } from './pool.ts';
import type { ReplayAnswer, ReplayTask, ScenarioMeta } from './tasks.ts';
import { Watchdog } from './watchdog.ts';
import { EXIT_FAILURE, EXIT_OK, UsageError } from './usage.ts';

export interface ReplayFlags {
  readonly json?: boolean;
  readonly loadTimeout?: number;
  readonly stepTimeout?: number;
  readonly workerHeapMb?: number;
}

/**
 * `interleave replay <path> <token>`: re-runs the one execution the token
 * recorded, against whichever scenario it was recorded for among the
 * scenarios of the file, or of every file of the directory, and prints its
 * report. The files are loaded in a worker thread, as `explore` does. Exit 1
 * when the replay shows a failure, 0 when it runs clean; 2 for a token that
 * is malformed or belongs to no scenario there.
 */
export async function runReplay(path: string, token: string, flags: ReplayFlags, io: Output): Promise<number> {
  let data: TokenData;
  try {
    data = decodeToken(token);
  } catch (error) {
    if (error instanceof TokenError) throw new UsageError(error.message);
    throw error;
  }
  const files = await resolveScenarioFiles([path]);
  const pool = startPool(1, { heapMb: flags.workerHeapMb, scenarioStdout: flags.json === true ? 'stderr' : 'stdout' });
  try {
    const listed = await loadInWorkers(pool, files, flags.loadTimeout ?? DEFAULT_LOAD_TIMEOUT_MS);
    const owner = listed.find(({ meta }) => scenarioId(meta.name, meta.threads) === data.scenarioId);
    if (owner === undefined) {
      const names = listed.map(({ meta }) => `'${meta.name}'`).join(', ');
      const where = files.length === 1 ? `'${files[0]!.display}'` : `the ${files.length} files of '${path}'`;
      throw new UsageError(
        `replay token ${shorten(token)} was not recorded for any scenario in ${where} (it has ${names}): ` +
          `replay it with the file that printed it; a scenario renamed or given other threads since then no longer matches.`,
      );
    }
    const answer = await replayWatched(
      pool,
      { kind: 'replay', file: owner.file, token, heartbeat: createHeartbeat() },
      owner.meta,
      data,
      flags.stepTimeout ?? DEFAULT_STEP_TIMEOUT_MS,
      flags.workerHeapMb,
    );
    if (answer.status === 'error') throw new UsageError(answer.error);
    if (answer.status === 'foreign') throw new UsageError(`'${owner.file.display}' changed while it was being replayed: its scenario '${owner.meta.name}' is gone.`);
    const { result, scenario } = answer;
    const c = io.outColors;
    if (result.failure === undefined && result.stale !== undefined) {
      if (flags.json === true) io.out(`${printableJson(JSON.stringify({ scenario, ok: true, steps: result.steps, stale: result.stale }, null, 2))}\n`);
      else io.out(`${c.green('stale')}  ${printable(scenario, { oneLine: true })}: ${printable(result.stale)}\n`);
      return EXIT_OK;
    }
    if (result.failure === undefined) {
      if (flags.json === true) io.out(`${printableJson(JSON.stringify({ scenario, ok: true, steps: result.steps }, null, 2))}\n`);
      else io.out(`${c.green('clean')}  ${printable(scenario, { oneLine: true })}: the replayed execution ran to its end with no failure (${result.steps} steps, ${duration(result.elapsedMs)}).\n`);
      return EXIT_OK;
    }
    if (flags.json === true) io.out(renderJsonTrace(result.failure));
    else io.out(renderTextReport(result.failure, { scenario, file: owner.file.display }));
    return EXIT_FAILURE;
  } finally {
    await pool.destroy();
  }
}

/** The replay, under the watchdog: a token that records a hang hangs again, and is reported as one rather than holding the CLI forever. */
async function replayWatched(pool: WorkerPool, task: ReplayTask, meta: ScenarioMeta, data: TokenData, stepTimeoutMs: number, heapMb: number | undefined): Promise<ReplayAnswer> {
  const context: HangContext = { ...meta, strategy: data.strategy, seed: data.seed, maxSteps: data.maxSteps, startTime: data.startTime, token: task.token };
  // A token that ran its worker out of heap does so again: the same finding, rather than an internal error.
  const outOfMemory = (error: unknown): ReplayAnswer => {
    if (!(error instanceof WorkerOutOfMemory)) throw error;
    const result = outOfMemoryResult(context, readHang(task.heartbeat, stepTimeoutMs, 0), heapLimit(heapMb), () => 'it runs out of memory again when replayed');
    return { status: 'replayed', scenario: meta.name, result };
  };
  return new Watchdog(stepTimeoutMs).run<ReplayAnswer>(
    task.heartbeat,
    () => Atomics.load(task.heartbeat, BEATS) > 0,
    (signal) => pool.replay(task, signal).catch(outOfMemory),
    (stuck) => ({ status: 'replayed', scenario: meta.name, result: hangResult(context, stuck, () => 'it hangs again when replayed') }),
  );
}

function shorten(token: string): string {
  return token.length > 40 ? `${token.slice(0, 40)}…` : token;
}
