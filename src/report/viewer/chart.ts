import { el, svg } from './dom.ts';
import type { Occupancy } from './stateAt.ts';

const HEIGHT = 84;
const MARGIN = { left: 30, right: 10, top: 8, bottom: 8 };

export interface Chart {
  readonly element: HTMLElement;
  /** Moves the marker to a step position without redrawing the lines. */
  select(position: number): void;
  /** Redraws for the container's current width. */
  draw(): void;
}

/**
 * Buffer occupancy over the whole trace, as an overview: one slot per step,
 * the occupancy as a step line, the capacity as a dashed line, and where the
 * model and the implementation disagree, the model's count dotted beside
 * the reported size (that gap is what a lost or invented item looks like).
 * Clicking a slot selects its step.
 */
export function occupancyChart(data: Occupancy, capacity: number | undefined, failing: number, pick: (position: number) => void): Chart {
  const n = data.reported.length;
  const values = [...data.reported, ...data.held].filter((v): v is number => v !== undefined);
  const top = Math.max(1, capacity ?? 0, ...values);
  const bottom = Math.min(0, ...values);
  const disagree = data.reported.some((v, i) => v !== data.held[i]);

  const plot = svg('svg', { class: 'occupancy', height: HEIGHT, role: 'img', 'aria-label': 'Buffer occupancy over the steps' });
  const legend = el(
    'div',
    { className: 'chart-legend' },
    el('span', { className: 'key reported' }, disagree ? 'size reported by the buffer' : 'items in the buffer'),
    disagree && el('span', { className: 'key held' }, 'items put and not yet taken'),
    el('span', { className: 'key capacity' }, capacity === undefined ? 'capacity not recorded in this trace' : `capacity ${capacity}`),
  );
  const element = el('div', { className: 'chart', id: 'chart' }, legend, plot);
  let slot = 1;
  let marker: SVGRectElement | undefined;
  let selected = failing;

  const y = (v: number): number => MARGIN.top + ((top - v) / (top - bottom)) * (HEIGHT - MARGIN.top - MARGIN.bottom);

  function line(series: readonly (number | undefined)[], className: string): void {
    let points: string[] = [];
    const flush = (): void => {
      if (points.length > 0) plot.appendChild(svg('polyline', { class: className, points: points.join(' ') }));
      points = [];
    };
    // Where slots are narrower than a pixel, each pixel shows the highest value of its steps: an overflow is never averaged away.
    const per = Math.max(1, Math.floor(1 / slot));
    for (let i = 0; i < series.length; i += per) {
      let v: number | undefined;
      for (let k = i; k < Math.min(series.length, i + per); k++) {
        const value = series[k];
        if (value !== undefined && (v === undefined || value > v)) v = value;
      }
      if (v === undefined) {
        flush();
        continue;
      }
      const x0 = MARGIN.left + i * slot;
      const x1 = MARGIN.left + Math.min(series.length, i + per) * slot;
      points.push(`${x0.toFixed(1)},${y(v).toFixed(1)}`, `${x1.toFixed(1)},${y(v).toFixed(1)}`);
    }
    flush();
  }

  function label(text: string, at: number, className = 'axis'): void {
    const node = svg('text', { x: MARGIN.left - 4, y: y(at) + 3, class: className, 'text-anchor': 'end' });
    node.textContent = text;
    plot.appendChild(node);
  }

  function draw(): void {
    const width = Math.max(200, element.clientWidth);
    plot.setAttribute('width', String(width));
    plot.setAttribute('viewBox', `0 0 ${width} ${HEIGHT}`);
    plot.replaceChildren();
    slot = (width - MARGIN.left - MARGIN.right) / Math.max(1, n);
    marker = svg('rect', { class: 'marker', y: MARGIN.top, height: HEIGHT - MARGIN.top - MARGIN.bottom });
    plot.appendChild(marker);
    plot.appendChild(svg('line', { class: 'baseline', x1: MARGIN.left, x2: width - MARGIN.right, y1: y(0), y2: y(0) }));
    label('0', 0);
    if (capacity !== undefined) {
      plot.appendChild(svg('line', { class: 'capacity', x1: MARGIN.left, x2: width - MARGIN.right, y1: y(capacity), y2: y(capacity) }));
      if (capacity !== 0) label(String(capacity), capacity, 'axis capacity');
    }
    if (top !== capacity && top !== 0) label(String(top), top);
    if (bottom < 0) label(String(bottom), bottom);
    if (disagree) line(data.held, 'held');
    line(data.reported, 'reported');
    const fx = MARGIN.left + (failing + 0.5) * slot;
    plot.appendChild(svg('line', { class: 'failing', x1: fx, x2: fx, y1: MARGIN.top, y2: HEIGHT - MARGIN.bottom }));
    select(selected);
  }

  function select(position: number): void {
    selected = position;
    if (marker === undefined) return;
    marker.setAttribute('x', (MARGIN.left + position * slot).toFixed(1));
    marker.setAttribute('width', Math.max(2, slot).toFixed(1));
  }

  plot.addEventListener('click', (event) => {
    const box = plot.getBoundingClientRect();
    const position = Math.floor((event.clientX - box.left - MARGIN.left) / slot);
    if (position >= 0 && position < n) pick(position);
  });
  return { element, select, draw };
}
