import type { StuckHints } from '../check/stuck.ts';
import type { ExecutionPlan } from '../engine/execution.ts';
import type { FailureKind } from '../trace/index.ts';
import type { OutcomeClasses } from './outcome.ts';
import { definingModule } from './origin.ts';

const DEFINITION = Symbol.for('interleave.scenario.definition');

/** What `expected` may say: no finding, one kind, or any of several kinds. */
export type Expectation = FailureKind | readonly FailureKind[] | 'ok';

/** A scenario made by `producerConsumer()` or `defineScenario()`; pass it to `explore()` or `replay()`. */
export interface Scenario {
  readonly name: string;
  /** The kinds this scenario is known to produce, or 'ok' (the default). */
  readonly expected: readonly FailureKind[] | 'ok';
  /** Thread names in order; a thread's index is its id in traces and tokens. */
  readonly threads: readonly string[];
}

/** What the engine and the detectors need; built per execution from the spec. */
export interface ScenarioDefinition<S = unknown> extends ExecutionPlan<S> {
  /** Problems found in the spec; `explore()` rejects with them. */
  readonly problems: readonly string[];
  hints(state: S): StuckHints;
  /** The execution's outcome (see outcome.ts), when the scenario has one. */
  outcome?(state: S): string;
  /** How its outcomes are graded (see outcome.ts), when it says. */
  readonly outcomeClasses?: OutcomeClasses;
  /** The module that defined it (file URL), for explorations isolated in a worker. */
  readonly origin?: string | undefined;
  /** A buffer workload's capacity, for traces (the viewer draws occupancy against it). */
  readonly capacity?: number;
  /** Proof mode: node_modules packages whose code its load-time transform instruments too (by default none is). */
  readonly instrument?: readonly string[];
}

export function makeScenario<S>(
  name: string,
  expected: readonly FailureKind[] | 'ok',
  definition: ScenarioDefinition<S>,
): Scenario {
  const scenario = { name, expected, threads: definition.threadNames };
  Object.defineProperty(scenario, DEFINITION, { value: { ...definition, origin: definingModule() }, enumerable: false });
  return Object.freeze(scenario);
}

export function definitionOf(scenario: unknown): ScenarioDefinition | undefined {
  if (scenario === null || typeof scenario !== 'object') return undefined;
  return (scenario as Record<symbol, ScenarioDefinition | undefined>)[DEFINITION];
}

/** Every scenario a module exports, default export (one or a list) first. */
export function scenariosOf(module: Record<string, unknown>): Scenario[] {
  const found: Scenario[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (definitionOf(value) !== undefined && !found.includes(value as Scenario)) found.push(value as Scenario);
  };
  visit(module.default);
  for (const [key, value] of Object.entries(module)) if (key !== 'default') visit(value);
  return found;
}
