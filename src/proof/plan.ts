/**
 * The scenario as proof mode runs it: the same plan, with the collector
 * told where executions begin, monitors' reads kept apart from the steps'
 * (they make the monitored pseudo-location, collector.ts), the buffer
 * model's invocations folded, and a check that the code the harness calls
 * into is instrumented: where it is not, every step is opaque.
 */
import { BufferModel } from '../check/bufferModel.ts';
import type { Monitor } from '../engine/monitor.ts';
import type { Runtime } from '../runtime/types.ts';
import { VirtualCondition } from '../runtime/virtual/condition.ts';
import type { VirtualHost } from '../runtime/virtual/host.ts';
import { VirtualMutex } from '../runtime/virtual/mutex.ts';
import { VirtualSemaphore } from '../runtime/virtual/semaphore.ts';
import type { ScenarioDefinition } from '../workload/scenario.ts';
import { CLOCK, collector, READ } from './collector.ts';
import { api, isInstrumented, registerHarness, registerHarnessObject, registerRule, registerSafe, resetInvocations } from './runtime.ts';

/** Told at every settled step (the strategy takes the step's footprint then, before monitors and the next decision). */
export interface StepListener {
  settled(): void;
}

export const listeners: { current: StepListener | undefined } = { current: undefined };

/** What proof mode knows of the run's code: why every step is opaque, if it is. */
export interface ProofPlanState {
  allOpaque: string | undefined;
}

export function proofPlan<S>(definition: ScenarioDefinition<S>, uninstrumented: string | undefined): { plan: ScenarioDefinition<S>; state: ProofPlanState } {
  registerHarnessObject(VirtualMutex.prototype);
  registerHarnessObject(VirtualCondition.prototype);
  registerHarnessObject(VirtualSemaphore.prototype);
  const state: ProofPlanState = { allOpaque: uninstrumented };
  const quietly = <A extends unknown[], R>(fn: (...args: A) => R) =>
    (...args: A): R => {
      const was = collector.monitoring;
      collector.monitoring = true;
      try {
        return fn(...args);
      } finally {
        collector.monitoring = was;
      }
    };
  const wrapMonitor = (m: Monitor): Monitor => ({
    ...(m.afterStep === undefined ? {} : { afterStep: quietly(m.afterStep.bind(m)) }),
    ...(m.atEnd === undefined ? {} : { atEnd: quietly(m.atEnd.bind(m)) }),
  });
  const settle: Monitor = {
    afterStep() {
      listeners.current?.settled();
      return undefined;
    },
  };
  const plan: ScenarioDefinition<S> = {
    ...definition,
    setup(rt: Runtime, host: VirtualHost): S {
      collector.beginExecution(host);
      resetInvocations();
      registerSafe(rt.mutex, rt.condition, rt.semaphore);
      registerHarness(rt.sleep, rt.yield);
      registerRule(rt.now, () => collector.pseudo(CLOCK, 'now', READ));
      const s = definition.setup(rt, host);
      const model = (s as { model?: unknown } | null)?.model;
      if (model instanceof BufferModel) {
        model.deferTo = (thread, stamp) => collector.defer(thread, stamp);
        model.stampAt = () => ({ step: host.stepIndex(), seq: host.sequence() });
      }
      // What setup made, numbered now: the same numbers in every execution.
      const primitives = ((host as { primitives?: unknown }).primitives ?? []) as readonly unknown[];
      collector.numberReachable([...primitives, s], new Set<unknown>([...primitives, model]));
      state.allOpaque ??= uninstrumentedEntry(definition as ScenarioDefinition, s);
      return s;
    },
    // A thread's body promise is the engine's alone (it awaits it in the thread's own context): it gets its invocation's cell, not the shared pseudo-location.
    bodies: definition.bodies.map((body) => (s: S, rt: Runtime, host: VirtualHost) => api.ret(api.mk(), body(s, rt, host))),
    monitors: (s: S, host: VirtualHost) => [settle, ...definition.monitors(s, host).map(wrapMonitor)],
    hints: quietly(definition.hints.bind(definition)),
    ...(definition.outcome === undefined ? {} : { outcome: quietly(definition.outcome.bind(definition)) }),
    ...(definition.buffer === undefined ? {} : { buffer: quietly(definition.buffer.bind(definition)) }),
    ...(definition.progressState === undefined ? {} : { progressState: quietly(definition.progressState.bind(definition)) }),
  };
  return { plan, state };
}

/** The user code the harness calls into directly must be instrumented, or its accesses are invisible. */
function uninstrumentedEntry(definition: ScenarioDefinition, state: unknown): string | undefined {
  const code = definition.code ?? [];
  const name = (f: unknown): string => (typeof f === 'function' && f.name !== '' ? f.name : 'a function');
  for (const f of code) if (typeof f === 'function' && !isInstrumented(f)) return `the scenario's ${name(f)} is not instrumented`;
  if (definition.capacity === undefined) return undefined;
  // producerConsumer: the queue's own put, take and size where the spec does not give them.
  const q = (state as { q?: unknown } | null)?.q;
  if (q === null || typeof q !== 'object') return undefined;
  const [, put, take, size] = code;
  const checks: [unknown, string][] = [];
  if (put === undefined) checks.push([(q as Record<string, unknown>).put, 'put']);
  if (take === undefined) checks.push([(q as Record<string, unknown>).take, 'take']);
  if (size === undefined) {
    for (let o: object | null = q; o !== null; o = Object.getPrototypeOf(o)) {
      const d = Object.getOwnPropertyDescriptor(o, 'size');
      if (d === undefined) continue;
      checks.push([d.get ?? d.value, 'size']);
      break;
    }
  }
  for (const [f, what] of checks) {
    if (typeof f === 'function' && !isInstrumented(f)) return `the queue's ${what} (${name(f)}) is not instrumented`;
  }
  return undefined;
}
