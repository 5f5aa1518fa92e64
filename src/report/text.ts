import type { Failure } from '../explore/result.ts';
import { waitPhrase, type Trace } from '../trace/index.ts';
import { failureCause } from './cause.ts';
import { laneNames, stepCells } from './cells.ts';
import { replayCommand } from './command.ts';
import { printable } from './printable.ts';
import { renderTable, type Column } from './table.ts';

export interface TextReportOptions {
  /** The scenario's name, for the header. */
  readonly scenario: string;
  /** The scenario file, for the replay command; `<scenario-file>` when not known. */
  readonly file?: string;
  /** The whole replay command, where it is not the CLI's (the vitest matchers replay through vitest). */
  readonly replayCommand?: string;
  /** Widest a thread's column may grow; longer lines are cut with `…`. Default 40. */
  readonly maxColumnWidth?: number;
}

const DEFAULT_COLUMN_WIDTH = 40;

/**
 * The failure as a person reads it, after JetBrains Lincheck: what went
 * wrong, the interleaving as a table with one column per thread and one row
 * per step, where everyone was stuck at the end, and how to see it again.
 * Plain text: colour is the CLI's business.
 */
export function renderTextReport(failure: Failure, options: TextReportOptions): string {
  const trace = failure.trace;
  const out: string[] = [];
  out.push(`= Interleave: ${failure.kind} in scenario '${options.scenario}' =`);
  out.push(...failureCause(failure).split('\n'));
  out.push('');
  out.push(
    `Found by strategy ${trace.strategy} with seed ${trace.seed}; detected at step ${failure.step}${trace.steps.length > 0 ? ` of ${trace.steps.length}` : ''}; ` +
      `threads: ${trace.threads.join(', ')}.`,
  );
  out.push('');
  out.push(...(trace.steps.length === 0 && failure.kind === 'hang' ? HANG_STEPS : stepTable(trace, options.maxColumnWidth ?? DEFAULT_COLUMN_WIDTH)));
  out.push('');
  out.push(...ending(trace));
  out.push('');
  out.push(`Replay token: ${failure.replay}`);
  out.push(`Replay it:    ${options.replayCommand ?? replayCommand(failure.replay, options.file)}`);
  // Names, messages and items are data: whatever in them a terminal would act on is written as an escape.
  return `${printable(out.join('\n'))}\n`;
}

/** A hang's steps died with the worker that ran them. */
const HANG_STEPS = [
  '(no steps recorded: the worker running this execution was terminated in the step that never ended. The token replays the steps',
  'before it and then hangs again, under the same watchdog: `interleave replay`, or replay(scenario, token, { isolate: true }).)',
];

function stepTable(trace: Trace, maxWidth: number): string[] {
  if (trace.steps.length === 0) return ['(the execution failed before its first step)'];
  const lanes = laneNames(trace);
  const hasBuffer = trace.steps.some((step) => step.snapshot.buffer !== undefined);
  const columns: Column[] = [
    { title: 'step', align: 'right' },
    ...lanes.map((lane) => ({ title: lane, maxWidth })),
    ...(hasBuffer ? [{ title: 'buffer', align: 'right' as const }] : []),
    { title: 'time', align: 'right' },
  ];
  const cells = stepCells(trace, lanes);
  const rows = trace.steps.map((step, i) => {
    const buffer = step.snapshot.buffer;
    const size = buffer === undefined ? '' : String(buffer.size ?? buffer.contents.length);
    return [
      [`${step.switched ? '* ' : ''}${step.index}`],
      ...cells[i]!,
      ...(hasBuffer ? [[size]] : []),
      [`${step.snapshot.time}ms`],
    ];
  });
  const joins = trace.steps.some((step) => step.joined !== undefined);
  return [
    'The interleaving (* marks a context switch: the scheduler moved to another thread; → is where a thread stands after the step' +
      `${joins ? '; ≡ marks a continuation started in the same macrotask as the step’s actor, +k microtask turns after the one before' : ''}):`,
    ...renderTable(columns, rows),
    ...stepNotes(trace),
  ];
}

/** What the table can only hint at, in sentences: same-macrotask starts, and continuations that run where a reader would not expect them. */
function stepNotes(trace: Trace): string[] {
  const out: string[] = [];
  for (const step of trace.steps) {
    let first = `${step.actor}'s ${step.resumed}`;
    for (const joined of step.joined ?? []) {
      const when = joined.offset === 0 ? 'in the same synchronous block, as Promise.all would start them' : `${joined.offset} microtask turn${joined.offset === 1 ? '' : 's'} later`;
      out.push(
        joined.started
          ? `  step ${step.index}: ${joined.actor}'s ${joined.resumed} started in the same macrotask as ${first}, ${when}.`
          : `  step ${step.index}: ${joined.actor}'s ${joined.resumed} was due to start in the same macrotask as ${first}, ${when}, but could no longer proceed and stayed where it was.`,
      );
      if (joined.started) first = `${joined.actor}'s ${joined.resumed}`;
    }
    if (step.note !== undefined) out.push(`  step ${step.index}: ${step.note}.`);
  }
  return out.length === 0 ? [] : ['', 'Notes:', ...out];
}

function ending(trace: Trace): string[] {
  const { outcome } = trace;
  const out: string[] = [];
  const last = trace.steps[trace.steps.length - 1];
  if (outcome.blocked !== undefined && outcome.blocked.length > 0) {
    out.push(`Blocked at the end${last === undefined ? '' : ` (after step ${last.index})`}:`);
    const width = Math.max(...outcome.blocked.map((b) => b.thread.length));
    for (const b of outcome.blocked) out.push(`  ${b.thread.padEnd(width)}  waits in ${waitPhrase(b)}`);
  } else if (last !== undefined) {
    out.push(`Threads at the end (after step ${last.index}):`);
    const entries = Object.entries(last.threadsAfter);
    const width = Math.max(...entries.map(([name]) => name.length));
    for (const [name, where] of entries) out.push(`  ${name.padEnd(width)}  ${where}`);
  }
  if (outcome.cycle !== undefined && outcome.cycle.length > 0) out.push(`Wait-for cycle: ${outcome.cycle.join(' → ')}`);
  if (outcome.repeating !== undefined && outcome.repeating.length > 0) {
    out.push(`Repeating cycle (one turn, oldest first): ${outcome.repeating.join(' → ')} → (again)`);
  }
  return out;
}
