/**
 * What instrumented modules call (`__p`, see transform.ts): each function
 * reports the access to the collector, when it records, and then does what
 * the original expression did.
 */
import { CLOCK, collector, PROOF, WRITE, READ } from './collector.ts';
import { isHarnessPoint } from './points.ts';

/** Every promise interaction of user code (await, resolve, an async function's end, then) touches this one pseudo-object. */
export const ASYNC = -4;

const c = collector;
const instrumented = new WeakSet<object>();
const harness = new WeakSet<object>();
const safe = new WeakSet<object>();
type Rule = (receiver: unknown) => void;
const rules = new WeakMap<object, Rule>();
/** Property names only constructors and field initializers assign (see transform.ts): a write elsewhere makes its step opaque. */
const FINAL = new Set<unknown>();

const settle = (): void => c.pseudo(ASYNC, 'settle', WRITE);

/**
 * A promise's location: awaiting it, `.then` on it, calling its resolver and
 * the end of the async function it came from all write it, so that a step
 * that registers on a promise and the step that settles it are ordered.
 * Kept on the promise and its resolvers (a symbol property: a WeakMap of
 * every promise costs the garbage collector more). `via`: the promise it
 * adopted (resolved with, or returned by its async function), whose
 * settling settles it.
 */
interface Cell {
  via: Cell | undefined;
  /** The async function invocation's promise got this cell (its caller is instrumented). */
  claimed: boolean;
}
const CELL = Symbol('interleave.proof.cell');
type WithCell = { [CELL]?: Cell };

function cellOf(x: unknown): Cell | undefined {
  return x !== null && (typeof x === 'object' || typeof x === 'function') ? (x as WithCell)[CELL] : undefined;
}

/** The cell of every thenable of unknown origin: touching it touches the shared pseudo-location. */
const UNKNOWN: Cell = { via: undefined, claimed: true };

function touch(cell: Cell): void {
  for (let k: Cell | undefined = cell, n = 0; k !== undefined && n < 64; k = k.via, n++) {
    if (k === UNKNOWN) settle();
    else c.write(k, 'settle');
  }
}

/** Registering on `x` (await, then): its cell, or the shared pseudo-location for a promise of unknown origin. */
function registerOn(x: unknown): void {
  if (x === null || typeof x !== 'object' || isHarnessPoint(x)) return;
  const cell = (x as WithCell)[CELL];
  if (cell !== undefined) touch(cell);
  else if (typeof (x as { then?: unknown }).then === 'function') settle();
}

/** `value` settles the promise of `cell`: if it is a thenable, the promise adopts it. */
function adopt(cell: Cell, value: unknown): void {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return;
  if (typeof (value as { then?: unknown }).then !== 'function') return;
  // Adopting registers on it; a thenable of unknown origin stands for the shared pseudo-location.
  const other = cellOf(value) ?? UNKNOWN;
  touch(other);
  cell.via ??= other;
}

/** Async function invocations whose promise no call has claimed yet (see `ret`): the collector resets it per execution through `beginExecution`. */
const entered: (Cell | undefined)[] = [];

function describe(f: unknown): string {
  const name = typeof f === 'function' && typeof f.name === 'string' && f.name !== '' ? f.name : 'an anonymous function';
  return `a call of ${name}, which proof mode's transform did not reach`;
}

function check(f: unknown, receiver: unknown, key: unknown): void {
  if (typeof f !== 'function') return;
  if (instrumented.has(f)) {
    if (receiver !== undefined) c.read(receiver, key);
    return;
  }
  if (harness.has(f) || safe.has(f)) return;
  const rule = rules.get(f);
  if (rule !== undefined) return rule(receiver);
  const cell = (f as WithCell)[CELL];
  if (cell !== undefined) return touch(cell);
  c.opaque(describe(f));
}

function register(fn: unknown): void {
  if (typeof fn === 'function') instrumented.add(fn);
}

function registerDescriptors(target: object): void {
  for (const key of Reflect.ownKeys(target)) {
    const d = Object.getOwnPropertyDescriptor(target, key);
    if (d === undefined) continue;
    register(d.value);
    register(d.get);
    register(d.set);
  }
}

