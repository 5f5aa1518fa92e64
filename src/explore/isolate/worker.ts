/**
 * The worker side of an isolated exploration (isolated.ts): imports the
 * module that defined the scenario, finds the scenario by name, and explores
 * or replays it here, writing the heartbeat its parent watches.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { scenariosOf } from '../../workload/scenario.ts';
import { exploreResolved, replayWithHeartbeat } from '../explore.ts';
import type { ExploreProgress, ResolvedOptions } from '../options.ts';
import { errorLine } from '../../trace/index.ts';

/** The options the parent resolved, as plain data: progress comes back as messages, an interruption goes to the worker as one. */
export type WorkerOptions = Omit<ResolvedOptions, 'onProgress' | 'signal' | 'heartbeat'>;

export interface WorkerRequest {
  readonly module: string;
  readonly scenario: string;
  readonly heartbeat: Int32Array;
  readonly explore?: WorkerOptions;
  readonly token?: string;
  /** The parent wants the exploration's progress, as messages. */
  readonly progress?: boolean;
}

const request = workerData as WorkerRequest;
// The parent's signal, passed on as a message: the exploration stops after the execution it is in, as in-process.
const interrupt = new AbortController();
parentPort!.on('message', (message: { abort?: boolean }) => {
  if (message.abort === true) interrupt.abort();
});
const HINT = 'An isolated exploration imports the module that defined the scenario again, in a worker: define the scenario in a module of its own (not a test file) and export it.';
let module: Record<string, unknown> | undefined;
try {
  module = (await import(request.module)) as Record<string, unknown>;
} catch (error) {
  parentPort!.postMessage({ error: `scenario '${request.scenario}' cannot be explored isolated: its module ${request.module} does not load in a worker (${errorLine(error)}). ${HINT}` });
}
const scenario = module === undefined ? undefined : scenariosOf(module).find((s) => s.name === request.scenario);
if (module === undefined) {
  // reported above
} else if (scenario === undefined) {
  parentPort!.postMessage({
    error: `scenario '${request.scenario}' is not exported by ${request.module}, the module that defined it. ${HINT}`,
  });
} else {
  const result =
    request.explore === undefined
      ? await replayWithHeartbeat(scenario, request.token!, request.heartbeat)
      : await exploreResolved(scenario, {
          ...request.explore,
          heartbeat: request.heartbeat,
          signal: interrupt.signal,
          onProgress: request.progress === true ? (progress: ExploreProgress) => parentPort!.postMessage({ progress }) : undefined,
        });
  parentPort!.postMessage({ result });
}
