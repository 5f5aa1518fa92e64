/**
 * `npm run bench`: the random strategy's steps and executions per second on a
 * 2-producer / 2-consumer / capacity-2 monitor buffer written on the Runtime,
 * next to the raw async hand-off between two tasks measured in the same run
 * (the physical limit of a step), with and without async hooks switched on.
 */
import { execFileSync } from 'node:child_process';
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
