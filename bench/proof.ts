/**
 * Proof mode (issue 16) next to plain dfs: executions and seconds to try
 * every schedule of the 2p/2c/cap-1 monitor buffer and of the library's
 * promise queue, with 1 and 2 items each. dfs gets a time limit (it cannot
 * finish the 2-item cases: about 10^12 schedules); a row it did not finish
 * says so. Then the cost per step of proof mode (transform, footprints and
 * the search) against dfs's on the same executions, and what a run without
 * proof mode pays after one with it in the same process (nothing, if the
 * collector is off: the instrumented copy is a separate module).
 *
 * Options: `--quick` skips the 2-item rows; `--dfs-limit <s>` (default 60).
 */
import { explore, type Scenario } from 'interleave';
import { proof1, proof2, promise1, promise2 } from '../test/fixtures/proof/monitor.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const at = args.indexOf('--dfs-limit');
const dfsLimitMs = (at >= 0 ? Number(args[at + 1]) : 60) * 1000;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const secs = (ms: number): string => (ms / 1000).toFixed(2);

interface Row {
  readonly executions: number;
  readonly ms: number;
  readonly done: boolean;
  readonly steps: number;
}

async function run(scenario: Scenario, strategy: 'proof' | 'dfs', limitMs: number): Promise<Row> {
  const t = performance.now();
  const r = await explore(scenario, { strategy, seed: 1, timeLimitMs: limitMs, ...(strategy === 'dfs' ? { runs: Number.MAX_SAFE_INTEGER } : {}) });
  const ms = performance.now() - t;
  if (!r.ok) throw new Error(`${scenario.name}: ${strategy} found ${r.failure?.kind}; the bench's scenarios are correct`);
  return { executions: r.executions, ms, done: strategy === 'proof' ? r.proved === true : r.exhausted, steps: r.steps };
}

console.log('');
console.log(`Proving small configurations: proof mode (source-DPOR + sleep sets over step footprints) next to plain dfs (time limit ${secs(dfsLimitMs)} s):`);
console.log('');
console.log('| scenario | proof executions | proof s | proved | dfs executions | dfs s | dfs exhausted |');
console.log('| --- | ---: | ---: | --- | ---: | ---: | --- |');
const subjects: [string, Scenario, boolean][] = [
  ['monitor buffer 2p/2c cap 1, 1 item each (aim: <= 64, < 1 s)', proof1, true],
  ['promise queue 2p/2c, 1 item each', promise1, true],
  ['monitor buffer 2p/2c cap 1, 2 items each (aim: <= 90,000, < 10 s)', proof2, !quick],
  ['promise queue 2p/2c, 2 items each', promise2, !quick],
];
for (const [label, scenario, included] of subjects) {
  if (!included) continue;
  const proof = await run(scenario, 'proof', 600_000);
  const dfs = await run(scenario, 'dfs', dfsLimitMs);
  console.log(`| ${label} | ${fmt(proof.executions)} | ${secs(proof.ms)} | ${proof.done ? 'yes' : 'no'} | ${fmt(dfs.executions)} | ${secs(dfs.ms)} | ${dfs.done ? 'yes' : `no (stopped at the limit)`} |`);
}

// The cost of a step: the same number of executions of the 2-item buffer under each, in one process.
const N = quick ? 2000 : 10_000;
const perStep = async (strategy: 'proof' | 'dfs' | 'random'): Promise<number> => {
  const t = performance.now();
  const r = await explore(proof2, { strategy, seed: 1, runs: N });
  return ((performance.now() - t) * 1000) / r.steps;
};
const random0 = await perStep('random');
const dfsStep = await perStep('dfs');
const proofStep = await perStep('proof');
const random1 = await perStep('random');
console.log('');
console.log(`Cost per step (2p/2c cap 1, 2 items each, ${fmt(N)} executions each, wall clock):`);
console.log('');
console.log('| run | µs/step | ratio |');
console.log('| --- | ---: | ---: |');
console.log(`| dfs | ${dfsStep.toFixed(2)} | 1.00 |`);
console.log(`| proof (transform + footprints + search) | ${proofStep.toFixed(2)} | ${(proofStep / dfsStep).toFixed(2)} |`);
console.log(`| random, before any proof run | ${random0.toFixed(2)} | ${(random0 / dfsStep).toFixed(2)} |`);
console.log(`| random, after a proof run (should match the row above) | ${random1.toFixed(2)} | ${(random1 / dfsStep).toFixed(2)} |`);
