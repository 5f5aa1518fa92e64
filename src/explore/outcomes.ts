import { VirtualClock } from '../engine/clock.ts';
import { watchResources } from '../engine/resources.ts';
import type { DecisionKind } from '../engine/chooser.ts';
import type { FailureKind } from '../trace/index.ts';
import { definitionOf, type Scenario } from '../workload/scenario.ts';
import { turnEventLoop } from './escapes.ts';
import { exclusive } from './exclusive.ts';
import { refuseNesting } from './explore.ts';
import { resolveOptions, type ExploreOptions } from './options.ts';
import { judge, runJudged, type Judged } from './run.ts';
import { makeStrategy } from './strategies/index.ts';

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
 * kind of its finding. The differential check against real Node reads it.
 */
export function collectOutcomes(scenario: Scenario, options: ExploreOptions = {}, collectOptions: CollectOptions = {}): Promise<OutcomeCounts> {
  try {
    refuseNesting('collectOutcomes');
  } catch (error) {
    return Promise.reject(error);
  }
  return exclusive(() => collect(scenario, options, collectOptions.keepTapes === true));
}

async function collect(scenario: Scenario, options: ExploreOptions, keepTapes: boolean): Promise<OutcomeCounts> {
  const definition = definitionOf(scenario);
  if (definition === undefined || definition.outcome === undefined) {
    throw new TypeError(`collectOutcomes() needs a scenario with an outcome (producerConsumer's default, or defineScenario's 'outcome'); '${String(scenario?.name)}' has none.`);
  }
  const opts = resolveOptions(options);
  const strategy = makeStrategy(opts.strategy, opts.seed, { maxSteps: opts.maxSteps, preemptions: opts.preemptions, depth: opts.depth });
  const session = { open: true };
  const stopWatching = watchResources();
  const clock = new VirtualClock(opts.startTime);
  const outcomes = new Map<string, number>();
  const findings = new Map<FailureKind, number>();
  const batch: { judged: Judged; first: FirstExecution | undefined }[] = [];
  const firstOutcomes = new Map<string, FirstExecution>();
  const firstFindings = new Map<FailureKind, FirstExecution>();
  const keep = (first: FirstExecution | undefined, outcome: string | undefined, kind: FailureKind | undefined): void => {
    if (first === undefined) return;
    if (outcome !== undefined && !firstOutcomes.has(outcome)) firstOutcomes.set(outcome, first);
    if (kind !== undefined && !firstFindings.has(kind)) firstFindings.set(kind, first);
  };
  let executions = 0;
  // A rejection left unhandled is reported on the next turn of the event loop: the batch since the last turn is judged again then.
  const settle = async (): Promise<void> => {
    await turnEventLoop();
    for (const { judged, first } of batch.splice(0)) {
      const verdict = judge(judged.result, opts.maxSteps, definition);
      if (verdict !== undefined) findings.set(verdict.kind, (findings.get(verdict.kind) ?? 0) + 1);
      if (judged.outcome !== undefined) outcomes.set(judged.outcome, (outcomes.get(judged.outcome) ?? 0) + 1);
      keep(first, judged.outcome, verdict?.kind);
    }
  };
  try {
    while (executions < opts.runs) {
      const chooser = strategy.nextExecution();
      if (chooser === undefined) break;
      const judged = await runJudged({
        scenarioName: scenario.name,
        definition,
        clock,
        chooser,
        maxSteps: opts.maxSteps,
        replaying: false,
        record: false,
        flush: false,
        session,
      });
      // Read only when kept and new: most executions' tapes are dropped unread.
      const fresh = keepTapes && ((judged.outcome !== undefined && !firstOutcomes.has(judged.outcome)) || judged.verdict !== undefined || judged.result.rejections.length > 0);
      const first = fresh ? { execution: executions, tape: judged.result.tape, kinds: judged.result.kinds } : undefined;
      executions++;
      strategy.executionEnded?.(judged.result.step);
      if (judged.verdict !== undefined) {
        findings.set(judged.verdict.kind, (findings.get(judged.verdict.kind) ?? 0) + 1);
        if (judged.outcome !== undefined) outcomes.set(judged.outcome, (outcomes.get(judged.outcome) ?? 0) + 1);
        keep(first, judged.outcome, judged.verdict.kind);
      } else batch.push({ judged, first });
      if (batch.length >= 64) await settle();
    }
    await settle();
  } finally {
    session.open = false;
    stopWatching();
  }
  return keepTapes ? { executions, outcomes, findings, first: { outcomes: firstOutcomes, findings: firstFindings } } : { executions, outcomes, findings };
}
