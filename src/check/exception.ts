import type { Verdict } from '../engine/monitor.ts';
import { describe } from '../trace/index.ts';

/** A thread, a timer callback or a stray promise that threw: the message carries who, and the stack. */
export function exceptionVerdict(who: string, error: unknown, step: number, how = 'threw'): Verdict {
  const head = error instanceof Error ? `${error.name}: ${error.message}` : describe(error);
  const stack = error instanceof Error && error.stack !== undefined ? `\n${stackFrames(error.stack)}` : '';
  return { kind: 'exception', message: `${who} ${how} at step ${step}: ${head}${stack}` };
}

/** The stack's frames, without the harness's own frames and at most eight of them. */
function stackFrames(stack: string): string {
  return stack
    .split('\n')
    .filter((line) => line.trimStart().startsWith('at ') && !/[\\/]src[\\/](engine|explore|check)[\\/]|node:internal/.test(line))
    .slice(0, 8)
    .join('\n');
}
