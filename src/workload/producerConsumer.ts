import { BufferModel } from '../check/bufferModel.ts';
import { capacityMonitor } from '../check/capacity.ts';
import { conservationMonitor } from '../check/conservation.ts';
import type { Runtime } from '../runtime/types.ts';
import type { PointRequest, VirtualHost } from '../runtime/virtual/host.ts';
import { describe } from '../trace/index.ts';
import { readExpectation } from './expectation.ts';
import { itemFor, takesFor } from './items.ts';
import { bufferOutcome, outcomeClassProblems, outcomeText, type OutcomeClasses } from './outcome.ts';
import { makeScenario, type Expectation, type Scenario } from './scenario.ts';

export interface BufferConfig {
  capacity: number;
  producers: number;
  consumers: number;
  itemsPerProducer: number;
}

export interface ProducerConsumerSpec<Q> extends BufferConfig {
  name: string;
  /** Builds the implementation under test; runs inside each execution. */
  create: (rt: Runtime, config: BufferConfig) => Q;
  /** Default `q.put(item)`. */
  put?: ((q: Q, item: unknown) => Promise<void>) | undefined;
  /** Default `q.take()`. */
  take?: ((q: Q) => Promise<unknown>) | undefined;
  /** Default `q.size`: called if a function, read if a number. */
  size?: ((q: Q) => number) | undefined;
  /** Each producer's items come out in the order it put them; default true. */
  fifo?: boolean | undefined;
  /** The execution's outcome; default: which consumer took which items, in order (`consumer-0: p0#0,p1#0 · consumer-1: p0#1`). */
  outcome?: ((q: Q) => unknown) | undefined;
  /** How outcomes are graded (see defineScenario's `outcomes`). */
  outcomes?: OutcomeClasses | undefined;
  expected?: Expectation | undefined;
}

interface BufferState<Q> {
  readonly q: Q;
  readonly model: BufferModel;
  /** The implementation's size; it may throw (the capacity detector reports that). */
  readonly size: () => number | undefined;
  /** The same, for snapshots and hints: a size that throws reads as unknown there. */
  readonly sizeOrUnknown: () => number | undefined;
}

/** The pause before each put and take: a controlled scheduling point of the workload. */
const pause = (op: 'put' | 'take'): PointRequest => ({
  macrotask: true,
  op,
  enabled: () => true,
  proceed: () => {},
  blocker: () => ({ waitsFor: op, kind: 'other', heldBy: [] }),
});
const PAUSE_PUT = pause('put');
const PAUSE_TAKE = pause('take');

/** The buffer's size: by the spec's `size`, else `q.size` called if a function, read if a number. */
function readSize<Q>(size: ((q: Q) => number) | undefined, q: Q): number | undefined {
  if (size !== undefined) return size(q);
  const value = (q as { size?: unknown } | null)?.size;
  if (typeof value === 'function') return (value as () => number).call(q);
  return typeof value === 'number' ? value : undefined;
}

/**
 * P producers put their items and C consumers take them all through the
 * implementation under test; the detectors watch its capacity after every
 * step, and conservation and order at the end.
 */
