import { fileURLToPath } from 'node:url';
import type { Verdict } from '../engine/monitor.ts';
import { errorLine } from '../trace/index.ts';

/** A thread, a timer callback or a stray promise that threw: the message carries who, and the stack. */
export function exceptionVerdict(who: string, error: unknown, step: number, how = 'threw'): Verdict {
  const stack = stackOf(error);
  return { kind: 'exception', message: `${who} ${how} at step ${step}: ${errorLine(error)}${stack === '' ? '' : `\n${stack}`}` };
}

/**
 * Interleave's own source (or compiled) directory: its frames are left out of
 * stacks. Matched by this installation's real path, not by a pattern such as
 * `src/engine/`, which would hide a user's own frames under a folder of the
 * same name.
 */
const HARNESS_DIR = fileURLToPath(new URL('../', import.meta.url));
const HARNESS_URL = new URL('../', import.meta.url).href;

function stackOf(error: unknown): string {
  let stack: unknown;
  try {
    stack = error instanceof Error ? error.stack : undefined;
  } catch {
    return '';
  }
  return typeof stack === 'string' ? stackFrames(stack) : '';
}

/** The stack's frames, without the harness's own frames and Node's internals, at most eight of them. */
export function stackFrames(stack: string): string {
  return stack
    .split('\n')
    .filter((line) => line.trimStart().startsWith('at ') && !line.includes(HARNESS_DIR) && !line.includes(HARNESS_URL) && !line.includes('node:internal'))
    .slice(0, 8)
    .join('\n');
}
