/**
 * The README's first test, as a new user would write it, on the library's
 * monitor buffer standing in for "MyQueue" — so the README cannot drift from
 * what works.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { it, expect } from 'vitest';
import { cli, ROOT, tempDir } from './cliProcess.ts';
import { producerConsumer } from 'interleave';
import 'interleave/vitest';
import { MonitorBuffer as MyQueue } from '../scenarios/monitor-buffer.ts';

it('MyQueue survives every interleaving', async () => {
  const scenario = producerConsumer({
    name: 'MyQueue, 2 producers, 2 consumers',
    create: (rt, { capacity }) => new MyQueue(rt, capacity),
    capacity: 2, producers: 2, consumers: 2, itemsPerProducer: 3,
  });
  await expect(scenario).toSurviveInterleavings({ runs: 2000 });
});

/**
 * The README's limiter table is what the CLI prints for the command it names
 * (issue 9): run it, and compare all but the time it took.
 */
it("the README's limiter outcome table is what `interleave explore scenarios/limiter.ts --seed 42 --workers 1` prints", async () => {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const block = /<!-- limiter-table[^>]*-->\n```\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block, 'the README has the marked limiter table').toBeDefined();
  const run = await cli(['explore', 'scenarios/limiter.ts', '--seed', '42', '--workers', '1', '--no-progress', '--report-dir', join(await tempDir(), 'reports')]);
  expect(run.code, run.stderr).toBe(0);
  const printed = run.stdout.slice(0, run.stdout.indexOf('\n\n') + 1);
  const untimed = (text: string): string => text.replace(/seed 42, [\d.]+m?s$/m, 'seed 42, <time>');
  expect(untimed(printed)).toBe(untimed(block!));
}, 120_000);
