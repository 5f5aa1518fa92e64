import { createRequire, syncBuiltinESMExports } from 'node:module';
import { currentStore } from './context.ts';
import { noteUserTickQueued, noteUserTickRun } from './quiescence.ts';
import { real } from './realTimers.ts';

/**
 * Routes the timer globals by async context, once, when Interleave loads: a
 * call made inside an execution goes to that execution's virtual clock, any
 * other call to the real timers, so the test runner is never disturbed.
 * `node:timers` is routed too (ESM bindings follow via syncBuiltinESMExports).
 */
type Callback = (...args: unknown[]) => unknown;

function routedSetTimeout(callback: Callback, ms?: number, ...args: unknown[]): unknown {
  const store = currentStore();
  if (store === undefined) return (real.setTimeout as Function)(callback, ms, ...args);
  return store.clock.create('timeout', callback, ms, args, store);
}

function routedSetInterval(callback: Callback, ms?: number, ...args: unknown[]): unknown {
  const store = currentStore();
  if (store === undefined) return (real.setInterval as Function)(callback, ms, ...args);
  return store.clock.create('interval', callback, ms, args, store);
}

function routedSetImmediate(callback: Callback, ...args: unknown[]): unknown {
  const store = currentStore();
  if (store === undefined) return (real.setImmediate as Function)(callback, ...args);
  return store.clock.create('immediate', callback, 0, args, store);
}

/** Clears by ownership, not context: a virtual timer may be cleared from anywhere. */
function routedClear(realClear: Function): (handle: unknown) => void {
  return function clear(handle: unknown): void {
    const store = currentStore();
    if (store !== undefined && store.clock.owns(handle)) store.clock.clear(handle);
    else if (handle !== undefined && handle !== null) realClear(handle);
  };
}

function routedNextTick(callback: Callback, ...args: unknown[]): void {
  if (currentStore() === undefined) {
    (real.nextTick as Function)(callback, ...args);
    return;
  }
  noteUserTickQueued();
  (real.nextTick as Function)(() => {
    noteUserTickRun();
    callback(...args);
  });
}

/** `Date` whose clock is virtual inside executions; instances are real Dates. */
const RoutedDate = new Proxy(real.Date, {
  construct(target, args, newTarget) {
    const store = currentStore();
    if (store !== undefined && args.length === 0) return Reflect.construct(target, [store.clock.date()], newTarget);
    return Reflect.construct(target, args, newTarget);
  },
  apply(target) {
    const store = currentStore();
    return store === undefined ? target() : new target(store.clock.date()).toString();
  },
  get(target, key, receiver) {
    if (key === 'now') return routedDateNow;
    return Reflect.get(target, key, receiver);
  },
});

function routedDateNow(): number {
  const store = currentStore();
  return store === undefined ? real.Date.now() : store.clock.date();
}

function routedPerformanceNow(): number {
  const store = currentStore();
  return store === undefined ? real.performanceNow() : store.clock.date();
}

let installed = false;

export function installRouting(): void {
  if (installed) return;
  installed = true;
  copyCustomPromisify(routedSetTimeout, real.setTimeout);
  copyCustomPromisify(routedSetImmediate, real.setImmediate);
  const timerFunctions = {
    setTimeout: routedSetTimeout,
    setInterval: routedSetInterval,
    setImmediate: routedSetImmediate,
    clearTimeout: routedClear(real.clearTimeout),
    clearInterval: routedClear(real.clearInterval),
    clearImmediate: routedClear(real.clearImmediate),
  };
  Object.assign(globalThis, timerFunctions, { Date: RoutedDate });
  globalThis.performance.now = routedPerformanceNow;
  process.nextTick = routedNextTick as typeof process.nextTick;
  Object.assign(createRequire(import.meta.url)('node:timers') as object, timerFunctions);
  syncBuiltinESMExports();
}

function copyCustomPromisify(to: Function, from: Function): void {
  const custom = Symbol.for('nodejs.util.promisify.custom');
  const value = (from as unknown as Record<symbol, unknown>)[custom];
  if (value !== undefined) Object.defineProperty(to, custom, { value, configurable: true });
}
