/**
 * What a new user reads in the README, checked against what they get
 * (issue 14, item 15): the steps that make a fresh project type-check, the
 * failure's fields, a complete queue on the Runtime that passes the README's
 * first test, where a finding's step is, where the clocks start, and the
 * run's verdict in words.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineScenario, explore, producerConsumer, replay, type Failure } from 'interleave';
import 'interleave/vitest';
import { runSummary, runVerdict, summarize, summaryText } from '../src/report/summary.ts';
import { toSurviveInterleavings } from '../src/vitest/matchers.ts';
import { ROOT } from './cliProcess.ts';
import ringNegativeModulo from '../scenarios/ring-negative-modulo.ts';

const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
const section = (heading: string): string => {
  const start = readme.indexOf(`\n## ${heading}\n`);
  expect(start, `README has a '## ${heading}' section`).toBeGreaterThan(0);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
};

describe('a fresh project', () => {
  it("sets type=module after npm init, which writes \"type\": \"commonjs\" under npm 11, and says what CommonJS projects do instead", () => {
    const install = section('Installing it in your project');
    const commands = /```sh\n(mkdir my-project[\s\S]*?)```/.exec(install)?.[1];
    expect(commands, 'a fresh-project recipe').toBeDefined();
    expect(commands).toMatch(/npm init -y && npm pkg set type=module/);
    expect(commands).toMatch(/npx tsc --init/);
    expect(install).toMatch(/import interleave = require\('interleave'\)/);
  });
});

describe('the failure object', () => {
  it('is documented field by field, and those are exactly its fields', async () => {
    const first = section('Your first test');
    const table = /\*\*The failure\.\*\*[\s\S]*?\n((?:\|.*\|\n)+)/.exec(first)?.[1];
    expect(table, 'a table of the failure\'s fields').toBeDefined();
    const fields = [...table!.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);
    const { failure } = await explore(ringNegativeModulo, { seed: 42, runs: 300 });
    expect(fields.sort()).toEqual(Object.keys(failure as Failure).sort());
    expect(table).toMatch(/there is no `failure\.token`/);
  });
});

describe("the README's complete queue", () => {
  it('is written on the Runtime (rt.condition(mutex), wait() without arguments) and passes the README\'s first test', async () => {
    const first = section('Your first test');
    const block = /```ts\n(\/\/ src\/myQueue\.ts\n[\s\S]*?)```/.exec(first)?.[1];
    expect(block, 'a `// src/myQueue.ts` block').toBeDefined();
    expect(block).toMatch(/rt\.condition\(this\.lock, 'notEmpty'\)/);
    expect(block).toMatch(/await this\.notEmpty\.wait\(\);/);
    // Written where the test runner's alias for 'interleave' applies, and imported as the README's test imports it.
    const dir = join(ROOT, 'test', '.readme-queue');
    await mkdir(dir, { recursive: true });
    const file = join(dir, `myQueue-${process.pid}.ts`);
    await writeFile(file, block!);
    try {
      const { MyQueue } = (await import(file)) as { MyQueue: new (rt: unknown, capacity: number) => object };
      const scenario = producerConsumer({
        name: 'MyQueue, 2 producers, 2 consumers',
        create: (rt, { capacity }) => new MyQueue(rt, capacity) as { put(item: unknown): Promise<void>; take(): Promise<unknown>; size: number },
        capacity: 2, producers: 2, consumers: 2, itemsPerProducer: 3,
      });
      await expect(scenario).toSurviveInterleavings({ runs: 300, seed: 1 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("a finding's step", () => {
  it('is said to be in the execution its token replays, which may be longer than every execution explored', async () => {
    // seed 42: one execution of fewer steps than the simpler execution reported.
    const result = await explore(ringNegativeModulo, { seed: 42, runs: 300 });
    expect(result.failure!.step).toBeGreaterThan(result.steps);
    const line = summaryText(summarize({ name: ringNegativeModulo.name, expected: 'ok' }, result));
    expect(line).toMatch(new RegExp(`duplicate-item at step ${result.failure!.step} of its replay \\(expected no failure\\) after 1 execution \\(${result.steps} steps\\)`));
    const replayed = await replay(ringNegativeModulo, result.failure!.replay);
    expect(replayed.failure!.step).toBe(result.failure!.step);
    expect(replayed.steps).toBe(result.failure!.step);
    const matcher = await toSurviveInterleavings(ringNegativeModulo, { seed: 42, runs: 300 });
    expect(matcher.message()).toMatch(new RegExp(`failed with duplicate-item at step ${result.failure!.step} of its replay \\(1 execution, ${result.steps} steps,`));
  });
});

describe('the clocks', () => {
  it('start where the README says: Date.now() at startTime, performance.now() and rt.now() at 10,000', async () => {
    const time = section('The model');
    expect(time).toMatch(/`Date\.now\(\)` reads `startTime` \(1,735,732,800,000 by default\)/);
    expect(time).toMatch(/`performance\.now\(\)` and `rt\.now\(\)` read 10,000/);
    const seen: number[][] = [];
    const clocks = defineScenario({
      name: 'clocks',
      setup: (rt) => (seen.push([Date.now(), performance.now(), rt.now()]), {}),
      threads: {
        a: async (_s, rt) => {
          seen.push([Date.now(), performance.now(), rt.now()]);
          await rt.sleep(250);
          seen.push([Date.now(), performance.now(), rt.now()]);
        },
      },
    });
    await explore(clocks, { runs: 1, seed: 1 });
    expect(seen).toEqual([
      [1_735_732_800_000, 10_000, 10_000],
      [1_735_732_800_000, 10_000, 10_000],
      [1_735_732_800_250, 10_250, 10_250],
    ]);
    seen.length = 0;
    await explore(clocks, { runs: 1, seed: 1, startTime: 5_000 });
    expect(seen[0]).toEqual([5_000, 10_000, 10_000]);
  });
});

describe("the run's verdict", () => {
  it('agrees in number: "1 of 2 scenarios did not meet its expectation"', () => {
    const scenario = (name: string, ok: boolean) =>
      summarize({ name, expected: 'ok' }, { ok, executions: 1, steps: 1, elapsedMs: 1, seed: 1, exhausted: false, ...(ok ? {} : { failure: { kind: 'deadlock', message: 'm', step: 1, replay: 'IL1-x', trace: { steps: [], outcome: { ok: false } } as never } }) });
    expect(runVerdict(runSummary([scenario('a', true), scenario('b', false)]))).toBe('1 of 2 scenarios did not meet its expectation');
    expect(runVerdict(runSummary([scenario('a', false), scenario('b', false)]))).toBe('2 of 2 scenarios did not meet their expectations');
    expect(runVerdict(runSummary([scenario('a', false)]))).toBe('1 of 1 scenario did not meet its expectation');
  });
});
