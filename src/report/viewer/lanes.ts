import { waitPhrase, type Trace, type TraceStep } from '../../trace/index.ts';
import { stepCells } from '../cells.ts';

/** Where a lane's thread stands once a step has settled, as the lanes draw it. */
export type LaneStatus = 'not-started' | 'ready' | 'blocked' | 'parked' | 'done' | 'failed' | 'idle';

export interface LaneCell {
  /** What the lane's thread (or timer) did in the step, one line each; empty when it did nothing. */
  readonly lines: readonly string[];
  readonly status: LaneStatus;
  /** For a blocked or parked thread: what it waits for, in the report's words. */
  readonly waits?: string;
  /** Set when the lane's continuation ran in the same macrotask as another lane's: how it joined. */
  readonly joined?: string;
  /** The step's note, on the actor's cell. */
  readonly note?: string;
}

export interface Lane {
  readonly name: string;
  readonly kind: 'thread' | 'timer';
}

export interface LaneModel {
  readonly lanes: readonly Lane[];
  /** cells[step position][lane position] */
  readonly cells: readonly (readonly LaneCell[])[];
  /** The most lines any cell of each lane holds. */
  readonly depth: readonly number[];
}

/** One lane per thread, then one per timer that fired, in the order they first fired. */
export function lanesOf(trace: Trace): Lane[] {
  const lanes: Lane[] = trace.threads.map((name) => ({ name, kind: 'thread' }));
  const seen = new Set(trace.threads);
  for (const step of trace.steps) {
    if (seen.has(step.actor)) continue;
    seen.add(step.actor);
    lanes.push({ name: step.actor, kind: 'timer' });
  }
  return lanes;
}

/**
 * The lanes' contents, step by step: the text report's cells (so both say
 * the same thing in the same words), where each thread stands after the
 * step, and which continuations shared the actor's macrotask.
 */
export function laneModel(trace: Trace): LaneModel {
  const lanes = lanesOf(trace);
  const names = lanes.map((lane) => lane.name);
  const text = stepCells(trace, names);
  const depth = lanes.map(() => 0);
  const last = trace.steps.length - 1;
  const cells = trace.steps.map((step, s) =>
    lanes.map((lane, l): LaneCell => {
      let lines = text[s]![l] ?? [];
      const joined = joinedLabel(step, lane.name);
      // A continuation that joined the macrotask but left no event still took part: name what it resumed.
      if (joined !== undefined && lines.length === 0) lines = [step.joined!.find((j) => j.actor === lane.name)?.resumed ?? step.resumed];
      const note = lane.name === step.actor ? step.note : undefined;
      depth[l] = Math.max(depth[l]!, lines.length + (note === undefined ? 0 : 1));
      const where = lane.kind === 'thread' ? step.threadsAfter[lane.name] : undefined;
      const status = statusOf(where);
      const waits = status !== 'blocked' && status !== 'parked' ? undefined : s === last ? finalWait(trace, lane.name, where!) : where;
      // One shape for every cell (absent fields as undefined), which keeps a long trace's model fast to build.
      return { lines, status, waits, joined, note };
    }),
  );
  return { lanes, cells, depth };
}

/** The engine's words for where a thread stands (`ready at put`, `blocked in wait(c)`, ...) as a status. */
export function statusOf(where: string | undefined): LaneStatus {
  if (where === undefined) return 'idle';
  if (where.startsWith('blocked')) return 'blocked';
  if (where.startsWith('parked')) return 'parked';
  if (where.startsWith('ready')) return 'ready';
  if (where === 'done') return 'done';
  if (where.startsWith('failed')) return 'failed';
  if (where === 'not started') return 'not-started';
  return 'ready';
}

/** At the end, the outcome's blocked set says more than the step: who could release a semaphore, what a parked thread is inside. */
function finalWait(trace: Trace, thread: string, where: string): string {
  const blocked = trace.outcome.blocked?.find((b) => b.thread === thread);
  if (blocked === undefined) return where;
  return `${where.startsWith('parked') ? 'parked in' : 'blocked in'} ${waitPhrase(blocked)}`;
}

/** How a lane's continuation shares the step's macrotask, or undefined when it does not. */
export function joinedLabel(step: TraceStep, lane: string): string | undefined {
  if (step.joined === undefined || step.joined.length === 0) return undefined;
  if (lane === step.actor) return `began the macrotask; ${step.joined.map((j) => j.actor).join(', ')} joined it`;
  const i = step.joined.findIndex((j) => j.actor === lane);
  if (i < 0) return undefined;
  const j = step.joined[i]!;
  const before = i === 0 ? step.actor : step.joined[i - 1]!.actor;
  const turns = j.offset === 0 ? 'in the same synchronous block' : `${j.offset} microtask turn${j.offset === 1 ? '' : 's'} later`;
  const after = `${before}'s ${i === 0 ? step.resumed : step.joined[i - 1]!.resumed}`;
  return j.started
    ? `started in the same macrotask as ${after}, ${turns}`
    : `had its turn in the same macrotask as ${after}, ${turns}, but could no longer proceed and stayed where it was`;
}
