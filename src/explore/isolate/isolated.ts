import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ACTOR, BEATS, createHeartbeat, EXECUTION, OPERATION, OPERATIONS, SETUP_ACTOR, STEP, TAPE, TAPE_CAPACITY, TAPE_LENGTH } from '../../engine/heartbeat.ts';
import { real } from '../../engine/realTimers.ts';
import { TRACE_SCHEMA, TRACE_SCHEMA_VERSION } from '../../trace/index.ts';
import { meets } from '../../workload/expectation.ts';
import type { Scenario, ScenarioDefinition } from '../../workload/scenario.ts';
import { replayLines } from '../failure.ts';
import type { ExploreOptions, ResolvedOptions } from '../options.ts';
import type { ExploreResult, Failure } from '../result.ts';
import { defaultFairSteps } from '../run.ts';
import { encodeToken, scenarioId, type TokenData } from '../token.ts';
import { wallClock } from '../wallClock.ts';
import type { WorkerRequest } from './worker.ts';

/**
 * Isolated explorations. JavaScript cannot interrupt code that never yields
 * — `while (true) {}`, or an endless chain of promises, which keeps the
 * microtask queue from ever draining — so an exploration that must survive
 * such code runs in a worker thread, and a watchdog here reads the shared
 * heartbeat the engine writes at every step (engine/heartbeat.ts). When no
 * step begins for `stepTimeoutMs`, the worker is terminated and the step it
 * was in is reported as a `hang`, with the thread, the step, the operation
 * it had resumed from, and a token that replays the execution up to it
 * (replay it isolated too).
 */
export function exploreIsolated(scenario: Scenario, definition: ScenarioDefinition, opts: ResolvedOptions): Promise<ExploreResult> {
  // What a worker can be sent: plain data. Progress and interruption stay here.
  const options: ExploreOptions = {
    strategy: opts.strategy,
    runs: opts.runs,
    seed: opts.seed,
    maxSteps: opts.maxSteps,
    timeLimitMs: opts.timeLimitMs,
    preemptions: opts.preemptions === Infinity ? undefined : opts.preemptions,
    depth: opts.depth,
    startTime: opts.startTime,
  };
  const token = (tape: readonly number[], execution: number): string =>
    encodeToken({
      scenarioId: scenarioId(scenario.name, scenario.threads),
      strategy: opts.strategy,
      seed: opts.seed,
      execution,
      maxSteps: opts.maxSteps,
      fairSteps: defaultFairSteps(opts.maxSteps),
      startTime: opts.startTime,
      tape,
    });
  return runIsolated(scenario, definition, { explore: options }, opts.stepTimeoutMs, opts.signal, (hang) => hangResult(scenario, opts.seed, opts.strategy, hang, token, opts.startTime));
}

/** Replays a token in a worker, under the watchdog: the way to replay a hang. */
export function replayIsolated(scenario: Scenario, definition: ScenarioDefinition, token: string, data: TokenData, stepTimeoutMs: number): Promise<ExploreResult> {
  return runIsolated(scenario, definition, { token }, stepTimeoutMs, undefined, (hang) => hangResult(scenario, data.seed, data.strategy, hang, () => token.trim(), data.startTime));
}

/** What the heartbeat said when the watchdog gave up on the worker. */
interface Hang {
  readonly execution: number;
  readonly step: number;
  readonly actor: number;
  readonly operation: string;
  readonly tape: readonly number[] | undefined;
  readonly stepTimeoutMs: number;
  readonly elapsedMs: number;
}

/** How long a worker may take to load the scenario's module before its first step. */
const STARTUP_MS = 60_000;

