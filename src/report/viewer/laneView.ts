import type { Trace } from '../../trace/index.ts';
import { cut, el } from './dom.ts';
import type { LaneCell, LaneModel } from './lanes.ts';

const COLUMN_WIDTH = 176;
const LABEL_WIDTH = 132;
const HEADER_HEIGHT = 30;
const LINE_HEIGHT = 15;
/** What a cell adds to its lines: its padding and the card's border. */
const CELL_PADDING = 16;
/** The card's border and padding, top and bottom. */
const CARD_FRAME = 4;
/** Characters of the cells' monospace font that fit one line of a card (nested lines lose two). */
const LINE_CHARS = 21;
/** Lanes are never shorter than this many lines, nor taller than the most they fit on screen. */
const MIN_LINES = 2;
const MAX_LINES = 12;
/** Columns built beyond each edge of the visible ones, so a scroll rarely shows an empty slot. */
const OVERSCAN = 4;
/** The most of a line a card holds (it shows a dozen lines of 21 at most), and of a tooltip: the state panel has the whole. */
const CARD_CHARS = 300;
const TITLE_CHARS = 1_000;
/** Marks continuations that started in one macrotask; a glyph every common font has. */
export const JOINED_MARK = '∥';
const PALETTE = ['#2563eb', '#d97706', '#059669', '#9333ea', '#dc2626', '#0891b2', '#65a30d', '#db2777'];

export interface LaneView {
  readonly element: HTMLElement;
  /** Marks a step position as selected; with `reveal`, scrolls it into view. */
  select(position: number, reveal: boolean): void;
  /** Scrolls so that a step position sits in the middle. */
  centre(position: number): void;
  /** Builds the columns now in view (and drops the others). */
  render(): void;
}

/**
 * The lanes: one row per thread or timer, one column per step, with the
 * label column pinned on the left. Only the columns in view exist in the
 * DOM, so a trace of ten thousand steps opens as fast as one of ten.
 */
export function laneView(trace: Trace, model: LaneModel, failing: number, pick: (position: number) => void, height: number): LaneView {
  // Share the height there is among the lanes, each as tall as its fullest cell needs; a cell that needs more is clipped (the state panel shows it whole).
  const fit = ((height - HEADER_HEIGHT) / Math.max(1, model.lanes.length) - CELL_PADDING) / LINE_HEIGHT;
  const room = Math.max(MIN_LINES, Math.min(MAX_LINES, Math.floor(fit)));
  const depth = model.lanes.map((_, l) => model.cells.reduce((most, cells) => Math.max(most, visualLines(cells[l]!)), 0));
  const lines = depth.map((d) => Math.max(MIN_LINES, Math.min(room, d)));
  const heights = lines.map((d) => CELL_PADDING + LINE_HEIGHT * d);
  const total = HEADER_HEIGHT + heights.reduce((a, b) => a + b, 0);
  const n = trace.steps.length;

  const labels = el('div', { className: 'labels' }, el('div', { className: 'label head' }, 'step →'));
  labels.style.width = `${LABEL_WIDTH}px`;
  labels.style.height = `${total}px`;
  model.lanes.forEach((lane, l) => {
    const label = el('div', { className: `label ${lane.kind}`, title: cut(lane.name, TITLE_CHARS) }, el('span', { className: 'dot' }), el('span', { className: 'name' }, cut(lane.name, CARD_CHARS)));
    label.style.height = `${heights[l]}px`;
    label.style.setProperty('--lane', colour(l));
    labels.appendChild(label);
  });
  const columns = el('div', { className: 'columns' });
  const canvas = el('div', { className: 'canvas' }, labels, columns);
  canvas.style.width = `${LABEL_WIDTH + n * COLUMN_WIDTH}px`;
  canvas.style.height = `${total}px`;
  const element = el('div', { className: 'lanes', id: 'lanes' }, canvas);

  const built = new Map<number, HTMLElement>();
  let selected = -1;
  let pending = false;

  function column(position: number): HTMLElement {
    const step = trace.steps[position]!;
    const marks = [step.switched ? 'switch' : '', position === failing ? 'failing' : '', position === selected ? 'selected' : ''].filter(Boolean);
    const head = el(
      'div',
      { className: 'head', title: cut(`step ${step.index}: ${step.actor} resumed ${step.resumed} at ${step.snapshot.time}ms${step.switched ? ' (context switch)' : ''}`, TITLE_CHARS) },
      el('span', { className: 'index' }, `${step.switched ? '⇄ ' : ''}${step.index}`),
      step.joined !== undefined && step.joined.length > 0 && el('span', { className: 'macrotask', title: `${step.joined.length + 1} continuations started in this macrotask` }, `${JOINED_MARK}${step.joined.length + 1}`),
      step.note !== undefined && el('span', { className: 'note-mark', title: cut(step.note, TITLE_CHARS) }, 'ℹ'),
      el('span', { className: 'time' }, `${step.snapshot.time}ms`),
    );
    head.style.height = `${HEADER_HEIGHT}px`;
    const node = el('div', { className: ['step', ...marks].join(' ') }, head);
    node.dataset.step = String(position);
    node.style.left = `${LABEL_WIDTH + position * COLUMN_WIDTH}px`;
    node.style.width = `${COLUMN_WIDTH}px`;
    model.cells[position]!.forEach((cell, l) => node.appendChild(cellOf(cell, l, heights[l]!, lines[l]!)));
    return node;
  }

  function render(): void {
    pending = false;
    const left = element.scrollLeft;
    const first = Math.max(0, Math.floor(left / COLUMN_WIDTH) - OVERSCAN);
    const last = Math.min(n - 1, Math.ceil((left + element.clientWidth - LABEL_WIDTH) / COLUMN_WIDTH) + OVERSCAN);
    for (const [position, node] of built) {
      if (position < first || position > last) {
        node.remove();
        built.delete(position);
      }
    }
    for (let position = first; position <= last; position++) {
      if (built.has(position)) continue;
      const node = column(position);
      built.set(position, node);
      columns.appendChild(node);
    }
  }

  function select(position: number, reveal: boolean): void {
    built.get(selected)?.classList.remove('selected');
    selected = position;
    built.get(selected)?.classList.add('selected');
    if (!reveal) return;
    const x = LABEL_WIDTH + position * COLUMN_WIDTH;
    if (x - element.scrollLeft < LABEL_WIDTH) element.scrollLeft = x - LABEL_WIDTH - COLUMN_WIDTH / 2;
    else if (x + COLUMN_WIDTH > element.scrollLeft + element.clientWidth) element.scrollLeft = x + COLUMN_WIDTH * 1.5 - element.clientWidth;
    render();
  }

  function centre(position: number): void {
    element.scrollLeft = LABEL_WIDTH + position * COLUMN_WIDTH - (element.clientWidth + LABEL_WIDTH - COLUMN_WIDTH) / 2;
    render();
  }

  element.addEventListener('scroll', () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(render);
  });
  canvas.addEventListener('click', (event) => {
    const target = (event.target as Element | null)?.closest('[data-step]');
    if (target instanceof HTMLElement) pick(Number(target.dataset.step));
  });
  return { element, select, centre, render };
}

