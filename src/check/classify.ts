import type { ExecutionResult } from '../engine/execution.ts';
import type { Verdict } from '../engine/monitor.ts';
import { exceptionVerdict } from './exception.ts';
import { stepLimitVerdict } from './stepLimit.ts';
import { classifyStuck, type StuckHints } from './stuck.ts';

/**
 * The finding of one execution, if any, worded as README.md's "What it finds"
 * shows each kind. `hints` is asked for only when the run is stuck or cycles:
 * building them costs every other execution for nothing.
 */
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
    case 'step-limit': {
      // What the cycle keeps from finishing, in the words of the workload where it has them (a consumer polling in take).
      const h = hints();
      const waiting = view.threads
        .filter((t) => t.status !== 'done' && t.status !== 'failed')
        .map((t) => {
          const inside = h.parkedIn?.(t.id);
          return inside === undefined ? t.name : `${t.name} (in ${inside})`;
        });
      return stepLimitVerdict(maxSteps, result.step, end.repeating, end.cycleStart, waiting);
    }
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
