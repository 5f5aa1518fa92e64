/**
 * The promise world's conformance check: the harness's model must agree with
 * real Node. Every outcome real Node produces must be one the harness can
 * produce, and every real hang (or exception) must be something the harness
 * finds. The real runs vary by randomised real delays (realNode.ts); the
 * harness explores; a real outcome it has not produced yet sends it on
 * exploring with further seeds, up to a budget, before it is called missing.
 */
import type { Scenario } from 'interleave';
import { collectOutcomes } from '../../src/explore/outcomes.ts';
import { HANG, runOnRealNode, seeded } from './realNode.ts';

export interface Differential {
  readonly scenario: string;
  readonly realRuns: number;
  /** Real outcomes with their counts: the scenario's outcome, `hang`, or `exception: …`. */
  readonly real: ReadonlyMap<string, number>;
  readonly harnessExecutions: number;
  readonly harness: ReadonlyMap<string, number>;
  readonly findings: ReadonlyMap<string, number>;
  /** Real outcomes the harness never produced. */
  readonly missing: readonly string[];
  /** Real hangs or exceptions with no harness finding to match them. */
  readonly unexplained: readonly string[];
}

export interface DifferentialOptions {
  readonly realRuns: number;
  readonly harnessRuns: number;
  /** How many harness executions in all before a real outcome is called missing. */
  readonly harnessBudget: number;
  readonly seed: number;
}

/** Kinds of finding that mean "an execution never finishes", as a real hang shows. */
const STUCK = ['deadlock', 'lost-wakeup', 'lost-item', 'step-limit'];

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
  let harnessExecutions = 0;
  const missingNow = (): string[] => [...real.keys()].filter((o) => o !== HANG && !o.startsWith('exception:') && !harness.has(o));
  for (let round = 0; harnessExecutions < options.harnessBudget && (round === 0 || missingNow().length > 0); round++) {
    const counts = await collectOutcomes(scenario, { runs: Math.min(options.harnessRuns, options.harnessBudget - harnessExecutions), seed: options.seed + round });
    harnessExecutions += counts.executions;
    for (const [o, n] of counts.outcomes) harness.set(o, (harness.get(o) ?? 0) + n);
    for (const [k, n] of counts.findings) findings.set(k, (findings.get(k) ?? 0) + n);
    if (counts.executions === 0) break;
  }
  const unexplained: string[] = [];
  if (real.has(HANG) && !STUCK.some((k) => findings.has(k))) unexplained.push(`${real.get(HANG)} real run(s) hung, and the harness found no execution that never finishes`);
  const exceptions = [...real.keys()].filter((o) => o.startsWith('exception:'));
  if (exceptions.length > 0 && !findings.has('exception')) unexplained.push(`real runs threw (${exceptions.join('; ')}), and the harness found no exception`);
  return { scenario: scenario.name, realRuns: options.realRuns, real, harnessExecutions, harness, findings, missing: missingNow(), unexplained };
}

/** One line of what was compared. */
export function summaryLine(d: Differential): string {
  const hangs = d.real.get(HANG) ?? 0;
  const verdict = d.missing.length === 0 && d.unexplained.length === 0 ? 'every real outcome is one the harness produces' : `DISAGREES: ${[...d.missing.map((m) => `missing '${m}'`), ...d.unexplained].join('; ')}`;
  const found = [...d.findings].map(([k, n]) => `${k} ×${n}`).join(', ');
  return (
    `${d.scenario}: ${d.realRuns} real runs, ${d.real.size} distinct real outcomes${hangs > 0 ? ` (${hangs} hangs)` : ''}; ` +
    `${d.harnessExecutions} harness executions, ${d.harness.size} distinct harness outcomes${found === '' ? '' : `, findings ${found}`}: ${verdict}`
  );
}
