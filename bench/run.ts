/**
 * `npm run bench`: the random strategy's steps and executions per second on a
 * 2-producer / 2-consumer / capacity-2 monitor buffer written on the Runtime,
 * next to the raw async hand-off between two tasks measured in the same run
 * (the physical limit of a step), with and without async hooks switched on.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { explore, type Scenario } from 'interleave';
import promiseQueue from '../scenarios/promise-queue.ts';
import { monitorBufferScenario } from './monitorBuffer.ts';

const runs = Number(process.env.BENCH_RUNS ?? 20_000);
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

const here = fileURLToPath(new URL('.', import.meta.url));
const handoff = (...flags: string[]): number =>
  (JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', `${here}handoff.ts`, ...flags], { encoding: 'utf8' })) as { rate: number }).rate;
const bare = handoff();
const hooked = handoff('--hooks');

async function measure(scenario: Scenario, count: number): Promise<{ steps: number; executions: number; result: Awaited<ReturnType<typeof explore>> }> {
  await explore(scenario, { runs: Math.min(500, count), seed: 1, strategy: 'random' }); // warm-up: the JIT
  const result = await explore(scenario, { runs: count, seed: 1, strategy: 'random' });
  if (!result.ok) throw new Error(`the benchmark's '${scenario.name}' is correct, yet: ${result.failure?.message}`);
  return { steps: result.steps / (result.elapsedMs / 1000), executions: result.executions / (result.elapsedMs / 1000), result };
}
// The Runtime path first: its executions never park a thread on a promise, so they run without async context
// (no promise hooks); the promise-world queue parks threads, so it runs with them — and from then on, so does the process.
const onRuntime = await measure(monitorBufferScenario, runs);
const promiseWorld = await measure(promiseQueue, Math.round(runs / 2));

console.log('Interleave bench — path measured: explore() → random strategy → engine step (resume at a harness point,');
console.log('settle microtasks and ticks, nextTick sentinel) → capacity and conservation detectors.');
console.log('');
console.log(`| measure | per second | ratio to raw hand-off | ratio to raw hand-off with hooks |`);
console.log(`| --- | ---: | ---: | ---: |`);
console.log(`| raw hand-off between two tasks, no async hooks | ${fmt(bare)} | 1.000 | |`);
console.log(`| raw hand-off, async hooks on (AsyncLocalStorage) | ${fmt(hooked)} | ${(hooked / bare).toFixed(3)} | 1.000 |`);
// Every execution runs with async context (AsyncLocalStorage): the hooked hand-off is the fair limit of both paths.
console.log(`| engine steps: ${monitorBufferScenario.name} (Runtime, async context) | ${fmt(onRuntime.steps)} | ${(onRuntime.steps / bare).toFixed(3)} | ${(onRuntime.steps / hooked).toFixed(3)} |`);
console.log(`| executions of it | ${fmt(onRuntime.executions)} | | |`);
console.log(`| engine steps: ${promiseQueue.name} (plain promises, async context) | ${fmt(promiseWorld.steps)} | ${(promiseWorld.steps / bare).toFixed(3)} | ${(promiseWorld.steps / hooked).toFixed(3)} |`);
console.log(`| executions of it | ${fmt(promiseWorld.executions)} | | |`);
console.log('');
console.log(`${fmt(onRuntime.result.executions)} executions, ${fmt(onRuntime.result.steps)} steps in ${fmt(onRuntime.result.elapsedMs)} ms (seed 1).`);
const goal = 2_000_000;
console.log(`Goal: ${fmt(goal)} steps/s on the Runtime path: ${onRuntime.steps >= goal ? 'met' : `not met (${((onRuntime.steps / goal) * 100).toFixed(1)}% of it; ${((onRuntime.steps / bare) * 100).toFixed(1)}% of this machine's raw hand-off, against the fifth aimed at)`}.`);

// The CLI's path: `interleave explore scenarios/` as a user runs it, in its own process.
const cliRuns = Number(process.env.BENCH_CLI_RUNS ?? 2000);
const reportDir = mkdtempSync(join(tmpdir(), 'interleave-bench-'));
const cliStarted = performance.now();
let cliOut: string;
try {
  cliOut = execFileSync(
    process.execPath,
    [`${here}../bin/interleave.js`, 'explore', `${here}../scenarios`, '--runs', String(cliRuns), '--seed', '1', '--json', '--report-dir', reportDir],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
} finally {
  rmSync(reportDir, { recursive: true, force: true });
}
const cliWall = performance.now() - cliStarted;
const run = JSON.parse(cliOut) as { ok: boolean; scenarios: { scenario: string; executions: number; steps: number; elapsedMs: number }[] };
const cliExecutions = run.scenarios.reduce((n, s) => n + s.executions, 0);
const cliSteps = run.scenarios.reduce((n, s) => n + s.steps, 0);
const cliExploring = run.scenarios.reduce((n, s) => n + s.elapsedMs, 0);
console.log('');
console.log(`CLI path: interleave explore scenarios/ --runs ${cliRuns} --seed 1 (${run.scenarios.length} scenarios, every expectation met: ${run.ok})`);
console.log(`| measure | per second |`);
console.log(`| --- | ---: |`);
console.log(`| executions, exploring time only | ${fmt(cliExecutions / (cliExploring / 1000))} |`);
console.log(`| steps, exploring time only | ${fmt(cliSteps / (cliExploring / 1000))} |`);
console.log(`| executions, whole command (start-up, loading, minimising, reports) | ${fmt(cliExecutions / (cliWall / 1000))} |`);
console.log(`${fmt(cliExecutions)} executions in ${fmt(cliWall)} ms of wall time.`);
console.log('');
console.log('| scenario | executions | executions/s |');
console.log('| --- | ---: | ---: |');
for (const s of run.scenarios) console.log(`| ${s.scenario} | ${fmt(s.executions)} | ${fmt(s.executions / (s.elapsedMs / 1000))} |`);

// --workers 1 against --workers 2 on the scenario library, measured in the same run: each scenario's executions are split
// between the worker threads, so on two free cores the second should nearly double the rate. Two rounds, alternating, and
// the better of each, since another process on the machine can take a core away for a while. The CPU time the command
// used is printed beside (Linux: the reaped children's time in /proc/self/stat): on a machine others are using, it shows
// how much a second worker costs in work, which the wall-clock rate there cannot.
const workerRuns = Number(process.env.BENCH_WORKERS_RUNS ?? 10_000);
const childrenCpuMs = (): number | undefined => {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    // cutime and cstime, fields 16 and 17 of the whole line (13 and 14 after the command's name), in ticks of 10 ms.
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return undefined;
  }
};
const byWorkers = (workers: number): { executions: number; exploringMs: number; wallMs: number; cpuMs?: number } => {
  const dir = mkdtempSync(join(tmpdir(), 'interleave-bench-workers-'));
  const cpuBefore = childrenCpuMs();
  const started = performance.now();
  try {
    const out = execFileSync(
      process.execPath,
      [`${here}../bin/interleave.js`, 'explore', `${here}../scenarios`, '--runs', String(workerRuns), '--seed', '1', '--workers', String(workers), '--json', '--report-dir', dir],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const wallMs = performance.now() - started;
    const cpuAfter = childrenCpuMs();
    const summary = JSON.parse(out) as { elapsedMs: number; scenarios: { executions: number }[] };
    const executions = summary.scenarios.reduce((n, s) => n + s.executions, 0);
    return { executions, exploringMs: summary.elapsedMs, wallMs, ...(cpuBefore === undefined || cpuAfter === undefined ? {} : { cpuMs: cpuAfter - cpuBefore }) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
const rounds = [1, 2, 1, 2].map((workers) => ({ workers, ...byWorkers(workers) }));
const best = (workers: number) =>
  rounds.filter((r) => r.workers === workers).reduce((a, b) => (b.executions / b.exploringMs > a.executions / a.exploringMs ? b : a));
const [one, two] = [best(1), best(2)];
const rate = (r: { executions: number }, ms: number): number => r.executions / (ms / 1000);
const cpu = (r: { cpuMs?: number; wallMs: number; executions: number }): string =>
  r.cpuMs === undefined ? '| | |' : `| ${fmt(r.cpuMs)} ms | ${(r.cpuMs / r.wallMs).toFixed(2)} | ${((r.cpuMs / r.executions) * 1000).toFixed(0)} ms |`;
console.log('');
console.log(`Worker threads: interleave explore scenarios/ --runs ${workerRuns} --seed 1 --workers N (the better of two rounds each)`);
console.log('| workers | executions | exploring (wall) | executions/s | whole command | executions/s, whole command | CPU time | cores used | CPU per 1,000 executions |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of [one, two]) {
  console.log(`| ${r.workers} | ${fmt(r.executions)} | ${fmt(r.exploringMs)} ms | ${fmt(rate(r, r.exploringMs))} | ${fmt(r.wallMs)} ms | ${fmt(rate(r, r.wallMs))} ${cpu(r)}`);
}
const ratio = rate(two, two.exploringMs) / rate(one, one.exploringMs);
console.log(`Ratio, --workers 2 to --workers 1: ${ratio.toFixed(2)}× exploring, ${(rate(two, two.wallMs) / rate(one, one.wallMs)).toFixed(2)}× whole command (aim: 1.7× on 2 cores: ${ratio >= 1.7 ? 'met' : 'not met'}).`);
if (one.cpuMs !== undefined && two.cpuMs !== undefined) {
  const cores = one.cpuMs / one.wallMs;
  console.log(
    `CPU per execution, --workers 2 to --workers 1: ${(two.cpuMs / two.executions / (one.cpuMs / one.executions)).toFixed(2)}×` +
      (cores < 0.9 ? ` (the single worker got ${cores.toFixed(2)} of a core: the machine was busy, and the wall-clock ratio says more about that than about the split).` : '.'),
  );
}
