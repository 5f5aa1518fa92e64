import type { ScenarioFile } from './load.ts';
import type { WorkerPool } from './pool.ts';
import type { ScenarioMeta } from './tasks.ts';
import { UsageError } from './usage.ts';

/** How long a scenario file may take to load before it is blamed: its top-level await never settles, or it waits for something that never comes. */
export const DEFAULT_LOAD_TIMEOUT_MS = 30_000;

/** A scenario of a file, as the CLI knows it: by its description, its index in the file's default export, and its file. */
export interface ListedScenario {
  readonly meta: ScenarioMeta;
  readonly index: number;
  readonly file: ScenarioFile;
}

/**
 * Loads every file in the pool's worker threads, side by side, and lists
 * their scenarios in file order. A file that cannot be loaded is a
 * UsageError naming it; when several cannot, the first in order is named,
 * so the same command always blames the same file.
 */
export async function loadInWorkers(pool: WorkerPool, files: readonly ScenarioFile[], timeoutMs: number): Promise<ListedScenario[]> {
  const answers = await Promise.all(
    files.map((file) =>
      withTimeout(pool.load({ kind: 'load', file }), timeoutMs).then(
        (answer) => (answer === undefined ? { ok: false as const, error: loadTimedOut(file, timeoutMs) } : answer),
        (error: unknown) => {
          if (error instanceof UsageError) return { ok: false as const, error: error.message };
          throw error;
        },
      ),
    ),
  );
  const listed: ListedScenario[] = [];
  for (const [i, answer] of answers.entries()) {
    if (!answer.ok) throw new UsageError(answer.error);
    answer.scenarios.forEach((meta, index) => listed.push({ meta, index, file: files[i]! }));
  }
  return listed;
}

function loadTimedOut(file: ScenarioFile, timeoutMs: number): string {
  return (
    `cannot load scenario file '${file.display}': it did not finish loading within ${(timeoutMs / 1000).toLocaleString('en-US')} s ` +
    `(a top-level await that never settles, or a loop that never ends?). Loading a scenario file should only define scenarios; raise --load-timeout if it is merely slow.`
  );
}

/** The promise's value, or undefined once `ms` have passed without it. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