function cellOf(cell: LaneCell, lane: number, height: number, room: number): HTMLElement {
  const classes = ['cell', `status-${cell.status}`];
  if (cell.lines.length > 0) classes.push('active');
  if (cell.joined !== undefined) classes.push('joined');
  const node = el('div', { className: classes.join(' ') });
  node.style.height = `${height}px`;
  node.style.setProperty('--lane', colour(lane));
  if (cell.lines.length > 0) {
    const card = el('div', { className: visualLines(cell) > room ? 'card clipped' : 'card', title: cut([cell.note, ...cell.lines].filter((t) => t !== undefined).join('\n'), TITLE_CHARS) });
    // Whole lines only: a clipped card ends at a line's foot, not through its middle.
    card.style.maxHeight = `${room * LINE_HEIGHT + CARD_FRAME}px`;
    if (cell.joined !== undefined) card.appendChild(el('span', { className: 'badge', title: cut(cell.joined, TITLE_CHARS) }, JOINED_MARK));
    if (cell.note !== undefined) card.appendChild(el('div', { className: 'line note' }, cut(cell.note, CARD_CHARS)));
    for (const text of cell.lines) card.appendChild(lineOf(text));
    node.appendChild(card);
  } else if (cell.waits !== undefined) {
    // The hatching already says blocked or parked: the label says on what.
    node.appendChild(el('div', { className: 'waits', title: cut(cell.waits, TITLE_CHARS) }, cut(cell.waits.replace(/^(blocked|parked) (in|on) /, ''), CARD_CHARS)));
  }
  return node;
}

/** Lines a cell takes once long lines wrap, from the monospace font's fixed advance. */
function visualLines(cell: LaneCell): number {
  let count = cell.note === undefined ? 0 : wrapped(cut(cell.note, CARD_CHARS), LINE_CHARS);
  for (const line of cell.lines) count += line.startsWith('  ') ? wrapped(cut(line.trimStart(), CARD_CHARS), LINE_CHARS - 2) : wrapped(cut(line, CARD_CHARS), LINE_CHARS);
  return count;
}

/** Lines a text wraps to at `width` characters, breaking at spaces as the browser does, and inside a word only when it is longer than a line (overflow-wrap: anywhere). */
export function wrapped(text: string, width: number): number {
  if (text.length <= width) return 1;
  let lines = 1;
  let used = 0;
  for (const word of text.split(' ')) {
    const needed = used === 0 ? word.length : used + 1 + word.length;
    if (needed <= width) used = needed;
    else if (word.length <= width) {
      lines++;
      used = word.length;
    } else {
      // A word longer than a line starts a line of its own (the space before it is still a break) and breaks wherever it must.
      lines += (used === 0 ? 0 : 1) + Math.ceil(word.length / width) - 1;
      used = word.length % width || width;
    }
  }
  return lines;
}

function lineOf(text: string): HTMLElement {
  const nested = text.startsWith('  ');
  const body = cut(text.trimStart(), CARD_CHARS);
  const kind = body.startsWith('→') ? ' after' : '';
  return el('div', { className: `line${nested ? ' nested' : ''}${kind}` }, body);
}

export function colour(lane: number): string {
  return PALETTE[lane % PALETTE.length]!;
}
