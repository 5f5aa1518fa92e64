import { count, duration } from '../report/summary.ts';

/** A scenario being explored, as a progress bar or line shows it. */
export interface ProgressRow {
  readonly key: number;
  readonly name: string;
  readonly executions: number;
  readonly elapsedMs: number;
  /** The budget: runs, and the time limit (Infinity when none). */
  readonly runs: number;
  readonly timeLimitMs: number;
  /** The kind of the first failure a part of it found, once one did. */
  readonly finding?: string;
}

/** Where progress goes: bars on a terminal, plain lines elsewhere, or nowhere. */
export interface ProgressView {
  /** The scenarios being explored now; called a few times a second. */
  update(rows: readonly ProgressRow[]): void;
  /** Prints text (whole lines) above the bars, or in between the progress lines. */
  print(text: string): void;
  /** Removes the bars, printing what is still pending. */
  stop(): void;
}

/** How far along the budget: the run count or the time limit, whichever is nearer its end. */
export function fractionDone(row: ProgressRow): number {
  const byRuns = row.executions / row.runs;
  const byTime = Number.isFinite(row.timeLimitMs) ? row.elapsedMs / row.timeLimitMs : 0;
  return Math.min(1, Math.max(byRuns, byTime));
}

export function rate(row: ProgressRow): string {
  return row.elapsedMs <= 0 ? '–' : Math.round(row.executions / (row.elapsedMs / 1000)).toLocaleString('en-US');
}

/** The elapsed time against the time limit, when there is one. */
export function elapsedOfBudget(row: ProgressRow): string {
  return Number.isFinite(row.timeLimitMs) ? `${duration(row.elapsedMs)} of ${duration(row.timeLimitMs)}` : duration(row.elapsedMs);
}

export function findingText(row: ProgressRow): string {
  return row.finding === undefined ? 'no finding yet' : `found ${row.finding}`;
}

/** One plain progress line, for logs that are not a terminal. */
export function progressLine(row: ProgressRow): string {
  const done = `${row.executions.toLocaleString('en-US')} of ${count(row.runs, 'execution')}`;
  return `  … ${row.name}: ${done} (${rate(row)}/s), ${elapsedOfBudget(row)}, ${findingText(row)}\n`;
}

/** Plain lines every `everyMs`, one per scenario being explored, when the output is a log rather than a terminal. */
export function progressLines(write: (text: string) => void, everyMs: number, now: () => number = () => performance.now()): ProgressView {
  let last = now();
  return {
    update(rows) {
      if (now() - last < everyMs) return;
      last = now();
      for (const row of rows) write(progressLine(row));
    },
    print: write,
    stop() {},
  };
}

/** No progress at all (--no-progress): the lines as they come. */
export function noProgress(write: (text: string) => void): ProgressView {
  return { update() {}, print: write, stop() {} };
}
