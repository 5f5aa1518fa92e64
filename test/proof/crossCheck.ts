/**
 * Proof mode against plain exhaustive dfs (issue 16 item 5): both must reach
 * the same terminal outcomes, and find the same kind of failure or none.
 * dfs runs until it has tried every schedule (with its join offsets); a
 * scenario too big for it within `dfsTimeLimitMs` is not compared.
 */
import { explore, type Scenario } from '../../src/index.ts';

export interface CrossCheck {
  readonly scenario: string;
  /** dfs tried every schedule within its time limit: the comparison means something. */
  readonly compared: boolean;
  readonly dfs: { readonly executions: number; readonly ms: number; readonly outcomes: readonly string[]; readonly kind?: string };
  readonly proof: { readonly executions: number; readonly ms: number; readonly outcomes: readonly string[]; readonly kind?: string; readonly proved: boolean };
  readonly onlyDfs: readonly string[];
  readonly onlyProof: readonly string[];
  /** Both found nothing, or both found a failure of the same kind. */
  readonly sameVerdict: boolean;
  readonly agree: boolean;
}

export async function crossCheck(scenario: Scenario, dfsTimeLimitMs = 60_000): Promise<CrossCheck> {
  let t = performance.now();
  const dfs = await explore(scenario, { strategy: 'dfs', seed: 1, runs: Number.MAX_SAFE_INTEGER, timeLimitMs: dfsTimeLimitMs });
  const dfsMs = performance.now() - t;
  t = performance.now();
  // Where dfs could not finish there is nothing to compare: proof mode gets the same limit, only to show how far it got.
  const exhaustedDfs = dfs.exhausted || dfs.failure !== undefined;
  const proof = await explore(scenario, { strategy: 'proof', seed: 1, timeLimitMs: exhaustedDfs ? 10 * dfsTimeLimitMs : dfsTimeLimitMs });
  const proofMs = performance.now() - t;
  const outcomes = (r: typeof dfs): string[] => (r.outcomes ?? []).map((row) => row.outcome).sort();
  const d = outcomes(dfs);
  const p = outcomes(proof);
  // A failure stops either search, so the outcomes seen before it depend on the order of the search: compare the kinds then.
  const failed = dfs.failure !== undefined || proof.failure !== undefined;
  const onlyDfs = failed ? [] : d.filter((o) => !p.includes(o));
  const onlyProof = failed ? [] : p.filter((o) => !d.includes(o));
  const sameVerdict = dfs.failure?.kind === proof.failure?.kind;
  const compared = exhaustedDfs;
  return {
    scenario: scenario.name,
    compared,
    dfs: { executions: dfs.executions, ms: dfsMs, outcomes: d, ...(dfs.failure === undefined ? {} : { kind: dfs.failure.kind }) },
    proof: { executions: proof.executions, ms: proofMs, outcomes: p, proved: proof.proved === true, ...(proof.failure === undefined ? {} : { kind: proof.failure.kind }) },
    onlyDfs,
    onlyProof,
    sameVerdict,
    agree: sameVerdict && onlyDfs.length === 0 && onlyProof.length === 0 && (proof.failure !== undefined || proof.proved === true),
  };
}
