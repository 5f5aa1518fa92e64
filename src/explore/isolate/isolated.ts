import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createHeartbeat } from '../../engine/heartbeat.ts';
import type { Scenario, ScenarioDefinition } from '../../workload/scenario.ts';
import type { ExploreOptions, ExploreProgress, ResolvedOptions } from '../options.ts';
import type { ExploreResult } from '../result.ts';
import type { TokenData } from '../token.ts';
import { hangResult, type Hang, type HangContext } from './hang.ts';
import { HeartbeatPoller } from './poller.ts';
import type { WorkerOptions, WorkerRequest } from './worker.ts';

/**
 * Isolated explorations. JavaScript cannot interrupt code that never yields
 * — `while (true) {}`, or an endless chain of promises, which keeps the
 * microtask queue from ever draining — so an exploration that must survive
 * such code runs in a worker thread, and a watchdog here (poller.ts) reads
 * the shared heartbeat the engine writes at every step (engine/heartbeat.ts). When no
 * step begins for `stepTimeoutMs`, the worker is terminated and the step it
 * was in is reported as a `hang`, with the thread, the step, the operation
 * it had resumed from, and a token that replays the execution up to it
 * (replay it isolated too).
 */
export function exploreIsolated(scenario: Scenario, definition: ScenarioDefinition, opts: ResolvedOptions): Promise<ExploreResult> {
  // What a worker can be sent: plain data, the options as resolved here. Progress comes back as messages; an interruption goes to it as one.
  const { onProgress, signal, heartbeat: _heartbeat, ...options } = opts;
  const context: HangContext = { ...scenarioOf(scenario), strategy: opts.strategy, seed: opts.seed, maxSteps: opts.maxSteps, startTime: opts.startTime };
  const work = { explore: options, ...(onProgress === undefined ? {} : { progress: true }) };
  return runIsolated(scenario, definition, work, opts.stepTimeoutMs, { signal, onProgress }, (hang) => hangResult(context, hang));
}

/** Replays a token in a worker, under the watchdog: the way to replay a hang. */
export function replayIsolated(scenario: Scenario, definition: ScenarioDefinition, token: string, data: TokenData, stepTimeoutMs: number): Promise<ExploreResult> {
  const context: HangContext = { ...scenarioOf(scenario), strategy: data.strategy, seed: data.seed, maxSteps: data.maxSteps, startTime: data.startTime, token };
  return runIsolated(scenario, definition, { token }, stepTimeoutMs, {}, (hang) => hangResult(context, hang));
}

function scenarioOf(scenario: Scenario): Pick<HangContext, 'name' | 'threads' | 'expected'> {
  return { name: scenario.name, threads: scenario.threads, expected: scenario.expected };
}

/** How long a worker may take to load the scenario's module before its first step. */
const STARTUP_MS = 60_000;

function runIsolated(
  scenario: Scenario,
  definition: ScenarioDefinition,
  work: { readonly explore?: WorkerOptions; readonly token?: string; readonly progress?: boolean },
  stepTimeoutMs: number,
  { signal, onProgress }: Pick<ExploreOptions, 'signal' | 'onProgress'>,
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
  const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { ...request, entry: WORKER_ENTRY, loaders: TSX_LOADERS } });
  return new Promise<ExploreResult>((resolve, reject) => {
    let settled = false;
    const settle = (finish: () => void): void => {
      if (settled) return;
      settled = true;
      unwatch();
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      finish();
    };
    const unwatch = new HeartbeatPoller(stepTimeoutMs).watch({ heartbeat, startupMs: STARTUP_MS, onHang: (hang) => settle(() => resolve(onHang(hang))) });
    // As in-process: the worker stops after the execution it is in, and resolves with what it found, interrupted.
    const onAbort = (): void => worker.postMessage({ abort: true });
    if (signal?.aborted === true) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: WorkerMessage) => {
      if (message.progress !== undefined) {
        try {
          onProgress?.(message.progress);
        } catch (error) {
          settle(() => reject(error));
        }
        return;
      }
      settle(() => (message.result !== undefined ? resolve(message.result) : reject(new TypeError(message.error ?? 'the isolated exploration failed'))));
    });
    worker.once('error', (error) => settle(() => reject(error)));
    worker.once('exit', (code) => settle(() => reject(new Error(`the worker of the isolated exploration of '${scenario.name}' exited with code ${code} before it answered`))));
  });
}

/** What a worker says: progress as it goes, then its result or why it has none. */
interface WorkerMessage {
  readonly progress?: ExploreProgress;
  readonly result?: ExploreResult;
  readonly error?: string;
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
