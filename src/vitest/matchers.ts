import { explore } from '../explore/explore.ts';
import type { ExploreOptions } from '../explore/options.ts';
import type { ExploreResult } from '../explore/result.ts';
import { renderTextReport } from '../report/text.ts';
import type { FailureKind } from '../trace/index.ts';
import type { Scenario } from '../workload/scenario.ts';

interface MatcherResult {
  pass: boolean;
  message: () => string;
}

function summary(result: ExploreResult): string {
  const searched = result.exhausted ? ' (every schedule there is)' : '';
  return `${result.executions} executions${searched}, ${result.steps} steps, strategy ${result.strategy ?? '?'}, seed ${result.seed}`;
}

function report(scenario: Scenario, result: ExploreResult): string {
  return result.failure === undefined ? '' : `\n\n${renderTextReport(result.failure, { scenario: scenario.name })}`;
}

/**
 * `await expect(scenario).toSurviveInterleavings({ runs })`: passes when
 * exploration finds no failure. Its failure message is the text report,
 * ending with the replay command, so the CI log shows the bug.
 */
export async function toSurviveInterleavings(scenario: Scenario, options?: ExploreOptions): Promise<MatcherResult> {
  const result = await explore(scenario, options);
  return {
    pass: result.ok,
    message: () =>
      result.ok
        ? `expected '${scenario.name}' to fail under some interleaving, but ${summary(result)} found nothing`
        : `expected '${scenario.name}' to survive every interleaving, but it failed with ${result.failure!.kind} at step ${result.failure!.step} (${summary(result)})${report(scenario, result)}`,
  };
}

/**
 * `await expect(scenario).toHaveInterleavingBug('deadlock', { runs })`: for
 * demonstrations, passes when exploration finds a failure of that kind (any
 * of several kinds, or any kind when none is given).
 */
export async function toHaveInterleavingBug(
  scenario: Scenario,
  kind?: FailureKind | readonly FailureKind[],
  options?: ExploreOptions,
): Promise<MatcherResult> {
  const result = await explore(scenario, options);
  const kinds = kind === undefined ? undefined : typeof kind === 'string' ? [kind] : kind;
  const found = result.failure?.kind;
  const pass = found !== undefined && (kinds === undefined || kinds.includes(found));
  const wanted = kinds === undefined ? 'a bug' : `a bug of kind ${kinds.join(' or ')}`;
  return {
    pass,
    message: () =>
      found === undefined
        ? `expected '${scenario.name}' to show ${wanted}, but ${summary(result)} found none`
        : pass
          ? `expected '${scenario.name}' not to show ${wanted}, but it failed with ${found} at step ${result.failure!.step}${report(scenario, result)}`
          : `expected '${scenario.name}' to show ${wanted}, but it failed with ${found} at step ${result.failure!.step}${report(scenario, result)}`,
  };
}
