/**
 * `npm run conformance`: the promise world's differential check against
 * real Node with large counts (the test suite runs it with small ones).
 * Prints, per scenario, how many real runs, distinct real outcomes and
 * harness outcomes it compared, and exits 1 on any disagreement.
 * REAL_RUNS, HARNESS_RUNS and HARNESS_BUDGET override the counts.
 */
import { differential, summaryLine } from './differential.ts';
import { PROMISE_WORLD } from './scenarios.ts';

const options = {
  realRuns: Number(process.env.REAL_RUNS ?? 2000),
  harnessRuns: Number(process.env.HARNESS_RUNS ?? 20_000),
  harnessBudget: Number(process.env.HARNESS_BUDGET ?? 200_000),
  seed: Number(process.env.SEED ?? 1),
};

let disagreements = 0;
let realRuns = 0;
let realOutcomes = 0;
let harnessOutcomes = 0;
for (const scenario of PROMISE_WORLD) {
  const d = await differential(scenario, options);
  console.log(summaryLine(d));
  realRuns += d.realRuns;
  realOutcomes += d.real.size;
  harnessOutcomes += d.harness.size;
  if (d.missing.length > 0 || d.unexplained.length > 0) disagreements++;
}
console.log(
  `\n${PROMISE_WORLD.length} scenarios: ${realRuns} real runs, ${realOutcomes} distinct real outcomes, ${harnessOutcomes} distinct harness outcomes compared; ` +
    `${disagreements === 0 ? 'real Node and the harness agree' : `${disagreements} scenario(s) where they DISAGREE`}.`,
);
process.exitCode = disagreements === 0 ? 0 : 1;
