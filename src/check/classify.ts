import type { ExecutionResult } from '../engine/execution.ts';
import type { Verdict } from '../engine/monitor.ts';
import { exceptionVerdict } from './exception.ts';
import { stepLimitVerdict } from './stepLimit.ts';
import { classifyStuck, type StuckHints } from './stuck.ts';

/** The finding of one execution, if any, in the words of section 4 of the design. */
/** `hints` is asked for only when the run is stuck: building them costs every other execution for nothing. */
export function verdictOf(result: ExecutionResult, maxSteps: number, hints: () => StuckHints): Verdict | undefined {
  const { end, view } = result;
  switch (end.type) {
    case 'completed':
      return undefined;
    case 'verdict':
      return end.verdict;
    case 'stuck':
      return classifyStuck(view, hints());
    case 'thread-error':
      return exceptionVerdict(view.threadName(end.thread), end.error, result.step);
    case 'callback-error':
      return exceptionVerdict(end.callback, end.error, result.step);
    case 'step-limit':
      return stepLimitVerdict(maxSteps, result.step, end.repeating, end.cycleStart);
    case 'unfinished':
    case 'out-of-time':
      return undefined;
    case 'diverged':
      return { kind: 'nondeterminism', message: `the execution diverged from its recorded schedule: ${end.message}.` };
    case 'setup-error':
      // The scenario's setup (or producerConsumer's create) is code under test like any other: what it throws is a finding.
      return exceptionVerdict('setup (or create)', end.error, 0);
  }
}
