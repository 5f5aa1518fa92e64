import type { ExploreResult } from '../explore/result.ts';
import type { StrategyName } from '../explore/strategies/index.ts';
import type { FailureKind } from '../trace/index.ts';

/** What the CLI asks its worker threads (worker.ts) to do, and what they answer. Plain data: it crosses threads by structured clone. */

/** A scenario file, as the CLI resolved it. */
export interface TaskFile {
  readonly absolute: string;
  readonly display: string;
}

/** What the CLI needs to know of a scenario without loading its file itself. */
export interface ScenarioMeta {
  readonly name: string;
  readonly expected: readonly FailureKind[] | 'ok';
  readonly threads: readonly string[];
}

export interface LoadTask {
  readonly kind: 'load';
  readonly file: TaskFile;
}

export type LoadAnswer = { readonly ok: true; readonly scenarios: readonly ScenarioMeta[] } | { readonly ok: false; readonly error: string };

/** The options of one part's exploration (see parts.ts). */
export interface PartOptions {
  readonly strategy?: StrategyName;
  readonly runs: number;
  readonly seed: number;
  readonly maxSteps?: number;
  readonly timeLimitMs?: number;
  readonly preemptions?: number;
  readonly depth?: number;
  readonly startTime?: number;
  readonly regressions?: string;
}

export interface ExploreTask {
  readonly kind: 'explore';
  readonly file: TaskFile;
  /** The scenario's index in its file's default export, and its name, checked against what the worker loads. */
  readonly index: number;
  readonly name: string;
  readonly part: number;
  readonly options: PartOptions;
  /** The board (board.ts), the scenario's row on it and the part's slot. */
  readonly board: SharedArrayBuffer;
  /** What the exploration writes at every step, for the CLI's watchdog (watchdog.ts). */
  readonly heartbeat: Int32Array;
  readonly row: number;
  readonly slot: number;
}

export type ExploreAnswer =
  | { readonly status: 'done'; readonly result: ExploreResult }
  /** Not started: the run was stopped, or a lower part had already failed. */
  | { readonly status: 'skipped' }
  | { readonly status: 'error'; readonly error: string };

export interface ReplayTask {
  readonly kind: 'replay';
  readonly file: TaskFile;
  readonly token: string;
  /** What the replay writes at every step, for the CLI's watchdog (watchdog.ts). */
  readonly heartbeat: Int32Array;
}

export type ReplayAnswer =
  | { readonly status: 'replayed'; readonly scenario: string; readonly result: ExploreResult }
  /** No scenario of the file has the token's id: these are the ones it has. */
  | { readonly status: 'foreign'; readonly scenarios: readonly string[] }
  | { readonly status: 'error'; readonly error: string };

export type Task = LoadTask | ExploreTask | ReplayTask;
