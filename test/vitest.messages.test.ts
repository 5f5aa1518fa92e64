/** What the matchers' messages say of how far they got: distinct outcomes, and executions that ran out of steps. */
import { describe, expect, it, vi } from 'vitest';
import { defineScenario, producerConsumer, type Runtime } from 'interleave';
import { toHaveInterleavingBug, toSurviveInterleavings } from '../src/vitest/matchers.ts';
import { MonitorBuffer } from '../scenarios/monitor-buffer.ts';

describe('matcher messages', () => {
  it('count the distinct outcomes seen', async () => {
    const counter = defineScenario({
      name: 'a counter with outcomes',
      setup: () => ({ n: 0 }),
      threads: { a: async (s: { n: number }, rt: Runtime) => rt.yield(), b: async () => {} },
      outcome: (s) => String(s.n),
    });
    const result = await toHaveInterleavingBug(counter, undefined, { runs: 50, seed: 1 });
    expect(result.pass).toBe(false);
    expect(result.message()).toMatch(/1 distinct outcome/);
  });

  it('warn, on the console, of executions that ran out of steps while progressing, on a pass that allows them', async () => {
    const long = producerConsumer({
      name: 'monitor buffer, tiny budget',
      create: (rt, { capacity }) => new MonitorBuffer(rt, capacity),
      capacity: 2,
      producers: 1,
      consumers: 1,
      itemsPerProducer: 500,
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const result = await toSurviveInterleavings(long, { runs: 2, seed: 1, maxSteps: 50, allowUnfinished: true });
      expect(result.pass).toBe(true);
      expect(result.message()).toMatch(/warning: 2 executions ran out of steps while still progressing \(raise maxSteps\)/);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/'monitor buffer, tiny budget'; warning: 2 executions ran out of steps/));
    } finally {
      warn.mockRestore();
    }
  });
});
