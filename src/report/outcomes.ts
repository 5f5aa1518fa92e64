import type { OutcomeRow } from '../explore/histogram.ts';
import { renderTable } from './table.ts';

/** How many outcome rows a text table shows before it sums up the rest (the CLI's --outcomes changes it). */
export const DEFAULT_OUTCOME_ROWS = 20;

/**
 * The outcome histogram as jcstress prints it: outcome, count, frequency,
 * expectation and description, most frequent first. Forbidden outcomes are
 * always listed, however rare.
 */
export function renderOutcomeTable(rows: readonly OutcomeRow[], limit = DEFAULT_OUTCOME_ROWS): string[] {
  if (rows.length === 0) return [];
  const shown = rows.filter((row, i) => i < limit || row.expectation === 'forbidden');
  const hidden = rows.length - shown.length;
  const total = rows.reduce((n, row) => n + row.count, 0);
  const table = renderTable(
    [{ title: 'outcome', maxWidth: 72 }, { title: 'count', align: 'right' }, { title: 'frequency', align: 'right' }, { title: 'expectation' }, { title: 'description', maxWidth: 60 }],
    shown.map((row) => [[row.outcome], [row.count.toLocaleString('en-US')], [percent(row.frequency)], [row.expectation], [row.description]]),
  );
  const more = hidden > 0 ? [`… and ${hidden} more outcome(s), ${(rows.slice(limit).filter((r) => !shown.includes(r)).reduce((n, r) => n + r.count, 0)).toLocaleString('en-US')} execution(s)`] : [];
  return [`Outcomes of ${total.toLocaleString('en-US')} execution(s) that ran to their end (${rows.length} distinct):`, ...table, ...more];
}

function percent(frequency: number): string {
  const p = frequency * 100;
  return `${p >= 10 || p === 0 ? p.toFixed(1) : p >= 0.1 ? p.toFixed(2) : p.toFixed(3)}%`;
}

/**
 * The histograms of several explorations of one scenario (the parts of a
 * split run, the shards of a merged one) as one: counts added up by
 * outcome, frequencies of the whole, most frequent first (ties by outcome,
 * as a single exploration orders them).
 */
export function joinOutcomes(lists: readonly (readonly OutcomeRow[] | undefined)[]): OutcomeRow[] | undefined {
  const present = lists.filter((rows): rows is readonly OutcomeRow[] => rows !== undefined);
  if (present.length === 0) return undefined;
  const byOutcome = new Map<string, OutcomeRow>();
  for (const row of present.flat()) {
    const seen = byOutcome.get(row.outcome);
    byOutcome.set(row.outcome, seen === undefined ? row : { ...seen, count: seen.count + row.count });
  }
  const total = [...byOutcome.values()].reduce((n, row) => n + row.count, 0);
  return [...byOutcome.values()]
    .map((row) => ({ ...row, frequency: row.count / total }))
    .sort((a, b) => b.count - a.count || (a.outcome < b.outcome ? -1 : a.outcome > b.outcome ? 1 : 0));
}
