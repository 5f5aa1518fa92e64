import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { ExploreAnswer, ExploreTask, LoadAnswer, LoadTask, ReplayAnswer, ReplayTask } from './tasks.ts';
import { UsageError } from './usage.ts';

/** `--workers` when not given: one worker thread per core. */
export function defaultWorkers(): number {
  return availableParallelism();
}

/** The CLI's worker threads: each task is answered by worker.ts in one of them. */
export interface WorkerPool {
  /** How many worker threads it has: how many tasks run at once. */
  readonly threads: number;
  load(task: LoadTask): Promise<LoadAnswer>;
  /**
   * Aborting `signal` while the task runs terminates its worker (the watchdog does, on a hang); the promise then rejects.
   * Piscina queues tasks that have a signal in an order of its own: give it no more of them than it has threads (runParts.ts).
   */
  explore(task: ExploreTask, signal?: AbortSignal): Promise<ExploreAnswer>;
  replay(task: ReplayTask, signal?: AbortSignal): Promise<ReplayAnswer>;
  /** Terminates every worker, whatever it is doing (a file that never finishes loading, an exploration). */
  destroy(): Promise<void>;
}

/** What every worker thread is told when it starts (its workerData; worker.ts reads it). */
export interface WorkerSettings {
  readonly scenarioStdout: 'stdout' | 'stderr';
}

/** How the pool's worker threads are made. */
export interface PoolOptions {
  /** `--worker-heap-mb`: each worker's heap limit (V8's old generation), in MB; Node's default when absent. */
  readonly heapMb?: number | undefined;
  /**
   * Where what the scenarios print to stdout (console.log, process.stdout.write) goes: `stderr` when a machine-readable
   * reporter owns stdout (--json, --reporter junit or mermaid), so that stdout stays one document.
   */
  readonly scenarioStdout?: 'stdout' | 'stderr';
}

export function startPool(workers: number, options: PoolOptions = {}): WorkerPool {
  const pool = new Piscina({
    // bin/worker.js picks the sources or the build, as bin/interleave.js does.
    filename: new URL('../../bin/worker.js', import.meta.url).href,
    minThreads: workers,
    maxThreads: workers,
    // A worker in Atomics.wait between tasks would freeze whatever a scenario file left running.
    atomics: 'disabled',
    // Parts are queued in the order they should start (a scenario's parts together): first in, first out.
    stricterFIFO: true,
    ...(options.heapMb === undefined ? {} : { resourceLimits: heapLimits(options.heapMb) }),
    workerData: { scenarioStdout: options.scenarioStdout ?? 'stdout' } satisfies WorkerSettings,
  });
  const run = <T>(task: LoadTask | ExploreTask | ReplayTask, signal?: AbortSignal): Promise<T> =>
    pool.run(task, signal === undefined ? {} : { signal }).catch((error: unknown) => {
      throw workerDied(error, task, options.heapMb);
    });
  return {
    threads: workers,
    load: (task) => run(task),
    explore: (task, signal) => run(task, signal),
    replay: (task, signal) => run(task, signal),
    destroy: () => pool.destroy(),
  };
}

/**
 * A worker thread that ran out of heap under a task. V8 ends the worker (it
 * cannot throw there); piscina starts another. Explorations and replays turn
 * it into a finding of their scenario, from the task's heartbeat (runParts.ts,
 * replay.ts).
 */
export class WorkerOutOfMemory extends Error {
  override name = 'WorkerOutOfMemory';
  constructor(readonly heapMb: number | undefined) {
    super(`a worker thread ran out of its heap (${heapLimit(heapMb)})`);
  }
}

/**
 * A worker's resource limits for `--worker-heap-mb`: the old generation as
 * given, and a young generation an eighth of it (4 to 64 MB). Node stops a
 * worker at its heap limit on a best-effort basis (nodejs/node#47224): with
 * V8's default young generation, which on Node 24 is large beside a small
 * old one, a worker that fills its heap often aborted the whole process
 * instead ("FATAL ERROR: Reached heap limit"); with the young generation in
 * proportion it is stopped, as ERR_WORKER_OUT_OF_MEMORY, on Node 20, 22 and
 * 24 (test/cli.faults.test.ts).
 */
export function heapLimits(heapMb: number): { readonly maxOldGenerationSizeMb: number; readonly maxYoungGenerationSizeMb: number } {
  return { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(4, Math.round(heapMb / 8))) };
}

/** The heap limit a worker had, and how to change it, for a finding's message. */
export function heapLimit(heapMb: number | undefined): string {
  return heapMb === undefined ? "Node's default heap limit; --worker-heap-mb sets it" : `--worker-heap-mb ${heapMb}`;
}

/** A worker thread that ended under a task: the scenario file's own code ended it (process.exit), so the file is to blame. */
function workerDied(error: unknown, task: LoadTask | ExploreTask | ReplayTask, heapMb: number | undefined): unknown {
  if ((error as { code?: unknown } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    if (task.kind !== 'load') return new WorkerOutOfMemory(heapMb);
    return new UsageError(`scenario file '${task.file.display}' ran its worker thread out of its heap (${heapLimit(heapMb)}) while loading.`);
  }
  const code = /worker exited with code: (-?\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
  if (code === undefined) return error;
  const when = task.kind === 'load' ? 'while loading' : task.kind === 'explore' ? `while scenario '${task.name}' was explored` : 'during the replay';
  return new UsageError(
    `scenario file '${task.file.display}' ended its thread (process.exit(${code})) ${when}: a scenario file and the code it tests must not exit the process.`,
  );
}
