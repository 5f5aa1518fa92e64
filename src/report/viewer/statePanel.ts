import { waitPhrase, type Trace } from '../../trace/index.ts';
import { el, longText, type Child } from './dom.ts';
import { joinedLabel, statusOf, type LaneModel } from './lanes.ts';
import { JOINED_MARK } from './laneView.ts';
import type { ViewerPayload } from './payload.ts';
import { outcomeSoFar } from './stateAt.ts';

/**
 * The state once a step has settled, in full: what each lane did, where
 * every thread stands, who holds which lock, who waits on which condition
 * or semaphore, what the buffer holds, and what has been put and taken so
 * far. At the failing step, the finding itself.
 */
export function renderState(panel: HTMLElement, trace: Trace, model: LaneModel, payload: ViewerPayload, position: number): void {
  const step = trace.steps[position]!;
  const failing = step.index === payload.step;
  const { snapshot } = step;
  const sections: Child[] = [];

  sections.push(
    el(
      'div',
      { className: 'state-head' },
      el('h2', {}, `Step ${step.index} of ${trace.steps.length}`),
      el('span', { className: 'meta' }, longText(`${step.actor} resumed ${step.resumed} · ${snapshot.time}ms${step.switched ? ' · context switch' : ''}`, 300)),
      failing && el('span', { className: 'kind-badge' }, `${payload.kind} detected here`),
    ),
  );
  if (failing) sections.push(findingOf(trace, payload));

  const did = model.lanes.flatMap((lane, l) => {
    const cell = model.cells[position]![l]!;
    if (cell.lines.length === 0) return [];
    return [
      el(
        'div',
        { className: 'did' },
        el('div', { className: 'who' }, longText(lane.name, 300)),
        cell.note !== undefined && el('div', { className: 'line note' }, longText(cell.note)),
        ...cell.lines.map((line) => el('div', { className: `line${line.startsWith('  ') ? ' nested' : ''}` }, longText(line.trimStart()))),
        cell.joined !== undefined && el('div', { className: 'line joined-text' }, longText(`${JOINED_MARK} ${cell.joined}`)),
      ),
    ];
  });
  sections.push(section('What happened', did));
  if (step.joined !== undefined && step.joined.length > 0) {
    sections.push(
      section(
        'Same macrotask',
        step.joined.map((j) => el('div', { className: 'line' }, longText(`${j.actor} (${j.resumed}): ${joinedLabel(step, j.actor)}`))),
      ),
    );
  }

  sections.push(section('Threads', [pairs(Object.entries(step.threadsAfter).map(([name, where]) => [name, where, `status-${statusOf(where)}`]))]));
  const locks = Object.entries(snapshot.locks);
  if (locks.length > 0) sections.push(section('Locks', [pairs(locks.map(([name, holder]) => [name, holder === null ? 'free' : `held by ${holder}`, holder === null ? 'free' : 'held']))]));
  const conditions = Object.entries(snapshot.conditions);
  if (conditions.length > 0) sections.push(section('Conditions', [pairs(conditions.map(([name, waiters]) => [name, waitersText(waiters)]))]));
  const semaphores = Object.entries(snapshot.semaphores);
  if (semaphores.length > 0) {
    sections.push(section('Semaphores', [pairs(semaphores.map(([name, s]) => [name, `${s.permits} permit${s.permits === 1 ? '' : 's'}; ${waitersText(s.waiters)}`]))]));
  }
  const buffer = snapshot.buffer;
  if (buffer !== undefined) {
    const size = buffer.size === undefined ? `${buffer.contents.length}` : `size ${buffer.size}`;
    const of = trace.capacity === undefined ? '' : ` of ${trace.capacity}`;
    const model = buffer.size !== undefined && buffer.size !== buffer.contents.length ? ` (put and not yet taken: ${buffer.contents.length})` : '';
    sections.push(
      section('Buffer', [
        el('div', { className: 'line' }, `${size}${of}${model}`),
        el('div', { className: 'items' }, ...(buffer.contents.length === 0 ? [el('span', { className: 'empty' }, 'empty')] : buffer.contents.map((item) => el('span', { className: 'item' }, longText(item, 300))))),
      ]),
    );
  }
  const so = outcomeSoFar(trace, position);
  if (so.puts.size > 0 || so.takes.size > 0) {
    const rows = [...[...so.puts].map(([who, items]) => [who, 'put', items] as const), ...[...so.takes].map(([who, items]) => [who, 'took', items] as const)];
    sections.push(section('Outcome so far', [pairs(rows.map(([who, verb, items]) => [who, `${verb} ${items.join(', ')}`]))]));
  }
  panel.replaceChildren(...sections.filter((s): s is Node => s !== undefined && s !== false && typeof s !== 'string'));
}

function findingOf(trace: Trace, payload: ViewerPayload): HTMLElement {
  const { outcome } = trace;
  return el(
    'div',
    { className: 'finding' },
    el('div', { className: 'message-text' }, longText(payload.message)),
    ...(outcome.blocked ?? []).map((b) => el('div', { className: 'line' }, longText(`${b.thread} waits in ${waitPhrase(b)}`))),
    outcome.cycle !== undefined && outcome.cycle.length > 0 && el('div', { className: 'line' }, longText(`Wait-for cycle: ${outcome.cycle.join(' → ')}`)),
    outcome.repeating !== undefined && outcome.repeating.length > 0 && el('div', { className: 'line' }, longText(`Repeating: ${outcome.repeating.join(' → ')} → (again)`)),
  );
}

function section(title: string, body: readonly Child[]): HTMLElement {
  return el('section', {}, el('h3', {}, title), ...body);
}

/** Name and value pairs (a thread and where it stands, a lock and its holder), as a definition list; the value may carry a class. */
function pairs(entries: readonly (readonly [name: string, value: string, className?: string])[]): HTMLElement {
  return el('dl', { className: 'pairs' }, ...entries.flatMap(([name, value, className]) => [el('dt', {}, longText(name, 300)), el('dd', className === undefined ? {} : { className }, longText(value))]));
}

function waitersText(waiters: readonly string[]): string {
  return waiters.length === 0 ? 'no waiter' : `waiting: ${waiters.join(', ')}`;
}
