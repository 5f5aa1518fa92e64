/**
 * Search power on a bug that needs one thread far ahead of another
 * (issue 15 item 5): thread b yields 12 times and then sets a flag; thread a
 * yields once and then must not see it. Executions to the first failure,
 * median (max) over 20 seeds, for the default strategy, random and PCT, and
 * for fast-check's scheduler on the same shape (each yield a scheduled
 * promise). Aim: the default strategy in a median of at most 10.
 */
import fc from 'fast-check';
import { explore, type ExploreOptions } from 'interleave';
import { starvation, YIELDS } from './starvationScenario.ts';

const SEEDS = 20;
const BUDGET = Number(process.env.BENCH_STARVATION_BUDGET ?? 20_000);
const fmt = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '∞');

function median(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return `${fmt(sorted[Math.floor(sorted.length / 2)]!)} (${fmt(sorted[sorted.length - 1]!)})`;
}

async function interleave(strategy: ExploreOptions['strategy']): Promise<string> {
  const found: number[] = [];
  for (let seed = 1; seed <= SEEDS; seed++) {
    const result = await explore(starvation, { runs: BUDGET, seed, strategy });
    found.push(result.ok ? Infinity : result.executions);
  }
  return median(found);
}

async function fastCheck(): Promise<string> {
  const found: number[] = [];
  for (let seed = 1; seed <= SEEDS; seed++) {
    let executions = 0;
    let failedAt = Infinity;
    await fc.check(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        executions++;
        let flag = false;
        let seen = false;
        const b = async (): Promise<void> => {
          for (let i = 0; i < YIELDS; i++) await s.schedule(Promise.resolve(), `b yield ${i}`);
          flag = true;
        };
        const a = async (): Promise<void> => {
          await s.schedule(Promise.resolve(), 'a yield');
          seen = flag;
        };
        const both = Promise.all([a(), b()]);
        await s.waitAll();
        await both;
        if (seen && failedAt === Infinity) failedAt = executions;
        return !seen;
      }),
      { seed, numRuns: BUDGET, endOnFailure: true },
    );
    found.push(failedAt);
  }
  return median(found);
}

console.log('');
console.log(`Starvation: b yields ${YIELDS} times then sets a flag; a yields once and must not see it. Executions to the first failure,`);
console.log(`median (max) over ${SEEDS} seeds; budget ${fmt(BUDGET)} (∞: not found within it).`);
console.log('');
console.log('| strategy | executions to first failure |');
console.log('| --- | ---: |');
console.log(`| Interleave, default (portfolio) | ${await interleave(undefined)} |`);
console.log(`| Interleave, pct | ${await interleave('pct')} |`);
console.log(`| Interleave, random | ${await interleave('random')} |`);
console.log(`| fast-check fc.scheduler() | ${await fastCheck()} |`);
console.log('');
console.log('Aim: the default strategy in a median of at most 10.');
