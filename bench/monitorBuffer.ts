import { producerConsumer } from 'interleave';
import { MonitorBuffer } from '../scenarios/monitor-buffer.ts';

/** The benchmark's subject: the library's correct monitor bounded buffer, on the Runtime. */
export const monitorBufferScenario = producerConsumer({
  name: 'bench: monitor buffer 2p/2c cap 2',
  create: (rt, { capacity }) => new MonitorBuffer(rt, capacity),
  capacity: 2,
  producers: 2,
  consumers: 2,
  itemsPerProducer: 4,
});
