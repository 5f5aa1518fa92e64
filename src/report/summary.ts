import type { OutcomeRow } from '../explore/histogram.ts';
import type { ExploreResult } from '../explore/result.ts';
import type { FailureKind } from '../trace/index.ts';
import { meets } from '../workload/expectation.ts';

export const SUMMARY_SCHEMA = 'interleave-summary';
export const SUMMARY_SCHEMA_VERSION = 1;

/** One scenario's outcome, as a line prints it and as reports/summary.json stores it. */
export interface ScenarioSummary {
  readonly scenario: string;
  /** The scenario file, as given on the command line; absent for API use. */
  readonly file?: string;
  /**
   * `pass` when the outcome met the scenario's `expected`, else `fail`;
   * `incomplete` when nothing was found but some executions ran out of steps
   * while still progressing (`unfinished`), unless that was allowed
   * (`--allow-unfinished`): those were not checked to their end.
   */
  readonly verdict: 'pass' | 'fail' | 'incomplete';
  /** True exactly when no failure was found. */
  readonly ok: boolean;
  readonly expected: readonly FailureKind[] | 'ok';
  readonly kind?: FailureKind;
  readonly step?: number;
  readonly message?: string;
  readonly replay?: string;
  readonly executions: number;
  readonly steps: number;
  readonly strategy?: string;
  readonly seed: number;
  readonly elapsedMs: number;
  readonly exhausted: boolean;
  /** Where the failure's reports were written, relative to the working directory. */
  readonly reports?: { readonly text: string; readonly json: string; readonly html?: string; readonly mermaid?: string };
  /** True when Ctrl-C (or SIGTERM) stopped the exploration before its budget ran out. */
  readonly interrupted?: boolean;
  /** Executions that ran past `maxSteps` while still progressing: not findings, but not checked to their end either. */
  readonly unfinished?: number;
  /** The outcome histogram, when the scenario declares `outcome(state)`: each distinct outcome, its count, frequency and grade. */
  readonly outcomes?: readonly OutcomeRow[];
  /**
   * When the exploration was split into parts (worker threads, CI shards):
   * the parts this entry covers (`from` to `to - 1`) of `of`, and the part
   * whose failure it reports (the lowest that failed). `merge` joins the
   * entries of one scenario from several shards by it.
   */
  readonly parts?: { readonly from: number; readonly to: number; readonly of: number; readonly failed?: number };
  /** Proof mode (`--strategy proof`): true when every schedule was tried (each partial order once) and none failed. */
  readonly proved?: boolean;
  /** Proof mode: what the proof rests on, in words. */
  readonly assumption?: string;
  /** Proof mode: the partial orders explored. */
  readonly partialOrders?: number;
  /** Proof mode: steps treated as conflicting with every other (code the transform does not reach). */
  readonly opaqueSteps?: number;
}

/** The whole run: what `interleave explore --json` prints and reports/summary.json holds. */
export interface RunSummary {
  readonly schema: typeof SUMMARY_SCHEMA;
  readonly version: typeof SUMMARY_SCHEMA_VERSION;
  /** True when every scenario met its expectation (the CLI then exits 0). */
  readonly ok: boolean;
  readonly passed: number;
  readonly failed: number;
  readonly scenarios: readonly ScenarioSummary[];
  /** The run's seed: each scenario's part 0 explores with it (`--seed`, INTERLEAVE_SEED, or random). */
  readonly seed?: number;
  /** Worker threads the run used (`--workers`). */
  readonly workers?: number;
  /** This run is shard `index` of `count` (`--shard index/count`); absent once shards are merged. */
  readonly shard?: { readonly index: number; readonly count: number };
  /** How many shard summaries `interleave merge` joined into this one. */
  readonly merged?: number;
  /** Wall-clock time of the exploration, from the first scenario started to the last finished. */
  readonly elapsedMs?: number;
  /** True when Ctrl-C (or SIGTERM) stopped the run; then `ok` is false, and `notExplored` lists the scenarios it never reached. */
  readonly interrupted?: boolean;
  readonly notExplored?: readonly { readonly scenario: string; readonly file?: string }[];
}

export function summarize(
  scenario: { readonly name: string; readonly expected: readonly FailureKind[] | 'ok' },
  result: ExploreResult,
  extra: { readonly file?: string; readonly reports?: ScenarioSummary['reports']; readonly parts?: ScenarioSummary['parts']; readonly allowUnfinished?: boolean } = {},
): ScenarioSummary {
  const failure = result.failure;
  const met = meets(scenario.expected, failure?.kind);
  const incomplete = failure === undefined && (result.unfinished ?? 0) > 0 && extra.allowUnfinished !== true;
  return {
    scenario: scenario.name,
    ...(extra.file === undefined ? {} : { file: extra.file }),
    verdict: !met ? 'fail' : incomplete ? 'incomplete' : 'pass',
    ok: result.ok,
    expected: scenario.expected,
    ...(failure === undefined
      ? {}
      : { kind: failure.kind, step: failure.step, message: failure.trace.outcome.message ?? failure.message, replay: failure.replay }),
    executions: result.executions,
    steps: result.steps,
    ...(result.strategy === undefined ? {} : { strategy: result.strategy }),
    seed: result.seed,
    elapsedMs: Math.round(result.elapsedMs * 1000) / 1000,
    exhausted: result.exhausted,
    ...(extra.reports === undefined ? {} : { reports: extra.reports }),
    ...(result.interrupted === true ? { interrupted: true } : {}),
    ...(result.unfinished === undefined || result.unfinished === 0 ? {} : { unfinished: result.unfinished }),
    ...(result.outcomes === undefined ? {} : { outcomes: result.outcomes }),
    ...(extra.parts === undefined ? {} : { parts: extra.parts }),
    ...(result.proved === undefined ? {} : { proved: result.proved }),
    ...(result.assumption === undefined ? {} : { assumption: result.assumption }),
    ...(result.partialOrders === undefined ? {} : { partialOrders: result.partialOrders }),
    ...(result.opaqueSteps === undefined ? {} : { opaqueSteps: result.opaqueSteps }),
  };
}