export const api = {
  module(id: string): object {
    return { module: id };
  },
  g(o: Record<PropertyKey, unknown>, k: PropertyKey): unknown {
    if (c.on) c.read(o, k);
    return o[k];
  },
  go(o: Record<PropertyKey, unknown> | null | undefined, k: PropertyKey): unknown {
    if (o === null || o === undefined) return undefined;
    if (c.on) c.read(o, k);
    return o[k];
  },
  s(o: Record<PropertyKey, unknown>, k: PropertyKey, v: unknown): unknown {
    if (c.on) {
      c.write(o, k);
      if (FINAL.has(k)) c.opaque(`a write to '${String(k)}' outside a constructor, a field proof mode reads as constant`);
    }
    o[k] = v;
    return v;
  },
  sc(o: Record<PropertyKey, unknown>, k: PropertyKey, v: unknown): unknown {
    if (c.on) c.write(o, k);
    o[k] = v;
    return v;
  },
  u(o: Record<PropertyKey, unknown>, k: PropertyKey, delta: number, prefix: boolean): unknown {
    if (c.on) {
      c.write(o, k);
      if (FINAL.has(k)) c.opaque(`a write to '${String(k)}' outside a constructor, a field proof mode reads as constant`);
    }
    const old = o[k] as number | bigint;
    let now = old;
    if (delta > 0) now++;
    else now--;
    o[k] = now;
    return prefix ? now : typeof old === 'bigint' ? old : +old;
  },
  d(o: Record<PropertyKey, unknown>, k: PropertyKey): boolean {
    if (c.on) c.write(o, k);
    return delete o[k];
  },
  r(o: unknown, k: unknown): void {
    if (c.on) c.read(o, k);
  },
  w(o: unknown, k: unknown): void {
    if (c.on) c.write(o, k);
  },
  has(k: PropertyKey, o: object): boolean {
    if (c.on) c.read(o, k);
    return k in o;
  },
  all<T>(x: T): T {
    if (c.on && x !== null && (typeof x === 'object' || typeof x === 'function')) c.read(x, undefined);
    return x;
  },
  k<T>(f: T): T {
    if (c.on) check(f, undefined, undefined);
    return f;
  },
  m(o: Record<PropertyKey, unknown>, key: PropertyKey): unknown {
    const f = o[key];
    if (c.on) check(f, o, key);
    return f;
  },
  mo(o: Record<PropertyKey, unknown> | null | undefined, key: PropertyKey): unknown {
    if (o === null || o === undefined) return undefined;
    const f = o[key];
    if (c.on) check(f, o, key);
    return f;
  },
  np(P: PromiseConstructor, executor: (resolve: (v: unknown) => void, reject: (e: unknown) => void) => void): Promise<unknown> {
    if (P !== Promise) return new P(executor);
    const cell: Cell = { via: undefined, claimed: true };
    const promise = new Promise((resolve, reject) => {
      const res = (value: unknown): void => {
        if (c.on) adopt(cell, value);
        resolve(value);
      };
      (res as WithCell)[CELL] = cell;
      (reject as WithCell)[CELL] = cell;
      return executor(res, reject);
    });
    (promise as WithCell)[CELL] = cell;
    return promise;
  },
  aw<T>(x: T): T {
    if (c.on) registerOn(x);
    return x;
  },
  /** An async function's body begins: its invocation's cell, for the call that returns its promise to claim. */
  enter(): Cell | undefined {
    if (!c.on) return undefined;
    const cell: Cell = { via: undefined, claimed: false };
    entered.push(cell);
    return cell;
  },
  /** Before a call: where the calls it makes begin. */
  mk(): number {
    return c.on ? entered.length : -1;
  },
  /** After a call: the first async invocation entered during it is the callee's own, and its promise is what the call returned. */
  ret<T>(mark: number, x: T): T {
    if (mark < 0 || entered.length <= mark) return x;
    const cell = entered[mark]!;
    entered.length = mark;
    if (x instanceof Promise && (x as WithCell)[CELL] === undefined) {
      (x as WithCell)[CELL] = cell;
      cell.claimed = true;
    }
    return x;
  },
  /** An async function returns `value`: its promise adopts it if it is a thenable. */
  rv<T>(cell: Cell | undefined, value: T): T {
    if (cell !== undefined && c.on) adopt(cell, value);
    return value;
  },
  /** An async function's body ends: its promise settles (a microtask later, in this step). */
  done(cell: Cell | undefined): void {
    if (!c.on) return;
    if (cell !== undefined && cell.claimed) touch(cell);
    else settle();
  },
  f<T>(fn: T): T {
    register(fn);
    return fn;
  },
  cls<T>(C: T): T {
    register(C);
    if (typeof C === 'function') {
      registerDescriptors(C);
      registerDescriptors((C as { prototype: object }).prototype);
    }
    return C;
  },
  obj<T extends object>(o: T): T {
    registerDescriptors(o);
    return o;
  },
  vr(scope: object, key: string): void {
    if (c.on) c.read(scope, key);
  },
  vw(scope: object, key: string): void {
    if (c.on) c.write(scope, key);
  },
  final(names: readonly string[]): void {
    for (const n of names) FINAL.add(n);
  },
  opaque(why: string): void {
    if (c.on) c.opaque(why);
  },
};

