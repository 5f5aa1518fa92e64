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
const resolvers = new WeakSet<object>();
type Rule = (receiver: unknown) => void;
const rules = new WeakMap<object, Rule>();
/** Property names only constructors and field initializers assign (see transform.ts): a write elsewhere makes its step opaque. */
const FINAL = new Set<unknown>();

const settle = (): void => c.pseudo(ASYNC, 'settle', WRITE);

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
  if (resolvers.has(f)) return settle();
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
    return new Promise((resolve, reject) => {
      resolvers.add(resolve);
      resolvers.add(reject);
      return executor(resolve, reject);
    });
  },
  aw<T>(x: T): T {
    if (c.on && x !== null && typeof x === 'object' && !isHarnessPoint(x)) settle();
    return x;
  },
  done(): void {
    if (c.on) settle();
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
  const then: Rule = (r) => {
    if (r === null || typeof r !== 'object' || !isHarnessPoint(r)) settle();
  };
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
