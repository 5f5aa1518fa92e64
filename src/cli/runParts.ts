import { createHeartbeat } from '../engine/heartbeat.ts';
import { hangResult, outOfMemoryResult, readHang, type HangContext } from '../explore/isolate/hang.ts';
import { resolveOptions } from '../explore/options.ts';
import type { ExploreResult } from '../explore/result.ts';
import { joinOutcomes } from '../report/outcomes.ts';
import { printable } from '../report/printable.ts';
import { Board, PART_DONE, PART_QUEUED, PART_RUNNING } from './board.ts';
import type { ListedScenario } from './loadInWorkers.ts';
import { decidingPart, type Part, type PartOutcome } from './parts.ts';
import { heapLimit, WorkerOutOfMemory, type WorkerPool } from './pool.ts';
import type { ProgressRow } from './progress.ts';
import type { ExploreAnswer, PartOptions } from './tasks.ts';
import { UsageError } from './usage.ts';
import { Watchdog } from './watchdog.ts';

/** A scenario of the run, with the parts of it this run explores. */
export interface PlannedScenario {
  readonly listed: ListedScenario;
  readonly parts: readonly Part[];
  /** The parts of the whole scenario this run covers: `from` to `to - 1` of `total` (see shard.ts). */
  readonly from: number;
  readonly to: number;
  readonly total: number;
}

/** What became of a scenario: its parts' results combined, or nothing when the run was stopped before any part of it began. */
export interface ScenarioOutcome {
  readonly planned: PlannedScenario;
  readonly result?: ExploreResult;
  /** The part whose failure `result` reports. */
  readonly failedPart?: number;
}

export interface RunHooks {
  /** Each scenario's outcome, in plan order (a scenario that finishes early waits for those before it). */
  readonly done: (outcome: ScenarioOutcome) => void;
  /** The scenarios being explored now, a few times a second. */
  readonly progress: (rows: readonly ProgressRow[]) => void;
}

/**
 * Explores the planned scenarios in the pool: every part of every scenario
 * is a task (queued in the order explained below).
 * Resolves once every part has answered. The board stops them all at once
 * (Ctrl-C); a scenario that cannot be explored stops them too, and is then
 * the error this rejects with (the first in plan order, if several).
 */