function runIsolated(
  scenario: Scenario,
  definition: ScenarioDefinition,
  work: { readonly explore?: ExploreOptions; readonly token?: string },
  stepTimeoutMs: number,
  signal: AbortSignal | undefined,
  onHang: (hang: Hang) => ExploreResult,
): Promise<ExploreResult> {
  const module = definition.origin;
  if (module === undefined) {
    return Promise.reject(
      new TypeError(`scenario '${scenario.name}' cannot be explored isolated: where it was defined is not known. Define it at the top level of a module of its own and export it.`),
    );
  }
  const heartbeat = createHeartbeat();
  const request: WorkerRequest = { module, scenario: scenario.name, heartbeat, ...work };
  const started = wallClock.now();
  const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { ...request, entry: WORKER_ENTRY, loaders: TSX_LOADERS } });
  return new Promise<ExploreResult>((resolve, reject) => {
    let settled = false;
    let lastBeat = Atomics.load(heartbeat, BEATS);
    let lastChange = wallClock.now();
    const settle = (finish: () => void): void => {
      if (settled) return;
      settled = true;
      real.clearInterval(watchdog);
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      finish();
    };
    const watchdog = real.setInterval(
      () => {
        const beat = Atomics.load(heartbeat, BEATS);
        const now = wallClock.now();
        if (beat !== lastBeat) {
          lastBeat = beat;
          lastChange = now;
          return;
        }
        const allowed = beat === 0 ? STARTUP_MS : stepTimeoutMs;
        if (now - lastChange < allowed) return;
        const length = Atomics.load(heartbeat, TAPE_LENGTH);
        const hang: Hang = {
          execution: Atomics.load(heartbeat, EXECUTION),
          step: Atomics.load(heartbeat, STEP),
          actor: Atomics.load(heartbeat, ACTOR),
          operation: OPERATIONS[Atomics.load(heartbeat, OPERATION)] ?? 'other',
          tape: length <= TAPE_CAPACITY ? Array.from(heartbeat.subarray(TAPE, TAPE + length)) : undefined,
          stepTimeoutMs: allowed,
          elapsedMs: now - started,
        };
        settle(() => resolve(onHang(hang)));
      },
      Math.max(5, Math.min(50, stepTimeoutMs / 4)),
    );
    const onAbort = (): void => settle(() => reject(new Error('the isolated exploration was interrupted')));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (message: { result?: ExploreResult; error?: string }) =>
      settle(() => (message.result !== undefined ? resolve(message.result) : reject(new TypeError(message.error ?? 'the isolated exploration failed')))),
    );
    worker.once('error', (error) => settle(() => reject(error)));
    worker.once('exit', (code) => settle(() => reject(new Error(`the worker of the isolated exploration of '${scenario.name}' exited with code ${code} before it answered`))));
  });
}

function hangResult(
  scenario: Scenario,
  seed: number,
  strategy: string,
  hang: Hang,
  token: (tape: readonly number[], execution: number) => string,
  startTime: number,
): ExploreResult {
  const who =
    hang.actor === SETUP_ACTOR
      ? 'the setup (or create)'
      : hang.actor >= 0
        ? `${scenario.threads[hang.actor] ?? `thread#${hang.actor}`} (resumed from ${hang.operation})`
        : `timer#${-1 - hang.actor} (a timer callback)`;
  const where = hang.actor === SETUP_ACTOR ? `before the first step of execution ${hang.execution}` : `in step ${hang.step} of execution ${hang.execution}`;
  const replay = hang.tape === undefined ? undefined : token(hang.tape, hang.execution);
  const message =
    `hang: ${who} ran ${where} for ${Math.round(hang.stepTimeoutMs)} ms without reaching a scheduling point: code that never yields ` +
    `(a synchronous loop, or an endless chain of promises that keeps the microtask queue from draining). JavaScript cannot interrupt it, ` +
    `so the worker it ran in was terminated.${replay === undefined ? ' (The execution was too long to keep a replay token.)' : ''}`;
  const failure: Failure = {
    kind: 'hang',
    message: `[hang] ${scenario.name}: ${message}${replay === undefined ? '' : `\n${replayLines(replay)} — replay it isolated: replay(scenario, token, { isolate: true })`}`,
    step: hang.step,
    replay: replay ?? '',
    trace: {
      schema: TRACE_SCHEMA,
      version: TRACE_SCHEMA_VERSION,
      scenario: scenario.name,
      strategy,
      seed,
      replay: replay ?? '',
      threads: [...scenario.threads],
      startTime,
      steps: [],
      outcome: { ok: false, kind: 'hang', message, step: hang.step },
    },
  };
  return { ok: false, failure, expectationMet: meets(scenario.expected, 'hang'), executions: hang.execution + 1, steps: hang.step, elapsedMs: hang.elapsedMs, seed, exhausted: false, strategy };
}

/** The worker's module: compiled JavaScript beside this file once built, the TypeScript source in this repository. */
const WORKER_ENTRY = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url).href;

/**
 * tsx's loaders, resolved from Interleave's own dependencies (the user's
 * project may not have tsx at its top), as the ES modules their `import`
 * condition names: the worker registers them before importing anything.
 */
const TSX_LOADERS = (() => {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('tsx/package.json');
  const exports = (require('tsx/package.json') as { exports: Record<string, { import: { default: string } }> }).exports;
  return ['./esm/api', './cjs/api'].map((entry) => new URL(exports[entry]!.import.default, pathToFileURL(manifest)).href);
})();

/**
 * The worker's first code, as a string (eval): register tsx, so that the
 * scenario's module (and, in this repository, the worker's own module) may
 * be TypeScript, then load the worker's module, which does the work.
 */
const BOOTSTRAP = `
const { workerData, parentPort } = require('node:worker_threads');
(async () => {
  for (const loader of workerData.loaders) (await import(loader)).register();
  globalThis[Symbol.for('interleave.typescript-loader')] = true;
  await import(workerData.entry);
})().catch((error) => parentPort.postMessage({ error: String((error && error.stack) || error) }));
`;
