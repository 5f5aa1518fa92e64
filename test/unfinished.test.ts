/**
 * Runs that never finish (issue 14, item 3). A poll loop over an unchanged
 * state is a cycle, found as one, naming what the thread waits in, even
 * though each poll moves the clock and stamps the state with it; and an
 * exploration some of whose executions ran out of steps while still
 * progressing is no pass: INCOMPLETE from the CLI (exit 1), expectation not
 * met in the result, a failing matcher, unless `allowUnfinished` says the
 * scenario is meant never to end.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineScenario, explore, producerConsumer, type Runtime } from 'interleave';
import { toSurviveInterleavings } from '../src/vitest/matchers.ts';
import { cli, ROOT, tempDir } from './cliProcess.ts';
import { longCount } from './fixtures/longCount.ts';

const NONE = Symbol('none');

/**
 * Delivers a put 5 ms later; a take waits 5 ms, then gives up, stamps when, and polls again every 10 ms. When the
 * delivery and the give-up fire at one instant, the delivery finds the taker just gone and drops the item: the
 * consumer then polls for ever over a state that never changes but for the stamp.
 */
class DroppingQueue {
  readonly items: unknown[] = [];
  waiter: ((v: unknown) => void) | undefined;
  gaveUpAt = -1;
  get size(): number {
    return this.items.length;
  }
  async put(item: unknown): Promise<void> {
    setTimeout(() => {
      if (this.waiter !== undefined) {
        const w = this.waiter;
        this.waiter = undefined;
        w(item);
      } else if (this.gaveUpAt !== Date.now()) this.items.push(item);
    }, 5);
  }
  async take(): Promise<unknown> {
    for (;;) {
      if (this.items.length > 0) return this.items.shift();
      const got = await new Promise<unknown>((resolve) => {
        this.waiter = resolve;
        setTimeout(() => {
          if (this.waiter !== resolve) return;
          this.waiter = undefined;
          this.gaveUpAt = Date.now();
          resolve(NONE);
        }, 5);
      });
      if (got !== NONE) return got;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

const dropping = producerConsumer({ name: 'a queue that drops an item and polls for ever', create: () => new DroppingQueue(), capacity: 1, producers: 1, consumers: 1, itemsPerProducer: 1 });

describe('a poll loop over an unchanged state', () => {
  it('is a livelock naming the consumer polling in take, though every poll moves the clock and stamps the state', async () => {
    const result = await explore(dropping, { runs: 200, seed: 1 });
    expect(result.failure?.kind).toBe('step-limit');
    expect(result.failure!.message).toMatch(/repeats forever: consumer-0 \(timer#\d+\): setTimeout\(\d+\) → consumer-0 \(timer#\d+\): setTimeout\(\d+\)\. It never finishes: consumer-0 \(in take\)\./);
    expect(result.unfinished ?? 0).toBe(0);
  });

  it('while a sleeper approaching its wake-up is progress: a thread that sleeps an hour is not a livelock', async () => {
    const sleeper = defineScenario({
      name: 'sleeps an hour, polled by a heartbeat',
      setup: () => ({ woke: false, beats: 0 }),
      threads: {
        sleeper: async (s: { woke: boolean; beats: number }, rt: Runtime) => {
          const beat = setInterval(() => s.beats++, 1000);
          await rt.sleep(3_600_000);
          clearInterval(beat);
          s.woke = true;
        },
      },
      final: (s) => s.woke || 'never woke',
    });
    const result = await explore(sleeper, { runs: 3, seed: 1, maxSteps: 100 });
    expect(result.failure?.message).toBeUndefined();
  });
});

describe('executions that ran out of steps while still progressing', () => {
  it('leave the expectation unmet (ok stays true: nothing was found), unless allowUnfinished', async () => {
    const held = await explore(longCount, { runs: 2, seed: 1, maxSteps: 50 });
    expect(held).toMatchObject({ ok: true, unfinished: 2, expectationMet: false });
    const allowed = await explore(longCount, { runs: 2, seed: 1, maxSteps: 50, allowUnfinished: true });
    expect(allowed).toMatchObject({ ok: true, unfinished: 2, expectationMet: true });
    await expect(explore(longCount, { allowUnfinished: 'yes' as unknown as boolean })).rejects.toThrow(/'allowUnfinished' must be true or false/);
  });

  it('isolated too: the worker explores with the options resolved in the test, allowUnfinished among them', async () => {
    const held = await explore(longCount, { isolate: true, runs: 2, seed: 1, maxSteps: 50 });
    expect(held).toMatchObject({ ok: true, unfinished: 2, expectationMet: false });
    const allowed = await explore(longCount, { isolate: true, runs: 2, seed: 1, maxSteps: 50, allowUnfinished: true });
    expect(allowed).toMatchObject({ ok: true, unfinished: 2, expectationMet: true });
  });

  it('fail toSurviveInterleavings, saying unfinished, unless allowUnfinished', async () => {
    const failing = await toSurviveInterleavings(longCount, { runs: 2, seed: 1, maxSteps: 50 });
    expect(failing.pass).toBe(false);
    expect(failing.message()).toMatch(/2 executions were unfinished: they ran out of steps while still progressing and were not checked to their end/);
    const allowed = await toSurviveInterleavings(longCount, { runs: 2, seed: 1, maxSteps: 50, allowUnfinished: true });
    expect(allowed.pass).toBe(true);
  });

  it('are INCOMPLETE from the CLI, exit 1, said in summary.json; --allow-unfinished passes them', async () => {
    const dir = await tempDir();
    const file = join(dir, 'long.mts');
    await writeFile(
      file,
      `import { defineScenario } from ${JSON.stringify(join(ROOT, 'src/index.ts'))};\n` +
        `export default defineScenario({ name: 'counts to a million', setup: () => ({ n: 0 }), ` +
        `threads: { counter: async (s, rt) => { while (s.n < 1e6) { s.n++; await rt.yield(); } } } });\n`,
    );
    const args = ['explore', file, '--runs', '2', '--seed', '1', '--max-steps', '50', '--workers', '1', '--no-progress'];
    const held = await cli([...args, '--report-dir', join(dir, 'held')]);
    expect(held.code, held.stderr).toBe(1);
    expect(held.stdout).toMatch(/^INCOMPLETE {2}counts to a million: no failure in 2 executions .*; incomplete: 2 executions ran out of steps while still progressing and were not checked to their end/m);
    const summary = JSON.parse(await readFile(join(dir, 'held', 'summary.json'), 'utf8')) as { ok: boolean; scenarios: { verdict: string; unfinished: number }[] };
    expect(summary.ok).toBe(false);
    expect(summary.scenarios[0]).toMatchObject({ verdict: 'incomplete', unfinished: 2 });
    const allowed = await cli([...args, '--allow-unfinished', '--report-dir', join(dir, 'allowed')]);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stdout).toMatch(/^PASS {2}counts to a million/m);
  });
});
