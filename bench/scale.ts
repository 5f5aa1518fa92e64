/**
 * Steps per second against the number of threads (issue 7): every thread
 * starts, yields once and finishes, so an execution has about two steps per
 * thread. A step's cost must not grow with the threads it does not touch;
 * the table shows it does not much (CPU time of one process).
 */
import { defineScenario, explore, type Runtime } from 'interleave';

const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

for (const strategy of ['random', 'dfs'] as const) {
console.log('');
console.log(`Steps per second against thread count (${strategy} strategy; each thread starts, yields once, finishes):`);
console.log('');
console.log('| threads | executions | steps | CPU ms | steps/s |');
console.log('| ---: | ---: | ---: | ---: | ---: |');
// dfs orders every ready candidate at each of its decisions (linear in them): its largest row is kept to a few seconds.
for (const n of strategy === 'random' ? [10, 100, 1000, 10_000] : [10, 100, 1000, 4000]) {
  const threads: Record<string, (s: { n: number }, rt: Runtime) => Promise<void>> = {};
  for (let i = 0; i < n; i++) {
    threads[`t${i}`] = async (s, rt) => {
      await rt.yield();
      s.n++;
    };
  }
  const scenario = defineScenario({ name: `${n} threads`, setup: () => ({ n: 0 }), threads, final: (s) => s.n === n || `${s.n} of ${n} finished` });
  const runs = Math.max(2, Math.round((strategy === 'random' ? 40_000 : 8_000) / n));
  await explore(scenario, { strategy, runs: Math.max(1, Math.round(runs / 10)), seed: 9 }); // warm-up
  const started = cpu();
  const result = await explore(scenario, { strategy, runs, seed: 1, maxSteps: 4 * n });
  const ms = cpu() - started;
  if (!result.ok) throw new Error(`the scale scenario is correct, yet: ${result.failure?.message}`);
  console.log(`| ${fmt(n)} | ${fmt(result.executions)} | ${fmt(result.steps)} | ${fmt(ms)} | ${fmt(result.steps / (ms / 1000))} |`);
}
}