/** What a run adds to its scenarios' summaries (see RunSummary). */
export type RunDetails = Partial<Pick<RunSummary, 'seed' | 'workers' | 'shard' | 'merged' | 'elapsedMs' | 'notExplored'>> & { readonly interrupted?: boolean };

export function runSummary(scenarios: readonly ScenarioSummary[], details: RunDetails = {}): RunSummary {
  const passed = scenarios.filter((s) => s.verdict === 'pass').length;
  const interrupted = details.interrupted === true || scenarios.some((s) => s.interrupted === true);
  const { notExplored, ...rest } = details;
  return {
    schema: SUMMARY_SCHEMA,
    version: SUMMARY_SCHEMA_VERSION,
    // An interrupted run is not a pass, whatever it found: it did not do what was asked.
    ok: passed === scenarios.length && !interrupted,
    passed,
    failed: scenarios.length - passed,
    scenarios,
    ...rest,
    ...(interrupted ? { interrupted: true, notExplored: notExplored ?? [] } : {}),
  };
}

/**
 * One line for a scenario, without its PASS/FAIL word (the CLI colours that):
 * what was found against what was expected, then the budget spent and the
 * seed that reproduces the exploration. A finding's step is in the execution
 * its token replays, the simplest the exploration made of the one it found,
 * which may be longer than every execution it explored: "of its replay".
 */
export function summaryText(s: ScenarioSummary): string {
  const expected = s.expected === 'ok' ? 'no failure' : s.expected.join(' or ');
  const proved = s.proved === true && s.kind === undefined;
  const found =
    s.kind === undefined
      ? proved
        ? `${s.expected === 'ok' ? '' : `expected ${expected}, but `}proved: ${count(s.partialOrders ?? s.executions, 'partial order')} (${count(s.executions, 'execution')}), no failure`
        : s.expected === 'ok'
        ? `no failure in ${count(s.executions, 'execution')}`
        : `expected ${expected}, but found no failure in ${count(s.executions, 'execution')}`
      : s.verdict === 'pass'
        ? `found the expected ${s.kind} at step ${s.step} of its replay after ${count(s.executions, 'execution')}`
        : `${s.kind} at step ${s.step} of its replay (expected ${expected}) after ${count(s.executions, 'execution')}`;
  const searched = proved ? '' : s.exhausted ? ', every schedule tried' : s.interrupted === true ? ', interrupted' : '';
  const assumes = proved && s.assumption !== undefined ? `; assumes ${s.assumption}` : '';
  const unfinished =
    s.unfinished === undefined
      ? ''
      : s.verdict === 'incomplete'
        ? `; incomplete: ${count(s.unfinished, 'execution')} ran out of steps while still progressing and were not checked to their end (raise --max-steps, or --allow-unfinished if the scenario is meant never to end)`
        : `; ${count(s.unfinished, 'execution')} ran out of steps while still progressing (raise --max-steps)`;
  return `${s.scenario}: ${found} (${count(s.steps, 'step')}${searched}); strategy ${s.strategy ?? '?'}, seed ${s.seed}, ${duration(s.elapsedMs)}${unfinished}${assumes}`;
}

/** The run in one sentence: whether every scenario met its expectation, or how many did not. */
export function runVerdict(run: RunSummary): string {
  const total = run.scenarios.length;
  if (total === 0 && run.interrupted !== true) return run.shard === undefined ? 'There was no scenario to explore' : `No scenario fell to shard ${run.shard.index}/${run.shard.count}`;
  if (run.interrupted === true) {
    const skipped = run.notExplored?.length ?? 0;
    const explored = `${total} scenario${total === 1 ? '' : 's'} explored${skipped === 0 ? '' : `, ${skipped} not reached`}`;
    return `Interrupted: ${explored}; ${run.failed === 0 ? 'no expectation unmet so far' : `${run.failed} did not meet ${run.failed === 1 ? 'its expectation' : 'their expectations'}`}`;
  }
  if (run.ok) return total === 1 ? 'The scenario met its expectation' : `All ${total} scenarios met their expectations`;
  return `${run.failed} of ${total} scenario${total === 1 ? '' : 's'} did not meet ${run.failed === 1 ? 'its expectation' : 'their expectations'}`;
}

/** The plain one-line summary: `PASS  name: ...` or `FAIL  name: ...`. */
export function summaryLine(s: ScenarioSummary): string {
  return `${verdictWord(s.verdict)}  ${summaryText(s)}`;
}

/** The word a scenario's line begins with. */
export function verdictWord(verdict: ScenarioSummary['verdict']): string {
  return verdict === 'pass' ? 'PASS' : verdict === 'fail' ? 'FAIL' : 'INCOMPLETE';
}

export function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)}s`;
  return `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}
