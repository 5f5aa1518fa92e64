import type { Trace, TraceEvent, TraceStep } from '../trace/index.ts';
import { mermaidText } from './mermaidText.ts';

/** About what fits a GitHub issue and stays readable there. */
const MAX_MESSAGES = 80;
/** Of those, how many the end of the trace keeps when the middle must go (the failure is at the end). */
const TAIL_MESSAGES = 50;
/** Cycles of up to this many steps are looked for, and collapsed when they repeat this often. */
const MAX_PERIOD = 4;
const MIN_REPEATS = 3;
const MAX_NOTE = 180;

type Ref = { readonly kind: 'thread' | 'object'; readonly name: string } | { readonly kind: 'timers' | 'buffer' };
type Arrow = '->>' | '-->>' | '-x' | '-)';
type Statement =
  | { readonly type: 'message'; readonly from: Ref; readonly to: Ref; readonly arrow: Arrow; readonly text: string }
  | { readonly type: 'note'; readonly over: readonly (Ref)[]; readonly text: string };

interface StepBlock {
  readonly step: TraceStep;
  readonly statements: readonly Statement[];
  /** Equal for steps that draw the same messages, whatever their numbers. */
  readonly signature: string;
}

/**
 * The (already minimised) failure as a Mermaid sequence diagram, to paste
 * into an issue: threads as participants on both sides, the harness objects
 * they meet in between, one message per lock, unlock, wait, notify, acquire,
 * release, put, take and sleep; a lost notify drawn as a cross, the failing
 * step shaded and explained in a note. Repeating cycles are collapsed and
 * the middle of a long trace is left out, so it stays short.
 */
export function renderMermaid(trace: Trace): string {
  const failing = trace.outcome.step ?? trace.steps[trace.steps.length - 1]?.index;
  const returning = returningTakes(trace);
  const blocks = trace.steps.map((step) => blockOf(trace, step, step.index === failing, returning));
  const body = shorten(collapse(blocks, failing), failing);
  const ids = participants(trace, body);
  const lines = ['sequenceDiagram', ...[...ids.values()].map((p) => `  participant ${p.id} as ${mermaidText(p.label)}`)];
  for (const item of body) {
    if ('note' in item) {
      lines.push(`  Note over ${ids.first},${ids.last}: ${mermaidText(item.note)}`);
      continue;
    }
    const shade = item.step.index === failing;
    if (shade) lines.push('  rect rgb(255, 235, 233)');
    item.statements.forEach((s, i) => lines.push(`  ${statementLine(s, ids, i === 0 ? `${item.step.index}: ` : '')}`));
    if (shade) {
      const what = `✖ ${trace.outcome.message ?? `${trace.outcome.kind ?? 'failure'} at step ${item.step.index}`}`;
      lines.push(`  Note over ${ids.first},${ids.last}: ${mermaidText(cut(what, MAX_NOTE))}`);
      lines.push('  end');
    }
  }
  return `${lines.join('\n')}\n`;
}

function blockOf(trace: Trace, step: TraceStep, failing: boolean, returning: ReadonlySet<number>): StepBlock {
  const out: Statement[] = [];
  const isThread = (name: string): boolean => trace.threads.includes(name);
  const actor: Ref = isThread(step.actor) ? { kind: 'thread', name: step.actor } : { kind: 'timers' };
  if (actor.kind === 'timers') out.push({ type: 'message', from: actor, to: actor, arrow: '->>', text: `${step.actor} ${step.resumed}` });
  if (step.note !== undefined) out.push({ type: 'note', over: [actor], text: step.note });
  if (step.joined !== undefined && step.joined.length > 0) {
    out.push({ type: 'note', over: [actor], text: `same macrotask: ${step.joined.map((j) => `${j.actor} ${j.resumed} +${j.offset}`).join(', ')}` });
  }
  const lastBlock = new Map<string, TraceEvent>();
  for (const event of step.events) if (event.type === 'block') lastBlock.set(event.thread, event);
  for (const event of step.events) {
    const owner: Ref = isThread(event.thread) ? { kind: 'thread', name: event.thread } : actor;
    const object: Ref = event.object === undefined ? { kind: 'buffer' } : { kind: 'object', name: event.object };
    const blocks = lastBlock.get(event.thread) === event && step.threadsAfter[event.thread]?.startsWith('blocked') === true;
    out.push(...eventStatements(event, owner, object, blocks, isThread, returning.has(event.seq)));
  }
  if (failing) {
    for (const b of trace.outcome.blocked ?? []) out.push({ type: 'note', over: [{ kind: 'thread', name: b.thread }], text: `waits in ${b.waitsFor}` });
  }
  return { step, statements: out, signature: JSON.stringify(out) };
}

