/**
 * Interleave against fast-check's `fc.scheduler()`, measured in the same run
 * on the same promise-world code: executions per second on a correct bounded
 * queue (2 producers, 2 consumers, capacity 2, 2 items each), and executions
 * to the first failure, median (and max) over 20 seeds, on three bugs.
 *
 * fast-check's side is written as its documentation shows: every put and
 * take begins behind a promise the scheduler releases (`s.schedule`), the
 * threads run until the scheduler is idle, and the run fails when a thread
 * never finished (a hang) or the items taken are not the items put.
 * Interleave's side is `producerConsumer` with its default strategy.
 */
import fc from 'fast-check';
import { explore, producerConsumer, type Scenario } from 'interleave';
import { itemFor, takesFor } from '../src/workload/items.ts';
import { bugs, correctQueue, type Workload } from './promiseQueues.ts';

const fmt = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '∞');
const SEEDS = 20;
const BUDGET = Number(process.env.BENCH_FC_BUDGET ?? 20_000);

function scenarioOf(w: Workload): Scenario {
  return producerConsumer({ name: w.name, create: w.create, capacity: w.capacity, producers: w.producers, consumers: w.consumers, itemsPerProducer: w.itemsPerProducer });
}

/** One execution under fast-check's scheduler: undefined when it passes, else why it failed. */
async function underScheduler(w: Workload, s: fc.Scheduler): Promise<string | undefined> {
  const q = w.create();
  const total = w.producers * w.itemsPerProducer;
  const put: unknown[] = [];
  const taken: unknown[] = [];
  let finished = 0;
  const producer = async (p: number): Promise<void> => {
    for (let i = 0; i < w.itemsPerProducer; i++) {
      await s.schedule(Promise.resolve(), `p${p} put`);
      const item = itemFor(p, i);
      await q.put(item);
      put.push(item);
    }
    finished++;
  };
  const consumer = async (c: number): Promise<void> => {
    for (let i = takesFor(c, total, w.consumers); i > 0; i--) {
      await s.schedule(Promise.resolve(), `c${c} take`);
      taken.push(await q.take());
      if (q.size > w.capacity) throw new Error('over capacity');
    }
    finished++;
  };
  const threads = [...Array.from({ length: w.producers }, (_, p) => producer(p)), ...Array.from({ length: w.consumers }, (_, c) => consumer(c))];
  await s.waitIdle();
  if (finished < threads.length) return 'hang';
  await Promise.all(threads);
  const left = new Map<unknown, number>();
  for (const item of put) left.set(item, (left.get(item) ?? 0) + 1);
  for (const item of taken) {
    const n = left.get(item) ?? 0;
    if (n === 0) return 'an item taken that was not put, or twice';
    left.set(item, n - 1);
  }
  return [...left.values()].some((n) => n > 0) ? 'an item lost' : undefined;
}

/** fast-check: executions until the first failure under `seed` (Infinity within the budget), and the time they took. */
async function fastCheck(w: Workload, seed: number, runs: number): Promise<{ executions: number; ms: number }> {
  let executions = 0;
  let failedAt = Infinity;
  const started = performance.now();
  await fc.check(
    fc.asyncProperty(fc.scheduler(), async (s) => {
      executions++;
      const failure = await underScheduler(w, s);
      if (failure !== undefined && failedAt === Infinity) failedAt = executions;
      return failure === undefined;
    }),
    { seed, numRuns: runs, endOnFailure: true },
  );
  return { executions: failedAt, ms: performance.now() - started };
}

function median(values: number[]): { median: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, max: sorted[sorted.length - 1]! };
}

// Throughput, the same correct queue: warm up both, then measure.
const THROUGHPUT_RUNS = Number(process.env.BENCH_FC_RUNS ?? 5000);
await fastCheck(correctQueue, 1, 500);
const fcStarted = performance.now();
let fcExecutions = 0;
await fc.check(
  fc.asyncProperty(fc.scheduler(), async (s) => {
    fcExecutions++;
    return (await underScheduler(correctQueue, s)) === undefined;
  }),
  { seed: 2, numRuns: THROUGHPUT_RUNS },
);
const fcRun = { executions: fcExecutions, ms: performance.now() - fcStarted };
const correct = scenarioOf(correctQueue);
await explore(correct, { runs: 500, seed: 1 });
const ours = await explore(correct, { runs: THROUGHPUT_RUNS, seed: 2 });
if (!ours.ok) throw new Error(`the correct queue failed under Interleave: ${ours.failure?.message}`);
const fcRate = fcRun.executions / (fcRun.ms / 1000);
const ourRate = ours.executions / (ours.elapsedMs / 1000);

console.log('');
console.log(`Interleave against fast-check ${fc.__version}'s fc.scheduler(), same promise-world code, same run`);
console.log('');
console.log(`| ${correctQueue.name}, 2p/2c/cap 2, 2 items each | executions/s |`);
console.log('| --- | ---: |');
console.log(`| fast-check fc.scheduler() | ${fmt(fcRate)} |`);
console.log(`| Interleave, default strategy (portfolio), same-macrotask starts on | ${fmt(ourRate)} |`);
console.log(`| ratio Interleave / fast-check | ${(ourRate / fcRate).toFixed(2)}× (aim: at least 2×) |`);
console.log('');
console.log(`Executions to the first failure, median (max) over ${SEEDS} seeds; budget ${fmt(BUDGET)} executions (∞: not found within it):`);
console.log('');
console.log('| bug | fast-check | Interleave | fast-check / Interleave |');
console.log('| --- | ---: | ---: | ---: |');
for (const bug of bugs) {
  const theirs: number[] = [];
  const mine: number[] = [];
  const scenario = scenarioOf(bug);
  for (let seed = 1; seed <= SEEDS; seed++) {
    theirs.push((await fastCheck(bug, seed, BUDGET)).executions);
    const result = await explore(scenario, { runs: BUDGET, seed });
    mine.push(result.ok ? Infinity : result.executions);
  }
  const t = median(theirs);
  const m = median(mine);
  const ratio = Number.isFinite(t.median) ? (t.median / m.median).toFixed(1) : `> ${fmt(BUDGET / m.median)}`;
  console.log(`| ${bug.name} | ${fmt(t.median)} (${fmt(t.max)}) | ${fmt(m.median)} (${fmt(m.max)}) | ${ratio}× |`);
}
console.log('');
console.log('Aim: every bug found by Interleave in a median of under 20 executions.');
