import type { Primitive } from '../runtime/virtual/host.ts';
import type { VirtualClock } from './clock.ts';
import type { ThreadView } from './monitor.ts';

/**
 * A fingerprint of everything the harness can see that decides how an
 * execution goes on under a fair round-robin schedule: where every thread and
 * continuation stands, the harness objects, the armed timers relative to now,
 * the task the last step decision picked (the round-robin's own state: a
 * timer callback's task, new with every timer, is not), and the scenario's
 * state object, walked to a bounded depth, its timestamps (epoch
 * milliseconds near the virtual clock's instant, as `Date.now()` gives them)
 * taken relative to now, as the timers are: a poll loop that only moves the
 * clock and stamps its state (`lastPoll = Date.now()`) is back where it was,
 * while a sleeper approaching its wake-up is not. When a fingerprint comes back,
 * the run is in a cycle that makes no progress the harness can see: a
 * livelock. State hidden in closures (a local counter of a retry loop) is
 * invisible to it; the report says the cycle is of visible state. A state
 * too large to walk within the budget gives no fingerprint (undefined): no
 * cycle is claimed on a part of the evidence.
 */
export function fingerprint(
  threads: readonly ThreadView[],
  primitives: readonly Primitive[],
  clock: VirtualClock,
  lastPicked: number | undefined,
  state: unknown,
): string | undefined {
  const parts: string[] = [String(lastPicked)];
  for (const t of threads) {
    parts.push(t.status);
    for (const c of t.continuations) parts.push(`${c.op}:${c.object ?? ''}:${c.enabled ? 1 : 0}`);
  }
  for (const p of primitives) parts.push(JSON.stringify(p.state()));
  // Relative to now: an interval that keeps firing repeats, a deadline that comes closer (a sleeper's) does not.
  parts.push(clock.armedRelative().join(','));
  // The harness's own objects are in the state too (a mutex the setup made): their state is above, their links lead to the engine.
  const ctx = { budget: MAX_NODES, seen: new Set<object>(), skip: new Set<object>(primitives), now: clock.now, stamps: clock.now >= MIN_EPOCH_NOW };
  parts.push(walk(state, 0, ctx));
  return ctx.budget < 0 ? undefined : hash(parts.join('|'));
}

/** Two independent 32-bit FNV-1a hashes: what is kept of a fingerprint, so that a long fair continuation keeps no strings. */
function hash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
  }
  return `${a.toString(36)}.${b.toString(36)}`;
}

const MAX_DEPTH = 8;
const MAX_NODES = 20_000;
/**
 * Timestamps are told from other numbers only where they cannot be confused
 * with them: a clock at a realistic epoch instant (after 2001-09-09, as the
 * default start of 2025 is), and integers within a virtual day of it.
 */
const MIN_EPOCH_NOW = 1e12;
const STAMP_WINDOW = 24 * 60 * 60 * 1000;

interface WalkContext {
  budget: number;
  readonly seen: Set<object>;
  readonly skip: Set<object>;
  readonly now: number;
  readonly stamps: boolean;
}

/** A bounded, deterministic description of a value's visible state. */
function walk(value: unknown, depth: number, ctx: WalkContext): string {
  if (--ctx.budget < 0) return '…';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return ctx.stamps && Number.isInteger(value) && Math.abs(ctx.now - value) <= STAMP_WINDOW ? `now${value - ctx.now}` : String(value);
    case 'boolean':
    case 'undefined':
    case 'bigint':
      return String(value);
    case 'symbol':
      return value.toString();
    case 'function':
      return 'fn';
  }
  if (value === null) return 'null';
  const object = value as object;
  if (ctx.skip.has(object)) return 'harness';
  if (ctx.seen.has(object)) return '^';
  if (depth >= MAX_DEPTH) {
    ctx.budget = -1; // deeper than walked: no claim on it
    return '{…}';
  }
  ctx.seen.add(object);
  try {
    if (Array.isArray(object)) return `${object.length}[${object.map((v) => walk(v, depth + 1, ctx)).join(',')}]`;
    if (object instanceof Map) return `M${object.size}{${[...object].map(([k, v]) => `${walk(k, depth + 1, ctx)}:${walk(v, depth + 1, ctx)}`).join(',')}}`;
    if (object instanceof Set) return `S${object.size}{${[...object].map((v) => walk(v, depth + 1, ctx)).join(',')}}`;
    if (object instanceof Promise) return 'P';
    const keys = Object.keys(object);
    return `{${keys.map((k) => `${k}:${walk((object as Record<string, unknown>)[k], depth + 1, ctx)}`).join(',')}}`;
  } catch {
    return '?';
  } finally {
    ctx.seen.delete(object);
  }
}
