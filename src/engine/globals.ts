import { createRequire, syncBuiltinESMExports } from 'node:module';
import { currentStore } from './context.ts';
import { noteUserTickQueued, noteUserTickRun } from './quiescence.ts';
import { real } from './realTimers.ts';
import { virtualTimersPromises } from './timersPromises.ts';

/**
 * Routes every timer and clock source by async context, once, when
 * Interleave loads: a call made inside an execution goes to that execution's
 * virtual clock, any other call to the real one, so the test runner and any
 * other code in the process are never disturbed. Routed: the timer globals
 * and their clear functions, `Date`, `performance.now`, `process.hrtime`,
 * `node:timers`, `node:timers/promises` (with its `scheduler`),
 * `util.promisify(setTimeout)`, and `AbortSignal.timeout`; ESM bindings
 * follow through syncBuiltinESMExports.
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

/**
 * Inside an execution, a nextTick callback is counted (the step has not
 * settled while one is pending, see quiescence.ts), and what it throws is a
 * finding of the execution: Node would crash the process with it, and a
 * crash is never the harness's answer.
 */
function routedNextTick(callback: Callback, ...args: unknown[]): void {
  const store = currentStore();
  if (store === undefined) {
    (outsideNextTick as Function)(callback, ...args);
    return;
  }
  noteUserTickQueued();
  (real.nextTick as Function)(() => {
    noteUserTickRun();
    try {
      callback(...args);
    } catch (error) {
      store.owner.noteUncaught('a process.nextTick callback', error);
    }
  });
}

/** Inside an execution, what a microtask callback throws is a finding, as a nextTick callback's is. */
function routedQueueMicrotask(callback: () => void): void {
  const store = currentStore();
  if (store === undefined) return real.queueMicrotask(callback);
  real.queueMicrotask(() => {
    try {
      callback();
    } catch (error) {
      store.owner.noteUncaught('a queueMicrotask callback', error);
    }
  });
}

/** `process.exit()` from code under test would end the test runner: inside an execution it throws instead, and is reported. */
function routedExit(code?: number | string | null): never {
  if (currentStore() !== undefined) {
    throw new Error(`process.exit(${code === undefined ? '' : String(code)}) was called by the code under test; in production it ends the process`);
  }
  return real.exit(code as number | undefined);
}

/**
 * `process.kill()` of its own process (its pid, or 0: its process group) from code under test would end the
 * process or reach the test runner's own handlers (the CLI takes a SIGINT for the user's Ctrl-C): inside an
 * execution it throws instead, as process.exit() does, and is reported. Signal 0 only asks whether the process
 * exists, and other processes are not the harness's to judge: both go through.
 */
function routedKill(pid: number, signal?: string | number): true {
  if (currentStore() !== undefined && (pid === process.pid || pid === 0) && signal !== 0) {
    const name = signal === undefined ? '' : `, ${typeof signal === 'string' ? `'${signal}'` : String(signal)}`;
    throw new Error(`process.kill(${String(pid)}${name}) was called by the code under test; in production it signals this very process`);
  }
  return realKill(pid, signal);
}
const realKill = process.kill.bind(process);

/** What code outside executions gets from process.nextTick: Node's own, or whatever a test runner put there meanwhile. */
let outsideNextTick: typeof process.nextTick = real.nextTick;

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
  return store === undefined ? real.performanceNow() : store.clock.performanceNow();
}

const NS_PER_MS = 1_000_000n;

/** Virtual `performance.now()` as whole nanoseconds. */
function virtualNanoseconds(performanceNow: number): bigint {
  return BigInt(Math.round(performanceNow * 1000)) * (NS_PER_MS / 1000n);
}

const routedHrtime = Object.assign(
  function hrtime(previous?: [number, number]): [number, number] {
    const store = currentStore();
    if (store === undefined) return real.hrtime(previous);
    const ns = virtualNanoseconds(store.clock.performanceNow());
    let seconds = Number(ns / 1_000_000_000n);
    let nanos = Number(ns % 1_000_000_000n);
    if (previous !== undefined) {
      seconds -= previous[0];
      nanos -= previous[1];
      if (nanos < 0) {
        seconds -= 1;
        nanos += 1_000_000_000;
      }
    }
    return [seconds, nanos];
  },
  {
    bigint(): bigint {
      const store = currentStore();
      return store === undefined ? real.hrtimeBigint() : virtualNanoseconds(store.clock.performanceNow());
    },
  },
);

/** `AbortSignal.timeout(ms)`: inside an execution, a signal aborted by a virtual timer, as Node's is by a real one. */
function routedAbortSignalTimeout(ms: number): AbortSignal {
  const store = currentStore();
  if (store === undefined) return real.abortSignalTimeout(ms);
  const controller = new AbortController();
  store.clock.create('timeout', () => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), ms, [], store);
  return controller.signal;
}

let installed = false;

export function installRouting(): void {
  if (installed) return;
  installed = true;
  const require = createRequire(import.meta.url);
  const timersPromises = require('node:timers/promises') as typeof import('node:timers/promises');
  const routedPromises = virtualTimersPromises(timersPromises);
  const promisifyCustom = Symbol.for('nodejs.util.promisify.custom');
  Object.defineProperty(routedSetTimeout, promisifyCustom, { value: routedPromises.setTimeout, configurable: true });
  Object.defineProperty(routedSetImmediate, promisifyCustom, { value: routedPromises.setImmediate, configurable: true });
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
  // Test runners swap process.nextTick around their own calls and put back what they found later, in a tick of
  // their own (vitest does): an assignment becomes what code outside executions gets, and the routing stays.
  Object.defineProperty(process, 'nextTick', {
    configurable: true,
    enumerable: true,
    get: () => routedNextTick,
    set: (value: typeof process.nextTick) => {
      if (value !== (routedNextTick as unknown)) outsideNextTick = value;
    },
  });
  globalThis.queueMicrotask = routedQueueMicrotask;
  process.exit = routedExit as typeof process.exit;
  process.kill = routedKill;
  process.hrtime = routedHrtime as typeof process.hrtime;
  AbortSignal.timeout = routedAbortSignalTimeout;
  Object.assign(require('node:timers') as object, timerFunctions);
  Object.assign(timersPromises, { setTimeout: routedPromises.setTimeout, setImmediate: routedPromises.setImmediate, setInterval: routedPromises.setInterval });
  // The scheduler is an instance; own properties shadow its class's methods.
  Object.assign(timersPromises.scheduler, { wait: routedPromises.wait, yield: routedPromises.yield });
  syncBuiltinESMExports();
}
