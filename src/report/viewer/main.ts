/**
 * The trace viewer's page script, bundled into every trace.html. It reads
 * the embedded trace, draws the lanes and the buffer chart, and keeps the
 * state panel on the selected step. Anything wrong with the data is shown
 * as an error in place of the lanes, never as a half-drawn page.
 */
import type { Trace } from '../../trace/index.ts';
import { occupancyChart } from './chart.ts';
import { replayBox } from './copy.ts';
import { byId, cut, el, longText } from './dom.ts';
import { laneModel } from './lanes.ts';
import { JOINED_MARK, laneView } from './laneView.ts';
import { readViewerData, type ViewerPayload } from './payload.ts';
import { occupancy } from './stateAt.ts';
import { renderState } from './statePanel.ts';

function start(): void {
  try {
    const { trace, payload } = readViewerData(document);
    mount(trace, payload);
    document.body.dataset.ready = 'true';
  } catch (error) {
    showError(error);
  }
}

/** A hang's steps died with the worker that ran them. */
const HANG_NOTICE =
  'No steps recorded: the worker running this execution was terminated in the step that never ended. ' +
  'The token replays the steps before it and then hangs again, under the same watchdog (interleave replay, or replay(scenario, token, { isolate: true })).';

function mount(trace: Trace, payload: ViewerPayload): void {
  document.title = `${payload.kind} in ${cut(payload.scenario, 200)} · Interleave`;
  byId('summary').replaceChildren(...summaryOf(trace, payload));
  const timeline = byId('timeline');
  const panel = byId('state');
  if (trace.steps.length === 0) {
    timeline.replaceChildren(el('p', { className: 'notice' }, payload.kind === 'hang' ? HANG_NOTICE : 'The execution failed before its first step: there is nothing to draw.'));
    panel.replaceChildren();
    return;
  }

  const last = trace.steps.length - 1;
  const found = trace.steps.findIndex((step) => step.index === payload.step);
  const failing = found < 0 ? last : found;
  const model = laneModel(trace);
  const data = occupancy(trace);
  let current = failing;

  const select = (position: number, reveal = true): void => {
    current = Math.max(0, Math.min(last, position));
    lanes.select(current, reveal);
    chart?.select(current);
    renderState(panel, trace, model, payload, current);
    document.body.dataset.step = String(trace.steps[current]!.index);
  };
  const chart = data === undefined ? undefined : occupancyChart(data, trace.capacity, failing, select);
  timeline.replaceChildren(legend(), ...(chart === undefined ? [] : [chart.element]));
  chart?.draw();
  // What the legend and the chart leave of the timeline is the lanes' (less a scroll bar).
  const room = timeline.clientHeight - [...timeline.children].reduce((sum, child) => sum + (child as HTMLElement).offsetHeight, 0) - 16;
  const lanes = laneView(trace, model, failing, select, room);
  timeline.appendChild(lanes.element);

  lanes.centre(failing);
  select(failing, false);

  document.addEventListener('keydown', (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || isEditable(event.target)) return;
    const moves: Record<string, number> = { ArrowLeft: current - 1, ArrowRight: current + 1, Home: 0, End: last, f: failing };
    const to = moves[event.key];
    if (to === undefined) return;
    event.preventDefault();
    select(to);
  });
  window.addEventListener('resize', () => {
    chart?.draw();
    lanes.render();
  });
}

function summaryOf(trace: Trace, payload: ViewerPayload): HTMLElement[] {
  return [
    el('h1', {}, el('span', { className: 'kind-badge' }, payload.kind), ' in ', el('span', { className: 'scenario' }, longText(payload.scenario, 300))),
    el('p', { className: 'message', id: 'message' }, longText(payload.message)),
    el(
      'p',
      { className: 'meta' },
      longText(
        `Detected at step ${payload.step}${trace.steps.length > 0 ? ` of ${trace.steps.length}` : ''} · strategy ${trace.strategy} · seed ${trace.seed} · threads: ${trace.threads.join(', ')}`,
        500,
      ),
    ),
    replayBox(payload.command),
  ];
}

function legend(): HTMLElement {
  const key = (className: string, text: string): HTMLElement => el('span', { className: 'key' }, el('span', { className: `swatch ${className}` }), text);
  return el(
    'div',
    { className: 'legend' },
    key('active', 'ran in the step'),
    key('status-ready', 'ready to run'),
    key('status-blocked', 'blocked'),
    key('status-parked', 'parked on a promise'),
    el('span', { className: 'key' }, '⇄ context switch'),
    el('span', { className: 'key' }, `${JOINED_MARK} same macrotask`),
    el('span', { className: 'key hint' }, 'click a step or press ← →'),
  );
}

function isEditable(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

function showError(error: unknown): void {
  const why = error instanceof Error ? error.message : String(error);
  const box = document.getElementById('viewer-error');
  document.getElementById('app')?.remove();
  document.body.dataset.error = 'true';
  if (box === null) return;
  box.replaceChildren(
    el('h1', {}, 'This trace viewer cannot show its trace'),
    el('p', {}, why),
    el('p', {}, 'The data embedded in this file is missing or damaged. The same failure is in failure.txt and trace.json beside this file; run interleave explore again to write this page anew.'),
  );
  box.hidden = false;
}

start();
