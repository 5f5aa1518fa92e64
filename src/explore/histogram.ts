import type { OutcomeGrade } from '../workload/outcome.ts';

/** One distinct outcome of an exploration, with how often it came and how the scenario grades it. */
export interface OutcomeRow {
  readonly outcome: string;
  readonly count: number;
  /** Of the executions that ran to their end. */
  readonly frequency: number;
  readonly expectation: OutcomeGrade['expectation'];
  readonly description: string;
}

/** The most distinct outcomes kept; the rest are counted together, so memory stays flat however varied the outcomes. */
const MAX_DISTINCT = 1000;
const OTHERS = '(other outcomes)';

/** Counts the outcomes of an exploration's executions, as jcstress's histogram does. */
export class OutcomeHistogram {
  private readonly rows = new Map<string, { count: number; grade: OutcomeGrade | undefined }>();
  private total = 0;

  add(outcome: string, grade: OutcomeGrade | undefined): void {
    this.total++;
    const row = this.rows.get(outcome) ?? (this.rows.size < MAX_DISTINCT ? undefined : this.rows.get(OTHERS));
    if (row !== undefined) row.count++;
    else if (this.rows.size < MAX_DISTINCT) this.rows.set(outcome, { count: 1, grade });
    else this.rows.set(OTHERS, { count: 1, grade: { expectation: 'unclassified', description: `outcomes past the first ${MAX_DISTINCT} distinct ones` } });
  }

  get size(): number {
    return this.rows.size;
  }

  /** Most frequent first; ties by outcome text, so the table reads the same for the same seed. */
  table(): OutcomeRow[] {
    return [...this.rows]
      .map(([outcome, { count, grade }]) => ({
        outcome,
        count,
        frequency: count / this.total,
        expectation: grade?.expectation ?? 'unclassified',
        description: grade?.description ?? '',
      }))
      .sort((a, b) => b.count - a.count || (a.outcome < b.outcome ? -1 : a.outcome > b.outcome ? 1 : 0));
  }
}
