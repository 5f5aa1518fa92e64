import { printable } from './printable.ts';

/**
 * A plain-text table whose cells hold several lines, as Lincheck prints its
 * interleavings. Widths are measured in code points, so `…` counts as one.
 */
export interface Column {
  readonly title: string;
  readonly align?: 'left' | 'right';
  /** Lines longer than this are cut with `…`; the column is never wider. */
  readonly maxWidth?: number;
}

export function truncate(text: string, width: number): string {
  const chars = Array.from(text);
  if (chars.length <= width) return text;
  if (width <= 1) return '…'.slice(0, width);
  return `${chars.slice(0, width - 1).join('')}…`;
}

function length(text: string): number {
  return Array.from(text).length;
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const gap = ' '.repeat(Math.max(0, width - length(text)));
  return align === 'right' ? gap + text : text + gap;
}

/** Renders rows of cells (each cell a list of lines) under a header, one text line per table line. */
export function renderTable(columns: readonly Column[], rows: readonly (readonly (readonly string[])[])[]): string[] {
  // A cell's text is data: escaped before it is measured, so that what a terminal would act on neither acts nor skews the columns.
  const shown = (text: string, maxWidth: number | undefined): string => {
    const safe = printable(text, { oneLine: true });
    return maxWidth === undefined ? safe : truncate(safe, maxWidth);
  };
  const cut = rows.map((row) => columns.map((column, c) => (row[c] ?? []).map((line) => shown(line, column.maxWidth))));
  const titles = columns.map((column) => shown(column.title, column.maxWidth));
  const widths = columns.map((column, c) => {
    let width = length(titles[c]!);
    for (const row of cut) for (const line of row[c]!) width = Math.max(width, length(line));
    return width;
  });
  const rule = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  const line = (cells: readonly string[], aligns: readonly ('left' | 'right')[]): string =>
    `| ${cells.map((cell, c) => pad(cell, widths[c]!, aligns[c]!)).join(' | ')} |`;
  const out = [rule, line(titles, columns.map(() => 'left')), rule];
  const aligns = columns.map((column) => column.align ?? 'left');
  for (const row of cut) {
    const height = Math.max(1, ...row.map((cell) => cell.length));
    for (let i = 0; i < height; i++) out.push(line(row.map((cell) => cell[i] ?? ''), aligns));
  }
  out.push(rule);
  return out;
}
