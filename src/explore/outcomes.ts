import type { DecisionKind } from '../engine/chooser.ts';
import type { FailureKind } from '../trace/index.ts';
import { definitionOf, type Scenario, type ScenarioDefinition } from '../workload/scenario.ts';
import { refuseNesting } from './explore.ts';
import { resolveOptions, type ExploreOptions, type ResolvedOptions } from './options.ts';
import type { Judged } from './run.ts';
import { withRunner, type Runner } from './runner.ts';

/**
 * What many executions of a scenario came to: each distinct outcome of the
 * executions that ran to their end (with or without a finding judged
 * there), and each kind of finding, with its count.
 */
export interface OutcomeCounts {
  readonly executions: number;
  readonly outcomes: ReadonlyMap<string, number>;
  readonly findings: ReadonlyMap<FailureKind, number>;
  /** With `keepTapes`: the first execution of each distinct outcome, and of each kind of finding, to replay with a TapeChooser. */
  readonly first?: {
    readonly outcomes: ReadonlyMap<string, FirstExecution>;
    readonly findings: ReadonlyMap<FailureKind, FirstExecution>;
  };
}

/** An execution kept by `collectOutcomes(…, { keepTapes: true })`: its number among those run, and its choices. */
export interface FirstExecution {
  readonly execution: number;
  readonly tape: readonly number[];
  readonly kinds: readonly DecisionKind[];
}

export interface CollectOptions {
  /** Keep the first tape of each distinct outcome and kind of finding (`OutcomeCounts.first`). */
  readonly keepTapes?: boolean;
}

/**
 * Runs executions without stopping at a finding, and counts what they came
 * to: the outcome of each that completed (the scenario's `outcome`), or the
 * kind of its finding. It runs the search explore() runs (runner.ts), so
 * `runs`, `timeLimitMs`, `signal` and `onProgress` act as they do there.
 * The differential check against real Node reads it.
 */
export function collectOutcomes(scenario: Scenario, options: ExploreOptions = {}, collectOptions: CollectOptions = {}): Promise<OutcomeCounts> {
  let definition: ScenarioDefinition | undefined;
  let opts: ResolvedOptions;
  try {
    refuseNesting('collectOutcomes');
    definition = definitionOf(scenario);
    if (definition === undefined || definition.outcome === undefined) {
      throw new TypeError(`collectOutcomes() needs a scenario with an outcome (producerConsumer's default, or defineScenario's 'outcome'); '${String(scenario?.name)}' has none.`);
    }
    opts = resolveOptions(options);
  } catch (error) {
    return Promise.reject(error);
  }
  return withRunner(scenario, definition, opts, (runner) => collect(runner, collectOptions.keepTapes === true));
}

async function collect(runner: Runner, keepTapes: boolean): Promise<OutcomeCounts> {
  const outcomes = new Map<string, number>();
  const findings = new Map<FailureKind, number>();
  const firstOutcomes = new Map<string, FirstExecution>();
  const firstFindings = new Map<FailureKind, FirstExecution>();
  // The tapes of passing executions that may be kept, read as they ended, until they are judged again after a turn.
  const pending = new Map<Judged, FirstExecution>();
  const count = (judged: Judged, kind: FailureKind | undefined, first: FirstExecution | undefined): void => {
    if (kind !== undefined) findings.set(kind, (findings.get(kind) ?? 0) + 1);
    if (judged.outcome !== undefined) outcomes.set(judged.outcome, (outcomes.get(judged.outcome) ?? 0) + 1);
    if (first === undefined) return;
    if (judged.outcome !== undefined && !firstOutcomes.has(judged.outcome)) firstOutcomes.set(judged.outcome, first);
    if (kind !== undefined && !firstFindings.has(kind)) firstFindings.set(kind, first);
  };
  // Every execution runs: a finding does not stop the search. A passing one is counted once the event loop has turned,
  // which reports a rejection it left unhandled (see runner.ts).
  const { executions } = await runner.search({
    ended(judged, execution) {
      // Read only when kept and new: most executions' tapes are dropped unread.
      const fresh = keepTapes && ((judged.outcome !== undefined && !firstOutcomes.has(judged.outcome)) || judged.verdict !== undefined || judged.result.rejections.length > 0);
      const first = fresh ? { execution, tape: judged.result.tape, kinds: judged.result.kinds } : undefined;
      if (judged.verdict !== undefined) count(judged, judged.verdict.kind, first);
      else if (first !== undefined) pending.set(judged, first);
      return false;
    },
    settled(judged, verdict) {
      const first = pending.get(judged);
      pending.delete(judged);
      count(judged, verdict?.kind, first);
      return false;
    },
  });
  return keepTapes ? { executions, outcomes, findings, first: { outcomes: firstOutcomes, findings: firstFindings } } : { executions, outcomes, findings };
}
