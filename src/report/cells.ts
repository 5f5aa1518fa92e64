import type { Trace, TraceEvent, TraceStep } from '../trace/index.ts';

/** The column that holds what timer callbacks did; present only when a trace has timer steps. */
export const TIMERS_COLUMN = 'timers';

/** The step table's thread columns: one per thread, then `timers` if any timer fired. */
export function laneNames(trace: Trace): string[] {
  const lanes = [...trace.threads];
  if (trace.steps.some((step) => step.actorKind === 'timer' || !trace.threads.includes(step.actor))) lanes.push(TIMERS_COLUMN);
  return lanes;
}

/**
 * Turns each step into one cell per lane, in Lincheck's manner: an
 * operation's call, the effects it caused indented beneath it, its result,
 * and where the thread stands once the step has settled (`→ ...`).
 * Operations span steps, so what is open is carried from step to step.
 */
export function stepCells(trace: Trace, lanes: readonly string[]): string[][][] {
  const open = new Map<string, { readonly call: string }>();
  let before: Readonly<Record<string, string>> = {};
  return trace.steps.map((step) => {
    const cells = lanes.map(() => [] as string[]);
    const actorLane = laneOf(step, step.actor, lanes);
    const lastBlock = new Map<string, number>();
    step.events.forEach((event, i) => {
      if (event.type === 'block') lastBlock.set(event.thread, i);
    });
    if (step.actorKind === 'timer') cells[actorLane]!.push(`${step.actor}: ${step.resumed}`);
    else if (step.resumed === 'start') cells[actorLane]!.push('start');
    else if (step.resumed.startsWith('wait(') || step.resumed.startsWith('sleep(') || before[step.actor]?.startsWith('blocked') === true) {
      // It waited since some earlier row: say what it woke from, or the row reads as out of nowhere.
      cells[actorLane]!.push(`${open.has(step.actor) ? '  ' : ''}woke from ${step.resumed}`);
    }
    for (const joined of step.joined ?? []) {
      // Started in the same macrotask as the actor: say so first, or its row reads as a step of its own.
      const lane = laneOf(step, joined.actor, lanes);
      cells[lane]!.push(joined.started ? `≡ ${joined.resumed} (with ${step.actor}, +${joined.offset})` : `≡ ${joined.resumed}: could not start with ${step.actor}`);
    }
    step.events.forEach((event, i) => {
      // Events of code outside every thread (setup, a timer callback) carry no lane of their own: the actor's takes them.
      const owner = lanes.includes(event.thread) ? event.thread : step.actor;
      const lane = laneOf(step, owner, lanes);
      const indent = open.has(owner) && event.type !== 'response' ? '  ' : '';
      cells[lane]!.push(indent + eventLine(event, owner, open, step, lastBlock.get(event.thread) === i));
    });
    if (cells[actorLane]!.length === 0) cells[actorLane]!.push(step.resumed);
    before = step.threadsAfter;
    return cells;
  });
}

function laneOf(step: TraceStep, name: string, lanes: readonly string[]): number {
  const i = lanes.indexOf(name);
  if (i >= 0) return i;
  const timers = lanes.indexOf(TIMERS_COLUMN);
  return timers >= 0 ? timers : Math.max(0, lanes.indexOf(step.actor));
}

function target(event: TraceEvent): string {
  const detail = event.object ?? (event.type === 'block' ? event.value : undefined);
  return detail === undefined ? event.op : `${event.op}(${detail})`;
}

function eventLine(event: TraceEvent, owner: string, open: Map<string, { readonly call: string }>, step: TraceStep, lastBlock: boolean): string {
  switch (event.type) {
    case 'invoke': {
      const call = `${event.op}(${event.value ?? ''})`;
      open.set(owner, { call });
      return call;
    }
    case 'response': {
      const call = open.get(owner)?.call ?? `${event.op}()`;
      open.delete(owner);
      return event.value === undefined ? `${call} returned` : `${call}: ${event.value}`;
    }
    case 'effect':
      if (event.op === 'lock' && event.value === undefined) return `${target(event)} acquired`;
      return event.value === undefined ? target(event) : `${target(event)}: ${event.value}`;
    case 'block': {
      const after = lastBlock ? step.threadsAfter[event.thread] : undefined;
      return `→ ${after ?? `at ${target(event)}`}`;
    }
    case 'done':
      return 'done';
    case 'error':
      return `threw ${firstLine(event.value ?? 'an error')}`;
  }
}

function firstLine(text: string): string {
  const i = text.indexOf('\n');
  return i < 0 ? text : `${text.slice(0, i)} …`;
}
