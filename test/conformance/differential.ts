/**
 * The promise world's conformance check, in both directions: the harness's
 * model must agree with real Node.
 *
 * - Real → harness (no missed bug): every outcome of randomised real runs
 *   (realNode.ts: random real delays at the workload points, random
 *   `setImmediate` hops, the loop blocked for random durations) must be one
 *   the harness produces; a real hang must match a harness finding of an
 *   execution that never finishes (the harness's `hang`), and a real
 *   exception a harness exception. A real outcome the harness has not
 *   produced yet sends it on exploring with further seeds, up to a budget,
 *   before it is called missing.
 * - Harness → real (no false alarm): every outcome only the harness produced
 *   must be one real Node can come to. Each is tried on real Node along the
 *   harness execution that produced it (directed.ts: a directed real run,
 *   a few attempts); what no directed run reproduces must be in the
 *   checked-in list (harness-only.ts) with the mechanism by which real Node
 *   produces it, shown by the entry's own targeted real run, which the check
 *   runs again. Anything else is unexplained, and the check fails on it.
 */
import type { Scenario } from 'interleave';
import { DEFAULT_START_TIME } from '../../src/engine/clock.ts';
import { collectOutcomes, type FirstExecution } from '../../src/explore/outcomes.ts';
import { defaultFairSteps } from '../../src/explore/run.ts';
import { encodeToken, scenarioId } from '../../src/explore/token.ts';
import { harnessSchedule, reproduce, STUCK } from './directed.ts';
import { EXPLAINED, type Explanation } from './harness-only.ts';
import { HANG, runOnRealNode, seeded } from './realNode.ts';

/** How an outcome only the harness produced was explained, if it was. */
export type HarnessOnlyVerdict =
  /** `path`: whether that run followed the harness execution's every release, or where it left it. */
  | { readonly by: 'directed'; readonly attempt: number; readonly path: string }
  | { readonly by: 'list'; readonly mechanism: string }
  | { readonly by: 'none'; readonly why: string };

export interface HarnessOnly {
  readonly outcome: string;
  /** How many harness executions came to it. */
  readonly count: number;
  /** The replay token of the first harness execution that came to it. */
  readonly token: string;
  readonly verdict: HarnessOnlyVerdict;
}

export interface Differential {
  readonly scenario: string;
  readonly realRuns: number;
  /** Real outcomes with their counts: the scenario's outcome, `hang`, or `exception: …`. */
  readonly real: ReadonlyMap<string, number>;
  readonly harnessExecutions: number;
  /** Harness outcomes with their counts; `hang` counts the executions judged to never finish (deadlock, lost wakeup…). */
  readonly harness: ReadonlyMap<string, number>;
  readonly findings: ReadonlyMap<string, number>;
  /** Real outcomes the harness never produced (a real hang with no harness `hang`, a real exception with no harness exception). */
  readonly realOnly: readonly string[];
  /** Outcomes only the harness produced, each with how it was explained. */
  readonly harnessOnly: readonly HarnessOnly[];
}

export interface DifferentialOptions {
  readonly realRuns: number;
  readonly harnessRuns: number;
  /** How many harness executions in all before a real outcome is called missing. */
  readonly harnessBudget: number;
  readonly seed: number;
  /** Directed real runs tried per harness-only outcome (default 5). */
  readonly attempts?: number;
  /** The list of explained harness-only outcomes (default: harness-only.ts's). */
  readonly explained?: readonly Explanation[];
}

const MAX_STEPS = 10_000;

export async function differential(scenario: Scenario, options: DifferentialOptions): Promise<Differential> {
  const random = seeded(options.seed);
  const real = new Map<string, number>();
  for (let i = 0; i < options.realRuns; i++) {
    const outcome = await runOnRealNode(scenario, random);
    real.set(outcome, (real.get(outcome) ?? 0) + 1);
    await new Promise((resolve) => setImmediate(resolve)); // leave nothing of one run to the next
  }
  const harness = new Map<string, number>();
  const findings = new Map<string, number>();
  /** The first execution of each harness outcome, with the seed of the round that ran it. */
  const firsts = new Map<string, FirstExecution & { readonly seed: number }>();
  let harnessExecutions = 0;
  const missingNow = (): string[] =>
    [...real.keys()].filter((o) => (o.startsWith('exception:') ? !findings.has('exception') : !harness.has(o)));
  for (let round = 0; harnessExecutions < options.harnessBudget && (round === 0 || missingNow().length > 0); round++) {
    const seed = options.seed + round;
    const counts = await collectOutcomes(scenario, { runs: Math.min(options.harnessRuns, options.harnessBudget - harnessExecutions), seed }, { keepTapes: true });
    harnessExecutions += counts.executions;
    for (const [o, n] of counts.outcomes) harness.set(o, (harness.get(o) ?? 0) + n);
    for (const [k, n] of counts.findings) {
      findings.set(k, (findings.get(k) ?? 0) + n);
      if (STUCK.includes(k)) harness.set(HANG, (harness.get(HANG) ?? 0) + n);
    }
    for (const [o, first] of counts.first!.outcomes) if (!firsts.has(o)) firsts.set(o, { ...first, seed });
    for (const k of STUCK) {
      const first = counts.first!.findings.get(k);
      if (first !== undefined && !firsts.has(HANG)) firsts.set(HANG, { ...first, seed });
    }
    if (counts.executions === 0) break;
  }
  const harnessOnly: HarnessOnly[] = [];
  for (const [outcome, count] of harness) {
    if (real.has(outcome)) continue;
    const first = firsts.get(outcome)!;
    const token = encodeToken({
      scenarioId: scenarioId(scenario.name, scenario.threads),
      strategy: 'portfolio',
      seed: first.seed,
      execution: first.execution,
      maxSteps: MAX_STEPS,
      fairSteps: defaultFairSteps(MAX_STEPS),
      startTime: DEFAULT_START_TIME,
      tape: first.tape,
      kinds: first.kinds,
    });
    harnessOnly.push({ outcome, count, token, verdict: await explain(scenario, outcome, first, options) });
  }
  return { scenario: scenario.name, realRuns: options.realRuns, real, harnessExecutions, harness, findings, realOnly: missingNow(), harnessOnly };
}

