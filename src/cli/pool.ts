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
  load(task: LoadTask): Promise<LoadAnswer>;
  explore(task: ExploreTask): Promise<ExploreAnswer>;
  replay(task: ReplayTask): Promise<ReplayAnswer>;
  /** Terminates every worker, whatever it is doing (a file that never finishes loading, an exploration). */
  destroy(): Promise<void>;
}

export function startPool(workers: number): WorkerPool {
  const pool = new Piscina({
    // bin/worker.js picks the sources or the build, as bin/interleave.js does.
    filename: new URL('../../bin/worker.js', import.meta.url).href,
    minThreads: workers,
    maxThreads: workers,
    // A worker in Atomics.wait between tasks would freeze whatever a scenario file left running.
    atomics: 'disabled',
    // Parts are queued in the order they should start (a scenario's parts together): first in, first out.
    stricterFIFO: true,
  });
  const run = <T>(task: LoadTask | ExploreTask | ReplayTask): Promise<T> =>
    pool.run(task).catch((error: unknown) => {
      throw workerDied(error, task);
    });
  return {
    load: (task) => run(task),
    explore: (task) => run(task),
    replay: (task) => run(task),
    destroy: () => pool.destroy(),
  };
}

/** A worker thread that ended under a task: the scenario file's own code ended it (process.exit), so the file is to blame. */
function workerDied(error: unknown, task: LoadTask | ExploreTask | ReplayTask): unknown {
  const code = /worker exited with code: (-?\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
  if (code === undefined) return error;
  const when = task.kind === 'load' ? 'while loading' : task.kind === 'explore' ? `while scenario '${task.name}' was explored` : 'during the replay';
  return new UsageError(
    `scenario file '${task.file.display}' ended its thread (process.exit(${code})) ${when}: a scenario file and the code it tests must not exit the process.`,
  );
}