export async function runParts(
  pool: WorkerPool,
  plan: readonly PlannedScenario[],
  board: Board,
  options: Omit<PartOptions, 'runs' | 'seed' | 'regressions'> & {
    readonly regressions?: string;
    readonly timeLimitMs?: number;
    readonly stepTimeoutMs: number;
    /** The workers' heap limit (--worker-heap-mb), for a finding's words when a part runs out of it. */
    readonly workerHeapMb?: number;
  },
  runSeed: number,
  hooks: RunHooks,
): Promise<ScenarioOutcome[]> {
  let next = 0;
  const slots = plan.map((planned) => planned.parts.map(() => next++));
  const { regressions, stepTimeoutMs, workerHeapMb, ...common } = options;
  const watchdog = new Watchdog(stepTimeoutMs);
  const findings = new Map<number, string>();
  const finished = new Set<number>();

  const progress = (): void => {
    const rows: ProgressRow[] = [];
    for (const [row, planned] of plan.entries()) {
      if (finished.has(row)) continue;
      const parts = slots[row]!.map((slot) => board.read(slot));
      if (parts.every((p) => p.state === PART_QUEUED)) continue;
      rows.push({
        key: row,
        name: printable(planned.listed.meta.name, { oneLine: true }),
        executions: parts.reduce((n, p) => n + p.executions, 0),
        elapsedMs: Math.max(...parts.map((p) => p.elapsedMs)),
        runs: planned.parts.reduce((n, p) => n + p.runs, 0),
        timeLimitMs: options.timeLimitMs ?? Infinity,
        ...(findings.has(row) ? { finding: findings.get(row)! } : {}),
      });
    }
    hooks.progress(rows);
  };
  const ticker = setInterval(progress, 100);

  const outcomes: (ScenarioOutcome | undefined)[] = plan.map(() => undefined);
  let printed = 0;
  const errors: (string | undefined)[] = plan.map(() => undefined);
  // Parts go to the pool no faster than it has threads, so that they start in the order below: piscina reorders queued
  // tasks that carry an abort signal (the watchdog's), and a heartbeat exists only for a part that runs.
  const turns = new Turns(pool.threads);
  const explorePart = async (row: number, i: number): Promise<{ readonly part: Part; readonly answer: ExploreAnswer }> => {
    await turns.take();
    try {
      return await explorePartNow(row, i);
    } finally {
      turns.give();
    }
  };
  const explorePartNow = async (row: number, i: number): Promise<{ readonly part: Part; readonly answer: ExploreAnswer }> => {
    const planned = plan[row]!;
    const part = planned.parts[i]!;
    const slot = slots[row]![i]!;
    const heartbeat = createHeartbeat();
    const options = { ...common, runs: part.runs, seed: part.seed, ...(part.index === 0 && regressions !== undefined ? { regressions } : {}) };
    // A part that ran its worker out of heap (the worker is gone): a finding of its scenario, read from the heartbeat as a hang's is.
    const began = performance.now();
    const outOfMemory = (error: unknown): ExploreAnswer => {
      if (!(error instanceof WorkerOutOfMemory)) throw error;
      const stopped = readHang(heartbeat, stepTimeoutMs, performance.now() - began);
      const found = outOfMemoryResult(hangContext(planned, options), stopped, heapLimit(workerHeapMb), () => 'interleave replay runs it under the same heap limit (give it the same --worker-heap-mb)');
      board.cut(row, part.index);
      board.report(slot, PART_DONE, found);
      return { status: 'done', result: found };
    };
    const answer = await watchdog.run<ExploreAnswer>(
      heartbeat,
      () => board.read(slot).state === PART_RUNNING,
      (signal) =>
        pool.explore(
          {
            kind: 'explore',
            file: planned.listed.file,
            index: planned.listed.index,
            name: planned.listed.meta.name,
            part: part.index,
            // The regression file is replayed once per scenario, by the part that keeps the run's seed.
            options,
            board: board.buffer,
            heartbeat,
            row,
            slot,
          },
          signal,
        ).catch(outOfMemory),
      (stuck) => {
        // The watchdog terminates the part's worker: the hang is the part's finding, and decides as a failure does.
        const hang = hangResult(hangContext(planned, options), stuck, () => 'interleave replay runs it under the same watchdog');
        board.cut(row, part.index);
        board.report(slot, PART_DONE, hang);
        return { status: 'done', result: hang };
      },
    );
    // A scenario that cannot be explored ends the run (exit 2): the other parts stop rather than finish for nothing.
    if (answer.status === 'error') board.stopAll();
    if (answer.status === 'done' && answer.result.failure !== undefined && !findings.has(row)) findings.set(row, answer.result.failure.kind);
    return { part, answer };
  };
  // The pool takes tasks first in, first out, in this order: a scenario's part i after the first parts of the next i
  // scenarios. Its parts still run side by side, but a scenario whose first part decides at once (most buggy ones do:
  // found, or every schedule tried) is over before its other parts leave the queue, and they are skipped, not run for nothing.
  const order = plan.flatMap((planned, row) => planned.parts.map((_, i) => ({ row, i }))).sort((x, y) => x.row + x.i - (y.row + y.i) || x.i - y.i);
  const started = plan.map((planned) => planned.parts.map(() => undefined as ReturnType<typeof explorePart> | undefined));
  for (const { row, i } of order) started[row]![i] = explorePart(row, i);
  try {
    await Promise.all(
      plan.map(async (planned, row) => {
        const answers = await Promise.all(started[row]!.map((answer) => answer!));
        finished.add(row);
        const error = answers.find(({ answer }) => answer.status === 'error')?.answer;
        if (error?.status === 'error') errors[row] = error.error;
        outcomes[row] = combine(planned, answers, runSeed, board.stopped);
        // Lines come out in plan order, whichever scenario finishes first; none once the run has failed.
        for (; printed < plan.length && outcomes[printed] !== undefined && errors.every((e) => e === undefined); printed++) hooks.done(outcomes[printed]!);
      }),
    );
  } finally {
    clearInterval(ticker);
  }
  const error = errors.find((e) => e !== undefined);
  if (error !== undefined) throw new UsageError(error);
  return outcomes.map((o) => o!);
}