export function producerConsumer<Q>(spec: ProducerConsumerSpec<Q>): Scenario {
  const problems: string[] = [];
  const s = (spec ?? {}) as Partial<ProducerConsumerSpec<Q>>;
  const name = typeof s.name === 'string' && s.name.trim() !== '' ? s.name : '(unnamed)';
  if (name === '(unnamed)') problems.push(`'name' must be a non-empty string; got ${JSON.stringify(s.name)}.`);
  if (typeof s.create !== 'function') problems.push(`'create' must be a function (rt, config) => queue; got ${typeof s.create}.`);
  const count = (key: keyof BufferConfig, min: number): number => {
    const value = s[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      problems.push(`'${key}' must be a whole number >= ${min}; got ${JSON.stringify(value)}.`);
      return min;
    }
    return value;
  };
  const config: BufferConfig = {
    capacity: count('capacity', 0),
    producers: count('producers', 1),
    consumers: count('consumers', 1),
    itemsPerProducer: count('itemsPerProducer', 0),
  };
  for (const key of ['put', 'take', 'size', 'outcome'] as const) {
    if (s[key] !== undefined && typeof s[key] !== 'function') problems.push(`'${key}' must be a function; got ${typeof s[key]}.`);
  }
  const expected = readExpectation(s.expected, problems);
  outcomeClassProblems(s.outcomes, problems);
  const fifo = s.fifo ?? true;
  const put = s.put ?? ((q: Q, item: unknown) => (q as { put(item: unknown): Promise<void> }).put(item));
  const take = s.take ?? ((q: Q) => (q as { take(): Promise<unknown> }).take());
  const { producers, consumers, itemsPerProducer } = config;
  const total = producers * itemsPerProducer;
  const threadNames = [
    ...Array.from({ length: producers }, (_, p) => `producer-${p}`),
    ...Array.from({ length: consumers }, (_, c) => `consumer-${c}`),
  ];
  const isProducer = (thread: number): boolean => thread < producers;
  const consumerIds = Array.from({ length: consumers }, (_, c) => producers + c);

  const producer = (p: number) => async (state: BufferState<Q>, _rt: Runtime, host: VirtualHost) => {
    for (let i = 0; i < itemsPerProducer; i++) {
      const item = itemFor(p, i);
      await host.point(PAUSE_PUT);
      const op = state.model.invoke(p, 'put', item, host.stepIndex(), host.sequence());
      if (host.recording) host.record('put', 'invoke', undefined, describe(item));
      await put(state.q, item);
      state.model.respond(op, host.stepIndex());
      if (host.recording) host.record('put', 'response', undefined, 'done');
    }
  };
  const consumer = (c: number) => async (state: BufferState<Q>, _rt: Runtime, host: VirtualHost) => {
    const thread = producers + c;
    for (let i = takesFor(c, total, consumers); i > 0; i--) {
      await host.point(PAUSE_TAKE);
      const op = state.model.invoke(thread, 'take', undefined, host.stepIndex(), host.sequence());
      if (host.recording) host.record('take', 'invoke');
      const item = await take(state.q);
      state.model.respond(op, host.stepIndex(), item);
      if (host.recording) host.record('take', 'response', undefined, describe(item));
    }
  };

  return makeScenario<BufferState<Q>>(name, expected, {
    problems,
    capacity: config.capacity,
    ...(s.outcomes === undefined ? {} : { outcomeClasses: s.outcomes }),
    threadNames,
    code: [s.create, s.put, s.take, s.size, s.outcome],
    setup(rt) {
      const q = s.create!(rt, { ...config });
      const size = (): number | undefined => readSize(s.size, q);
      const sizeOrUnknown = (): number | undefined => {
        try {
          return size();
        } catch {
          return undefined;
        }
      };
      return { q, model: new BufferModel(config.capacity), size, sizeOrUnknown };
    },
    bodies: [...Array.from({ length: producers }, (_, p) => producer(p)), ...Array.from({ length: consumers }, (_, c) => consumer(c))],
    monitors: (state, host) => [capacityMonitor(state.model, state.size), conservationMonitor(state.model, fifo, (id) => host.threadName(id))],
    buffer: (state) => {
      const size = state.sizeOrUnknown();
      return size === undefined ? { contents: state.model.contents() } : { size, contents: state.model.contents() };
    },
    // The queue itself and the workload's counters: items moving through it are progress, whatever the queue's shape.
    progressState: (state) => [state.q, state.model.putsCompleted, state.model.takesStarted, state.model.takesCompleted],
    outcome: (state) =>
      s.outcome === undefined
        ? bufferOutcome(state.model, consumerIds, (id) => threadNames[id]!)
        : outcomeText(s.outcome(state.q)),
    hints: (state) => ({
      parkedIn: (thread) => state.model.inside.get(thread)?.op,
      operationStart: (thread) => state.model.inside.get(thread)?.invokedSeq,
      vanished() {
        const size = state.sizeOrUnknown();
        const mustHold = state.model.lostItemsBelow(size);
        if (mustHold === undefined) return undefined;
        return `${state.model.putsCompleted} puts have completed and ${state.model.takesStarted} takes have started, so the buffer must hold at least ${mustHold} item(s), yet it reports size ${size}`;
      },
      shouldRun(thread) {
        const inside = state.model.inside.get(thread);
        if (inside === undefined) return undefined;
        const held = state.sizeOrUnknown() ?? state.model.putsCompleted - state.model.takesCompleted;
        if (!isProducer(thread) && inside.op === 'take' && held > 0) return `the buffer holds ${held} item(s)`;
        if (isProducer(thread) && inside.op === 'put' && held < config.capacity) return `the buffer has room (${held} of ${config.capacity})`;
        return undefined;
      },
    }),
  });
}
