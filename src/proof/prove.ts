/**
 * `strategy: 'proof'`: loads the scenario's module again, instrumented,
 * wraps its plan (plan.ts) and explores it with the proof strategy. A run
 * that tries every schedule and finds nothing says `proved: true`, with the
 * assumption the proof rests on.
 */
import type { ScenarioDefinition, Scenario } from '../workload/scenario.ts';
import type { ExploreResult } from '../explore/result.ts';
import type { ResolvedOptions } from '../explore/options.ts';
import { lastProof } from '../explore/strategies/proof.ts';
import { collector } from './collector.ts';
import { loadInstrumented, skippedModules } from './load.ts';
import { listeners, proofPlan, type ProofPlanState } from './plan.ts';

export interface ProofRun {
  readonly scenario: Scenario;
  readonly definition: ScenarioDefinition;
  readonly proof: ProofPlanState;
}

/** What a proved result adds. */
export interface ProofReport {
  readonly proved: boolean;
  readonly assumption: string;
  readonly partialOrders: number;
  readonly opaqueSteps: number;
}

export async function prove(
  scenario: Scenario,
  definition: ScenarioDefinition,
  opts: ResolvedOptions,
  explore: (run: ProofRun, opts: ResolvedOptions) => Promise<ExploreResult>,
): Promise<ExploreResult> {
  const loaded = await loadInstrumented(definition.origin, scenario.name, definition.instrument ?? []);
  const uninstrumented = 'reason' in loaded ? `the scenario's code is not instrumented: ${loaded.reason}` : undefined;
  const base = 'reason' in loaded ? { scenario, definition } : loaded;
  const { plan, state } = proofPlan(base.definition, uninstrumented);
  let result: ExploreResult;
  try {
    result = await explore({ scenario: base.scenario, definition: plan, proof: state }, opts);
  } finally {
    collector.on = false;
    listeners.current = undefined;
  }
  const stats = lastProof.stats;
  const opaqueSteps = stats?.opaqueSteps ?? 0;
  const proved =
    result.ok && result.exhausted && stats !== undefined && stats.exhausted && !stats.incomplete && (result.unfinished ?? 0) === 0 && result.interrupted !== true;
  const report: ProofReport = { proved, assumption: assumption(state, opaqueSteps), partialOrders: stats?.partialOrders ?? 0, opaqueSteps };
  return { ...result, ...report };
}

export function assumption(state: ProofPlanState, opaqueSteps: number): string {
  const why = state.allOpaque ?? [...collector.opaqueReasons].slice(0, 3).join('; ');
  const skipped = skippedModules.length > 0 ? `; not instrumented: ${skippedModules.slice(0, 3).join('; ')}` : '';
  return (
    `shared state in instrumented modules and harness objects; ${opaqueSteps} step(s) treated as conflicting with everything` +
    (opaqueSteps > 0 && why !== '' ? ` (${why})` : '') +
    skipped +
    '; each step deterministic given what it reads; same-macrotask starts at offset 0'
  );
}