/** At most `count` holders at once; the others wait, first come first served. */
class Turns {
  private readonly waiting: (() => void)[] = [];
  constructor(private free: number) {}

  take(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Hands the turn to the first waiting, or frees it. */
  give(): void {
    const next = this.waiting.shift();
    if (next === undefined) this.free++;
    else next();
  }
}

/** What a hang's finding says of the search it happened in: the part's options, resolved as its worker resolved them. */
function hangContext(planned: PlannedScenario, options: Omit<PartOptions, 'regressions'>): HangContext {
  const { strategy, seed, maxSteps, startTime } = resolveOptions(options);
  const { name, threads, expected } = planned.listed.meta;
  return { name, threads, expected, strategy, seed, maxSteps, startTime };
}

/** One scenario's result from its parts' (see decidingPart). */
function combine(planned: PlannedScenario, answers: readonly { readonly part: Part; readonly answer: ExploreAnswer }[], runSeed: number, stopped: boolean): ScenarioOutcome {
  const outcomes: PartOutcome<ExploreResult>[] = [];
  for (const { part, answer } of answers) {
    if (answer.status !== 'done') continue;
    outcomes.push({ index: part.index, result: answer.result, failed: answer.result.failure !== undefined, exhausted: answer.result.exhausted });
  }
  if (outcomes.length === 0) return { planned };
  const { decider, counted } = decidingPart(outcomes);
  const winner = decider?.failed === true ? decider : undefined;
  const below = (index: number): boolean => decider === undefined || index < decider.index;
  // Stopped by Ctrl-C, not by a lower part's decision: a part below the decider that did not run its whole share.
  const interrupted =
    stopped && answers.some(({ part, answer }) => below(part.index) && (answer.status === 'skipped' || (answer.status === 'done' && answer.result.interrupted === true)));
  const lead = (decider ?? counted[0]!).result;
  const result: ExploreResult = {
    ok: winner === undefined,
    ...(winner === undefined ? {} : { failure: winner.result.failure! }),
    executions: counted.reduce((n, o) => n + o.result.executions, 0),
    steps: counted.reduce((n, o) => n + o.result.steps, 0),
    elapsedMs: Math.max(...counted.map((o) => o.result.elapsedMs)),
    seed: runSeed,
    exhausted: winner === undefined && decider !== undefined,
    ...unfinishedOf(counted),
    ...outcomesOf(counted),
    ...(lead.strategy === undefined ? {} : { strategy: lead.strategy }),
    ...(interrupted ? { interrupted: true } : {}),
    ...proofOf(lead),
  };
  return { planned, result, ...(winner === undefined ? {} : { failedPart: winner.index }) };
}

/** Proof mode: what the deciding part proved, and on what assumption. */
function proofOf(lead: ExploreResult): Pick<ExploreResult, 'proved' | 'assumption' | 'partialOrders' | 'opaqueSteps'> {
  if (lead.proved === undefined) return {};
  return {
    proved: lead.proved,
    ...(lead.assumption === undefined ? {} : { assumption: lead.assumption }),
    ...(lead.partialOrders === undefined ? {} : { partialOrders: lead.partialOrders }),
    ...(lead.opaqueSteps === undefined ? {} : { opaqueSteps: lead.opaqueSteps }),
  };
}

/** Executions that ran out of steps while still progressing, in the counted parts: a warning, not a finding. */
function unfinishedOf(counted: readonly PartOutcome<ExploreResult>[]): { readonly unfinished?: number } {
  const unfinished = counted.reduce((n, o) => n + (o.result.unfinished ?? 0), 0);
  return unfinished > 0 ? { unfinished } : {};
}

/** The counted parts' outcome histograms, joined. */
function outcomesOf(counted: readonly PartOutcome<ExploreResult>[]): { readonly outcomes?: ExploreResult['outcomes'] } {
  const outcomes = joinOutcomes(counted.map((o) => o.result.outcomes));
  return outcomes === undefined ? {} : { outcomes };
}
