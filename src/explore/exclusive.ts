/**
 * Explorations run one at a time in a process: each runs its executions back
 * to back in one macrotask, and nothing is gained by interleaving two.
 */
let queue: Promise<unknown> = Promise.resolve();

export function exclusive<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work);
  queue = run.catch(() => undefined);
  return run;
}
