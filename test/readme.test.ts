/**
 * The README's first test, as a new user would write it, on the library's
 * monitor buffer standing in for "MyQueue" — so the README cannot drift from
 * what works.
 */
import { it, expect } from 'vitest';
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
