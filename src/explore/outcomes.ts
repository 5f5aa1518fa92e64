import { VirtualClock } from '../engine/clock.ts';
import { watchResources } from '../engine/resources.ts';
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
}

/**
 * Runs executions without stopping at a finding, and counts what they came
 * to: the outcome of each that completed (the scenario's `outcome`), or the
 * kind of its finding. The differential check against real Node reads it.
 */
export function collectOutcomes(scenario: Scenario, options: ExploreOptions = {}): Promise<OutcomeCounts> {
  try {
    refuseNesting('collectOutcomes');
  } catch (error) {
    return Promise.reject(error);
  }
  return exclusive(() => collect(scenario, options));
}

async function collect(scenario: Scenario, options: ExploreOptions): Promise<OutcomeCounts> {
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
  const batch: Judged[] = [];
  let executions = 0;
  // A rejection left unhandled is reported on the next turn of the event loop: the batch since the last turn is judged again then.
  const settle = async (): Promise<void> => {
    await turnEventLoop();
    for (const judged of batch.splice(0)) {
      const verdict = judge(judged.result, opts.maxSteps, definition);
      if (verdict !== undefined) findings.set(verdict.kind, (findings.get(verdict.kind) ?? 0) + 1);
      if (judged.outcome !== undefined) outcomes.set(judged.outcome, (outcomes.get(judged.outcome) ?? 0) + 1);
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
      executions++;
      strategy.executionEnded?.(judged.result.step);
      if (judged.verdict !== undefined) {
        findings.set(judged.verdict.kind, (findings.get(judged.verdict.kind) ?? 0) + 1);
        if (judged.outcome !== undefined) outcomes.set(judged.outcome, (outcomes.get(judged.outcome) ?? 0) + 1);
      } else batch.push(judged);
      if (batch.length >= 64) await settle();
    }
    await settle();
  } finally {
    session.open = false;
    stopWatching();
  }
  return { executions, outcomes, findings };
}
