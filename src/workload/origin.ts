import { pathToFileURL, fileURLToPath } from 'node:url';

/** Interleave's own source (or compiled) directory: frames in it are the harness's, not the scenario's. */
const HARNESS_DIR = fileURLToPath(new URL('../', import.meta.url));

/**
 * The module that is defining a scenario, from the stack: the first frame
 * outside Interleave. An isolated exploration imports it again in a worker
 * to find the scenario there (functions cannot be sent to a worker).
 * Undefined when the stack does not say (a scenario built by eval).
 */
export function definingModule(): string | undefined {
  const stack = new Error().stack ?? '';
  for (const line of stack.split('\n').slice(1)) {
    const match = /\(?((?:file:\/\/)?\/[^():]+|[A-Za-z]:\\[^():]+):\d+:\d+\)?\s*$/.exec(line.trim());
    if (match === null) continue;
    const file = match[1]!;
    const path = file.startsWith('file://') ? fileURLToPath(file) : file;
    if (path.startsWith(HARNESS_DIR) || path.includes('node:') || path.includes('/node_modules/vitest/') || path.includes('/node_modules/@vitest/')) continue;
    return pathToFileURL(path).href;
  }
  return undefined;
}