/** A directed real run along the harness's execution; failing that, the list's entry and its targeted real run. */
async function explain(scenario: Scenario, outcome: string, first: FirstExecution, options: DifferentialOptions): Promise<HarnessOnlyVerdict> {
  const schedule = await harnessSchedule(scenario, first, MAX_STEPS);
  if (schedule.outcome !== outcome) return { by: 'none', why: `its execution, replayed, came to ${JSON.stringify(schedule.outcome)}` };
  const attempts = options.attempts ?? 5;
  const directed = await reproduce(scenario, schedule, attempts);
  if (directed.attempt !== undefined) {
    const run = directed.attempts[directed.attempt - 1]!;
    const releases = schedule.polls.reduce((n, p) => n + p.length, 0);
    const path = run.followed === releases ? `followed all ${releases} releases` : `followed ${run.followed} of ${releases} releases, then ${run.leftAt}`;
    return { by: 'directed', attempt: directed.attempt, path };
  }
  const entry = (options.explained ?? EXPLAINED).find((e) => e.scenario === scenario.name && e.outcome === outcome);
  const tried = `${attempts} directed real runs came to ${[...new Set(directed.attempts.map((a) => JSON.stringify(a.outcome)))].join(', ')}`;
  if (entry === undefined) return { by: 'none', why: `${tried}, and the list has no entry for it` };
  const shown = await entry.realRun();
  if (shown !== outcome) return { by: 'none', why: `${tried}, and the list's targeted real run came to ${JSON.stringify(shown)}` };
  return { by: 'list', mechanism: entry.mechanism };
}

/** Counts of the harness-only outcomes by how they were explained. */
export function tally(d: Differential): { directed: number; list: number; unexplained: number } {
  const n = (by: HarnessOnlyVerdict['by']): number => d.harnessOnly.filter((h) => h.verdict.by === by).length;
  return { directed: n('directed'), list: n('list'), unexplained: n('none') };
}

/** Whether the two agree: no real outcome missing from the harness, no unexplained harness-only outcome. */
export function agrees(d: Differential): boolean {
  return d.realOnly.length === 0 && tally(d).unexplained === 0;
}

/** One line of what was compared, both directions. */
export function summaryLine(d: Differential): string {
  const t = tally(d);
  const found = [...d.findings].map(([k, n]) => `${k} ×${n}`).join(', ');
  const problems = [
    ...d.realOnly.map((o) => `real outcome '${o}' never produced by the harness`),
    ...d.harnessOnly.filter((h) => h.verdict.by === 'none').map((h) => `harness-only '${h.outcome}' unexplained (${(h.verdict as { why: string }).why}; token ${h.token})`),
  ];
  return (
    `${d.scenario}: ${d.realRuns} real runs, ${d.real.size} distinct real outcomes; ${d.harnessExecutions} harness executions, ${d.harness.size} distinct harness outcomes` +
    `${found === '' ? '' : ` (findings ${found})`}; harness-only ${d.harnessOnly.length} (${t.directed} by directed real runs, ${t.list} by the list, ${t.unexplained} unexplained), ` +
    `real-only ${d.realOnly.length}: ${problems.length === 0 ? 'agree' : `DISAGREE: ${problems.join('; ')}`}`
  );
}

/** Both directions in full: the real outcomes, the harness's, and those only one side produced. */
export function details(d: Differential): string {
  const lines: string[] = [];
  const list = (title: string, rows: readonly string[]): void => {
    lines.push(`  ${title} (${rows.length}):`);
    for (const row of rows) lines.push(`    ${row}`);
  };
  const counted = (m: ReadonlyMap<string, number>): string[] => [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([o, n]) => `${String(n).padStart(6)} × ${o}`);
  list('real outcomes', counted(d.real));
  list('harness outcomes', counted(d.harness));
  list(
    'harness-only',
    d.harnessOnly.map((h) => {
      const v = h.verdict;
      const how = v.by === 'directed' ? `reproduced by a directed real run (attempt ${v.attempt}, ${v.path})` : v.by === 'list' ? `explained by the list: ${v.mechanism}` : `UNEXPLAINED: ${v.why}; token ${h.token}`;
      return `${String(h.count).padStart(6)} × ${h.outcome} — ${how}`;
    }),
  );
  list('real-only', d.realOnly.map((o) => `${String(d.real.get(o)).padStart(6)} × ${o}`));
  return lines.join('\n');
}
