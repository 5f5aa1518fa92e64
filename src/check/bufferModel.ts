import type { ThreadId } from '../runtime/virtual/host.ts';
import { describe } from '../trace/index.ts';
import { collector, HISTORY, MONITORED, WRITE } from '../proof/collector.ts';

/** One put or take, with the order of its invocation and response (for order and linearizability checks). */
export interface BufferOp {
  readonly thread: ThreadId;
  readonly op: 'put' | 'take';
  /** The item put, or the item a take returned (once it has). */
  item: unknown;
  readonly invokedAt: number;
  respondedAt: number;
  /** Step of the invocation and of the response. */
  readonly invokedStep: number;
  /** The host's sequence number at the invocation: orders it against harness events within a step. */
  readonly invokedSeq: number;
  respondedStep: number;
}

/**
 * What a buffer workload knows for sure, independent of the implementation:
 * which puts completed, which takes started and what they returned. The
 * detectors judge the implementation against it.
 */
export class BufferModel {
  readonly ops: BufferOp[] = [];
  putsCompleted = 0;
  takesStarted = 0;
  takesCompleted = 0;
  /** Per thread, the operation it is inside, if any: what a parked thread waits in. */
  readonly inside = new Map<ThreadId, BufferOp>();
  private clock = 0;
  /**
   * Proof mode (src/proof): where an invocation's stamp waits. Its position
   * in the history is then its operation's first shared access, not the
   * pause before it, so the history makes no step depend on another that
   * the operations themselves do not (a pause touches nothing shared, and
   * commutes with everything, so that position is one a real run has).
   */
  deferTo: ((thread: ThreadId, stamp: () => void) => void) | undefined;
  /** Proof mode: the step and sequence number to stamp an invocation with, when its first shared access comes. */
  stampAt: (() => { step: number; seq: number }) | undefined;

  constructor(readonly capacity: number) {}

  invoke(thread: ThreadId, op: 'put' | 'take', item: unknown, step: number, seq = -1): BufferOp {
    const record: BufferOp = { thread, op, item, invokedAt: this.clock++, respondedAt: -1, invokedStep: step, invokedSeq: seq, respondedStep: -1 };
    this.inside.set(thread, record);
    if (this.deferTo !== undefined && this.stampAt !== undefined) {
      this.clock--;
      (record as { invokedAt: number }).invokedAt = -1;
      const at = this.stampAt;
      this.deferTo(thread, () => {
        const { step: s, seq: q } = at();
        Object.assign(record, { invokedAt: this.clock++, invokedStep: s, invokedSeq: q });
        this.started(record);
      });
      return record;
    }
    this.started(record);
    return record;
  }

  private started(record: BufferOp): void {
    this.ops.push(record);
    if (record.op === 'take') this.takesStarted++;
    if (collector.on) this.written();
  }

  /** The history and the counters the capacity monitor reads between steps: one location, and a monitored one. */
  private written(): void {
    collector.pseudo(HISTORY, 'ops', WRITE);
    collector.pseudo(MONITORED, '', WRITE);
  }

  respond(record: BufferOp, step: number, result?: unknown): void {
    if (record.invokedAt < 0) collector.flushInvocation(record.thread);
    if (collector.on) this.written();
    record.respondedAt = this.clock++;
    record.respondedStep = step;
    this.inside.delete(record.thread);
    if (record.op === 'put') this.putsCompleted++;
    else {
      record.item = result;
      this.takesCompleted++;
    }
  }

  /**
   * The lost-item rule, the one place it is written: puts completed minus
   * takes started is the fewest items the buffer can hold (the sound count),
   * so a buffer reporting a size below it has lost one. Returns that count
   * when `size` is below it; undefined when it is not, or is not known. The
   * capacity detector asks it after every step, the stuck classification's
   * hints when threads are stuck.
   */
  lostItemsBelow(size: number | undefined): number | undefined {
    const mustHold = this.soundCount();
    return size !== undefined && size < mustHold ? mustHold : undefined;
  }

  /** Puts completed minus takes started: a lower bound on what the buffer holds, whatever it reports. */
  soundCount(): number {
    return this.putsCompleted - this.takesStarted;
  }

  /** Items whose put completed and that no completed take has returned, described, oldest first. */
  contents(): string[] {
    const left: unknown[] = [];
    // Taken before the put that fed them completed: a put that hands its item straight to a waiting taker
    // may return after the taker has.
    const owed: unknown[] = [];
    // In the order operations completed: a take may be invoked before the put that feeds it.
    const completed = this.ops.filter((op) => op.respondedAt >= 0).sort((a, b) => a.respondedAt - b.respondedAt);
    for (const op of completed) {
      const [from, to] = op.op === 'put' ? [owed, left] : [left, owed];
      const i = from.findIndex((x) => sameValueZero(x, op.item));
      if (i >= 0) from.splice(i, 1);
      else to.push(op.item);
    }
    return left.map((x) => describe(x));
  }
}

export function sameValueZero(a: unknown, b: unknown): boolean {
  return a === b || (a !== a && b !== b);
}
