/**
 * Shared memory between the CLI and its worker threads, read and written
 * without messages: a worker's event loop is busy exploring, and a progress
 * bar or a Ctrl-C should not wait for it to turn. It holds the run's stop
 * flag, each scenario's cut-off (the lowest part that has failed or tried
 * every schedule: the parts above it can no longer decide, see parts.ts,
 * and stop), and each part's progress.
 */
const HEADER = 3; // int32s: scenario count, part count, stop flag
const NO_CUT = 0x7fffffff;
/** Per part, in float64s: state, executions, steps, elapsed ms. */
const PART_FIELDS = 4;

export const PART_QUEUED = 0;
export const PART_RUNNING = 1;
export const PART_DONE = 2;

export interface PartProgress {
  readonly state: number;
  readonly executions: number;
  readonly steps: number;
  readonly elapsedMs: number;
}

export class Board {
  private readonly ints: Int32Array;
  private readonly floats: Float64Array;

  private constructor(readonly buffer: SharedArrayBuffer) {
    const header = new Int32Array(buffer, 0, HEADER);
    const scenarios = header[0]!;
    const parts = header[1]!;
    this.ints = new Int32Array(buffer, 0, HEADER + scenarios);
    this.floats = new Float64Array(buffer, floatsOffset(scenarios), parts * PART_FIELDS);
  }

  static create(scenarios: number, parts: number): Board {
    const buffer = new SharedArrayBuffer(floatsOffset(scenarios) + parts * PART_FIELDS * 8);
    const header = new Int32Array(buffer, 0, HEADER + scenarios);
    header[0] = scenarios;
    header[1] = parts;
    header.fill(NO_CUT, HEADER);
    return new Board(buffer);
  }

  /** The worker's view of the board the CLI created. */
  static attach(buffer: SharedArrayBuffer): Board {
    return new Board(buffer);
  }

  /** Every part stops at its next progress report, and parts not started yet do not start. */
  stopAll(): void {
    Atomics.store(this.ints, 2, 1);
  }

  get stopped(): boolean {
    return Atomics.load(this.ints, 2) === 1;
  }

  /** Part `part` of scenario `scenario` decided its outcome (it failed, or tried every schedule): the parts above it stop. */
  cut(scenario: number, part: number): void {
    const at = HEADER + scenario;
    for (let seen = Atomics.load(this.ints, at); part < seen; seen = Atomics.load(this.ints, at)) {
      if (Atomics.compareExchange(this.ints, at, seen, part) === seen) return;
    }
  }

  /** Whether a part should stop (or not start): the run was stopped, or a lower part of its scenario failed. */
  shouldStop(scenario: number, part: number): boolean {
    return this.stopped || Atomics.load(this.ints, HEADER + scenario) < part;
  }

  report(slot: number, state: number, progress?: { readonly executions: number; readonly steps: number; readonly elapsedMs: number }): void {
    const at = slot * PART_FIELDS;
    if (progress !== undefined) {
      this.floats[at + 1] = progress.executions;
      this.floats[at + 2] = progress.steps;
      this.floats[at + 3] = progress.elapsedMs;
    }
    this.floats[at] = state;
  }

  read(slot: number): PartProgress {
    const at = slot * PART_FIELDS;
    return { state: this.floats[at]!, executions: this.floats[at + 1]!, steps: this.floats[at + 2]!, elapsedMs: this.floats[at + 3]! };
  }
}

/** Where the float64s start: after the int32s, rounded up to 8 bytes. */
function floatsOffset(scenarios: number): number {
  return Math.ceil(((HEADER + scenarios) * 4) / 8) * 8;
}
