/**
 * `npm run bench`: the random strategy's steps and executions per second on a
 * 2-producer / 2-consumer / capacity-2 monitor buffer written on the Runtime,
 * next to the raw async hand-off between two tasks measured in the same run
 * (the physical limit of a step), with and without async hooks switched on.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { explore } from 'interleave';
import { handoffsPerSecond } from './handoff.ts';
import { monitorBufferScenario } from './monitorBuffer.ts';

const runs = Number(process.env.BENCH_RUNS ?? 20_000);
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

const here = fileURLToPath(new URL('.', import.meta.url));
const bare = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', `${here}handoff.ts`], { encoding: 'utf8' })) as { rate: number };

await explore(monitorBufferScenario, { runs: 500, seed: 1 }); // warm-up: JIT and AsyncLocalStorage's hooks
const result = await explore(monitorBufferScenario, { runs, seed: 1, strategy: 'random' });
if (!result.ok) throw new Error(`the benchmark's buffer is correct, yet: ${result.failure?.message}`);
const stepsPerSecond = result.steps / (result.elapsedMs / 1000);
const executionsPerSecond = result.executions / (result.elapsedMs / 1000);
const hooked = await handoffsPerSecond();

console.log('Interleave bench — path measured: explore() → random strategy → engine step (resume at a harness point,');
console.log('settle microtasks, nextTick sentinel) → capacity/conservation detectors; async hooks on (AsyncLocalStorage).');
console.log('');
console.log(`| measure | per second | ratio to raw hand-off (no hooks) | ratio to raw hand-off (hooks on) |`);
console.log(`| --- | ---: | ---: | ---: |`);
console.log(`| raw hand-off, no async hooks (child process) | ${fmt(bare.rate)} | 1.000 | |`);
console.log(`| raw hand-off, async hooks on (this process) | ${fmt(hooked)} | ${(hooked / bare.rate).toFixed(3)} | 1.000 |`);
console.log(`| engine steps, ${monitorBufferScenario.name} | ${fmt(stepsPerSecond)} | ${(stepsPerSecond / bare.rate).toFixed(3)} | ${(stepsPerSecond / hooked).toFixed(3)} |`);
console.log(`| executions | ${fmt(executionsPerSecond)} | | |`);
console.log('');
console.log(`${fmt(result.executions)} executions, ${fmt(result.steps)} steps in ${fmt(result.elapsedMs)} ms (seed ${result.seed}).`);
console.log(`Goal: 2,000,000 steps/s, a fifth of the raw hand-off: ${stepsPerSecond >= 2_000_000 ? 'met' : `not met (${(stepsPerSecond / 2_000_000 * 100).toFixed(1)}% of it)`}.`);

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
