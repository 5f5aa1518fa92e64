/**
 * `npm run conformance`: the promise world's differential check against
 * real Node, both directions, with large counts (the test suite runs it with
 * small ones). Prints, per scenario, the real outcomes, the harness's, the
 * outcomes only the harness produced (each with how it was explained: a
 * directed real run, or the checked-in list) and those only real Node
 * produced; then a table, and last `unexplained harness-only outcomes: N`.
 * Exits 1 when N > 0 or a real outcome is missing from the harness.
 * REAL_RUNS, HARNESS_RUNS, HARNESS_BUDGET, ATTEMPTS and SEED override the
 * counts; ONLY=<text> checks only the scenarios whose name contains it.
 */
import { agrees, details, differential, summaryLine, tally, type Differential } from './differential.ts';
import { PROMISE_WORLD } from './scenarios.ts';

const options = {
  realRuns: Number(process.env.REAL_RUNS ?? 2000),
  harnessRuns: Number(process.env.HARNESS_RUNS ?? 20_000),
  harnessBudget: Number(process.env.HARNESS_BUDGET ?? 200_000),
  seed: Number(process.env.SEED ?? 1),
  attempts: Number(process.env.ATTEMPTS ?? 5),
};
const only = process.env.ONLY;
const scenarios = PROMISE_WORLD.filter((s) => only === undefined || s.name.includes(only));

const started = performance.now();
const results: Differential[] = [];
for (const scenario of scenarios) {
  const t0 = performance.now();
  const d = await differential(scenario, options);
  results.push(d);
  console.log(`\n${summaryLine(d)} [${((performance.now() - t0) / 1000).toFixed(1)} s]`);
  console.log(details(d));
}

const rows = results.map((d) => {
  const t = tally(d);
  return [d.scenario, d.realRuns, d.real.size, d.harness.size, d.harnessOnly.length, t.directed, t.list, t.unexplained, d.realOnly.length].map(String);
});
const sum = (i: number): string => String(rows.reduce((n, r) => n + Number(r[i]), 0));
rows.push(['total', sum(1), sum(2), sum(3), sum(4), sum(5), sum(6), sum(7), sum(8)]);
const head = ['scenario', 'real runs', 'real outcomes', 'harness outcomes', 'harness-only', 'by directed runs', 'by the list', 'unexplained', 'real-only'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (r: readonly string[]): string => `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
console.log(`\n${line(head)}\n|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
for (const r of rows) console.log(line(r));

const unexplained = results.reduce((n, d) => n + tally(d).unexplained, 0);
const realOnly = results.reduce((n, d) => n + d.realOnly.length, 0);
console.log(
  `\n${scenarios.length} scenarios in ${((performance.now() - started) / 1000).toFixed(0)} s: ` +
    (realOnly === 0 ? 'every real outcome is one the harness produces' : `${realOnly} real outcome(s) the harness never produced (a bug it would miss)`) +
    `; ${results.every(agrees) ? 'real Node and the harness agree' : 'real Node and the harness DISAGREE'}.`,
);
console.log(`unexplained harness-only outcomes: ${unexplained}`);
process.exitCode = unexplained === 0 && realOnly === 0 ? 0 : 1;