/** A new execution: no async invocation waits to be claimed. */
export function resetInvocations(): void {
  entered.length = 0;
}

/** Functions of the harness that report their own footprint (the virtual primitives, the runtime). */
export function registerHarness(...fns: unknown[]): void {
  for (const f of fns) if (typeof f === 'function') harness.add(f);
}

export function registerHarnessObject(target: object): void {
  for (const key of Reflect.ownKeys(target)) {
    const d = Object.getOwnPropertyDescriptor(target, key);
    if (d === undefined) continue;
    registerHarness(d.value, d.get, d.set);
  }
}

/** A function whose only footprint is `rule` (of its receiver, for methods). */
export function registerRule(f: unknown, rule: Rule): void {
  if (typeof f === 'function') rules.set(f, rule);
}

export function registerSafe(...fns: unknown[]): void {
  for (const f of fns) if (typeof f === 'function') safe.add(f);
}

export function isInstrumented(f: unknown): boolean {
  return typeof f === 'function' && instrumented.has(f);
}

let installed = false;

/** Makes `__p` reachable from instrumented modules, and registers the natives whose effects are known. */
export function installProofRuntime(): void {
  if (installed) return;
  installed = true;
  (globalThis as Record<symbol, unknown>)[PROOF] = api;
  const readAll: Rule = (r) => c.read(r, undefined);
  const writeAll: Rule = (r) => c.write(r, undefined);
  const methods = (proto: object, names: readonly string[], rule: Rule): void => {
    for (const n of names) registerRule((proto as Record<string, unknown>)[n], rule);
  };
  methods(Array.prototype, ['push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin'], writeAll);
  methods(
    Array.prototype,
    ['at', 'concat', 'every', 'filter', 'find', 'findIndex', 'findLast', 'findLastIndex', 'flat', 'flatMap', 'forEach', 'includes', 'indexOf', 'join', 'keys', 'lastIndexOf', 'map', 'reduce', 'reduceRight', 'slice', 'some', 'values', 'entries', 'toString', 'toSorted', 'toReversed', 'toSpliced', 'with'],
    readAll,
  );
  methods(Map.prototype, ['get', 'has', 'forEach', 'keys', 'values', 'entries'], readAll);
  methods(Map.prototype, ['set', 'delete', 'clear'], writeAll);
  methods(Set.prototype, ['has', 'forEach', 'keys', 'values', 'entries'], readAll);
  methods(Set.prototype, ['add', 'delete', 'clear'], writeAll);
  methods(WeakMap.prototype, ['get', 'has'], readAll);
  methods(WeakMap.prototype, ['set', 'delete'], writeAll);
  methods(WeakSet.prototype, ['has'], readAll);
  methods(WeakSet.prototype, ['add', 'delete'], writeAll);
  const then: Rule = (r) => registerOn(r);
  methods(Promise.prototype, ['then', 'catch', 'finally'], then);
  for (const n of ['all', 'allSettled', 'race', 'any'] as const) registerRule(Promise[n], settle);
  registerSafe(Promise.resolve, Promise.reject);
  // call/apply: what is called decides.
  registerRule(Function.prototype.call, (f) => check(f, undefined, undefined));
  registerRule(Function.prototype.apply, (f) => check(f, undefined, undefined));
  const clockRead: Rule = () => c.pseudo(CLOCK, 'now', READ);
  const timers: Rule = () => c.pseudo(CLOCK, 'queue', WRITE);
  for (const n of ['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate'] as const) registerRule(globalThis[n], timers);
  registerRule(Date.now, clockRead);
  registerRule(globalThis.Date, clockRead);
  registerRule(performance.now, clockRead);
  const pure = (o: object): void => {
    for (const key of Reflect.ownKeys(o)) {
      const d = Object.getOwnPropertyDescriptor(o, key);
      if (d !== undefined && typeof d.value === 'function') safe.add(d.value);
    }
  };
  pure(Math);
  pure(String.prototype);
  pure(Number.prototype);
  pure(Number);
  pure(BigInt.prototype);
  pure(Boolean.prototype);
  pure(Symbol.prototype);
  pure(console);
  registerSafe(
    String, Number, Boolean, Symbol, Symbol.for, BigInt, parseInt, parseFloat, isNaN, isFinite, Object.is, Array.isArray,
    Error, TypeError, RangeError, ReferenceError, SyntaxError, AggregateError, Map, Set, WeakMap, WeakSet, Array, Object, Promise, queueMicrotask,
    process.nextTick, Symbol.prototype.toString, Object.prototype.toString,
  );
  // hasOwnProperty reads a key of its receiver.
  registerRule(Object.prototype.hasOwnProperty, readAll);
}