function eventStatements(
  event: TraceEvent,
  owner: Ref,
  object: Ref,
  blocks: boolean,
  isThread: (name: string) => boolean,
  returns: boolean,
): Statement[] {
  const message = (from: Ref, to: Ref, text: string, arrow: Arrow = '->>'): Statement => ({ type: 'message', from, to, arrow, text });
  switch (event.type) {
    case 'effect': {
      if ((event.op === 'notify' || event.op === 'notifyAll') && event.value !== undefined) {
        if (event.value === 'no waiter') return [message(owner, object, `${event.op} (no waiter)`, '-x')];
        const woken = event.value.replace(/^woke /, '').split(', ').filter(isThread);
        return [message(owner, object, event.op), ...woken.map((name) => message(object, { kind: 'thread', name }, 'wakes', '-->>'))];
      }
      return [message(owner, object, event.value === undefined ? event.op : `${event.op} (${event.value})`)];
    }
    case 'invoke':
      if (event.op === 'put') return [message(owner, object, `put(${event.value ?? ''})`)];
      // A take is drawn when it returns; one that never does is drawn where it began.
      if (event.op === 'take') return returns ? [] : [message(owner, object, 'take()')];
      return [message(owner, owner, `${event.op}(${event.value ?? ''})`)];
    case 'response':
      if (event.op === 'take') return [message(object, owner, `take → ${event.value ?? 'undefined'}`, '-->>')];
      return [];
    case 'block':
      if (event.op === 'wait') return [message(owner, object, 'wait', '-)')];
      if (event.op === 'sleep' || event.op === 'yield') return [message(owner, owner, event.value === undefined ? event.op : `${event.op}(${event.value})`)];
      if (blocks && event.object !== undefined) return [message(owner, object, `${event.op} (blocks)`, '-)')];
      return [];
    case 'error':
      return [{ type: 'note', over: [owner], text: `threw ${event.value ?? 'an error'}` }];
    case 'done':
      return [];
  }
}

/** The sequence numbers of the take invocations that return within the trace. */
function returningTakes(trace: Trace): Set<number> {
  const open = new Map<string, number>();
  const returning = new Set<number>();
  for (const step of trace.steps) {
    for (const event of step.events) {
      if (event.op !== 'take') continue;
      if (event.type === 'invoke') open.set(event.thread, event.seq);
      else if (event.type === 'response' && open.has(event.thread)) returning.add(open.get(event.thread)!);
    }
  }
  return returning;
}

type Item = StepBlock | { readonly note: string };

/** Runs of a short cycle of identical steps, repeated at least MIN_REPEATS times, are drawn once with a note saying how often they came. */
function collapse(blocks: readonly StepBlock[], failing: number | undefined): Item[] {
  const drawn = blocks.filter((b) => b.statements.length > 0);
  const out: Item[] = [];
  for (let i = 0; i < drawn.length; ) {
    let best = { period: 0, repeats: 0 };
    for (let period = 1; period <= MAX_PERIOD; period++) {
      let repeats = 1;
      while (sameRun(drawn, i, period, repeats, failing)) repeats++;
      if (repeats >= MIN_REPEATS && repeats * period > best.repeats * best.period) best = { period, repeats };
    }
    if (best.period === 0) {
      out.push(drawn[i]!);
      i++;
      continue;
    }
    out.push(...drawn.slice(i, i + best.period));
    const from = drawn[i + best.period]!.step.index;
    const to = drawn[i + best.period * best.repeats - 1]!.step.index;
    out.push({ note: `steps ${from}–${to}: the same ${best.period === 1 ? 'step' : `${best.period} steps`} ${best.repeats - 1} more time${best.repeats === 2 ? '' : 's'}` });
    i += best.period * best.repeats;
  }
  return out;
}

function sameRun(drawn: readonly StepBlock[], start: number, period: number, repeats: number, failing: number | undefined): boolean {
  const next = start + period * repeats;
  if (next + period > drawn.length) return false;
  for (let k = 0; k < period; k++) {
    const candidate = drawn[next + k]!;
    if (candidate.step.index === failing || candidate.signature !== drawn[start + k]!.signature) return false;
  }
  return true;
}

/** Keeps the beginning and the end (where the failure is) when there are too many messages, with a note for what was left out. */
function shorten(items: readonly Item[], failing: number | undefined): Item[] {
  // The failing step also gets the note that explains the failure.
  const size = (item: Item): number => ('note' in item ? 1 : item.statements.length + (item.step.index === failing ? 1 : 0));
  const total = items.reduce((sum, item) => sum + size(item), 0);
  if (total <= MAX_MESSAGES) return [...items];
  let tail = items.length;
  for (let used = 0; tail > 0 && used + size(items[tail - 1]!) <= TAIL_MESSAGES; tail--) used += size(items[tail - 1]!);
  // The failing step is kept whole even when it alone is longer than the tail's share.
  if (tail === items.length) tail--;
  let head = 0;
  const room = MAX_MESSAGES - 1 - items.slice(tail).reduce((sum, item) => sum + size(item), 0);
  for (let used = 0; head < tail && used + size(items[head]!) <= room; head++) used += size(items[head]!);
  const left = items.slice(head, tail);
  if (left.length === 0) return [...items];
  const steps = left.filter((item): item is StepBlock => !('note' in item)).map((b) => b.step.index);
  const span = steps.length === 0 ? 'some steps' : `steps ${steps[0]}–${steps[steps.length - 1]}`;
  const count = left.reduce((sum, item) => sum + size(item), 0);
  return [...items.slice(0, head), { note: `… ${span} left out (${count} messages): see trace.html or failure.txt …` }, ...items.slice(tail)];
}

interface Participant {
  readonly id: string;
  readonly label: string;
}

/**
 * Participant ids and labels, in the order they stand: the first half of
 * the threads, the harness objects they meet (locks, conditions,
 * semaphores, the buffer), the other half, then timers. Only what the
 * diagram uses is declared.
 */
function participants(trace: Trace, items: readonly Item[]): Map<string, Participant> & { first: string; last: string } {
  const used = new Set<string>();
  const objects: string[] = [];
  const visit = (ref: Ref): void => {
    const key = keyOf(ref);
    if (ref.kind === 'object' && !used.has(key)) objects.push(ref.name);
    used.add(key);
  };
  for (const item of items) {
    if ('note' in item) continue;
    for (const s of item.statements) {
      if (s.type === 'message') {
        visit(s.from);
        visit(s.to);
      } else s.over.forEach(visit);
    }
  }
  const kinds = kindsOf(trace);
  objects.sort((a, b) => rank(kinds.get(a)) - rank(kinds.get(b)));
  const half = Math.ceil(trace.threads.length / 2);
  const order: { key: string; id: string; label: string }[] = [
    ...trace.threads.slice(0, half).map((name, i) => ({ key: `thread:${name}`, id: `th${i}`, label: name })),
    ...objects.map((name, i) => ({ key: `object:${name}`, id: `ob${i}`, label: kinds.has(name) ? `${name} (${kinds.get(name)})` : name })),
    { key: 'buffer', id: 'buf', label: 'buffer' },
    ...trace.threads.slice(half).map((name, i) => ({ key: `thread:${name}`, id: `th${half + i}`, label: name })),
    { key: 'timers', id: 'tmr', label: 'timers' },
  ];
  const map = new Map<string, Participant>() as Map<string, Participant> & { first: string; last: string };
  for (const p of order) if (used.has(p.key)) map.set(p.key, { id: p.id, label: p.label });
  // A diagram with no message still needs somewhere to put its notes.
  if (map.size === 0 && trace.threads.length > 0) map.set(`thread:${trace.threads[0]}`, { id: 'th0', label: trace.threads[0]! });
  const ids = [...map.values()].map((p) => p.id);
  map.first = ids[0] ?? 'th0';
  map.last = ids[ids.length - 1] ?? map.first;
  return map;
}

function keyOf(ref: Ref): string {
  return 'name' in ref ? `${ref.kind}:${ref.name}` : ref.kind;
}

/** Which kind of harness object each name is, from the snapshots. */
function kindsOf(trace: Trace): Map<string, 'mutex' | 'condition' | 'semaphore'> {
  const kinds = new Map<string, 'mutex' | 'condition' | 'semaphore'>();
  for (const { snapshot } of trace.steps) {
    for (const name of Object.keys(snapshot.locks)) kinds.set(name, 'mutex');
    for (const name of Object.keys(snapshot.conditions)) kinds.set(name, 'condition');
    for (const name of Object.keys(snapshot.semaphores)) kinds.set(name, 'semaphore');
  }
  return kinds;
}

function rank(kind: string | undefined): number {
  return kind === 'mutex' ? 0 : kind === 'condition' ? 1 : kind === 'semaphore' ? 2 : 3;
}

function statementLine(s: Statement, ids: Map<string, Participant> & { first: string }, prefix: string): string {
  const id = (ref: Ref): string => ids.get(keyOf(ref))?.id ?? ids.first;
  if (s.type === 'note') return `Note over ${s.over.map(id).join(',')}: ${mermaidText(prefix + cut(s.text, MAX_NOTE))}`;
  return `${id(s.from)}${s.arrow}${id(s.to)}: ${mermaidText(prefix + cut(s.text, MAX_NOTE))}`;
}

function cut(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
