import { ACTOR, EXECUTION, JOINED, OPERATION, OPERATIONS, SETUP_ACTOR, STEP, TAPE, TAPE_LENGTH } from '../../engine/heartbeat.ts';
import { TRACE_SCHEMA, TRACE_SCHEMA_VERSION } from '../../trace/index.ts';
import { meets } from '../../workload/expectation.ts';
import type { FailureKind } from '../../trace/index.ts';
import { replayLines } from '../failure.ts';
import type { ExploreResult, Failure } from '../result.ts';
import { defaultFairSteps } from '../fairSteps.ts';
import type { StrategyName } from '../strategies/index.ts';
import { encodeToken, scenarioId } from '../token.ts';

/**
 * A `hang`: what a watchdog reads from the heartbeat (engine/heartbeat.ts)
 * of an execution that stopped beating, and the finding it becomes. Shared
 * by the isolated exploration (isolated.ts) and the CLI, whose worker
 * threads are watched the same way.
 */
export interface Hang {
  readonly execution: number;
  readonly step: number;
  readonly actor: number;
  readonly operation: string;
  /** Other continuations the step started in the same macrotask (the actor is the last to start). */
  readonly joined: number;
  /** The execution's choices so far, or undefined when they outgrew the heartbeat's tape. */
  readonly tape: readonly number[] | undefined;
  readonly stepTimeoutMs: number;
  readonly elapsedMs: number;
}

/** Reads the heartbeat of a worker that a watchdog gave up on (the worker is stuck: nothing writes it any more). */
export function readHang(heartbeat: Int32Array, stepTimeoutMs: number, elapsedMs: number): Hang {
  const length = Atomics.load(heartbeat, TAPE_LENGTH);
  return {
    execution: Atomics.load(heartbeat, EXECUTION),
    step: Atomics.load(heartbeat, STEP),
    actor: Atomics.load(heartbeat, ACTOR),
    operation: OPERATIONS[Atomics.load(heartbeat, OPERATION)] ?? 'other',
    joined: Atomics.load(heartbeat, JOINED),
    tape: length <= heartbeat.length - TAPE ? Array.from(heartbeat.subarray(TAPE, TAPE + length)) : undefined,
    stepTimeoutMs,
    elapsedMs,
  };
}

/** The scenario and search a hang happened in: enough to name the thread and write a token that replays it. */
export interface HangContext {
  readonly name: string;
  readonly threads: readonly string[];
  readonly expected: readonly FailureKind[] | 'ok';
  readonly strategy: StrategyName;
  readonly seed: number;
  readonly maxSteps: number;
  readonly startTime: number;
  /** The token to give when replaying a token hung (its own), instead of one made from the heartbeat's tape. */
  readonly token?: string;
}

/** How a replay of a hang is done, said after its token. */
export type HangReplayHint = (token: string) => string;

const ISOLATED_REPLAY: HangReplayHint = () => 'replay it isolated: replay(scenario, token, { isolate: true })';

export function hangResult(context: HangContext, hang: Hang, replayHint: HangReplayHint = ISOLATED_REPLAY): ExploreResult {
  const { who, where, replay } = terminatedAt(context, hang);
  const message =
    `hang: ${who} ran ${where} for ${Math.round(hang.stepTimeoutMs)} ms without reaching a scheduling point: code that never yields ` +
    `(a synchronous loop, or an endless chain of promises that keeps the microtask queue from draining). JavaScript cannot interrupt it, ` +
    `so the worker it ran in was terminated.${replay === undefined ? ' (The execution was too long to keep a replay token.)' : ''}`;
  return terminatedResult(context, hang, 'hang', message, replay, replayHint);
}

/**
 * A worker that ran out of heap under a task: V8 cannot throw an exception
 * there, it ends the worker, so the heartbeat is all that is left of the step
 * that was running — the thread, the step, and a token that replays up to it.
 * An `exception` finding, as the process's own end would be in production.
 * `limit` says what the heap's limit was and how to set it.
 */
export function outOfMemoryResult(context: HangContext, hang: Hang, limit: string, replayHint: HangReplayHint = ISOLATED_REPLAY): ExploreResult {
  const { who, where, replay } = terminatedAt(context, hang);
  const message =
    `out of memory: ${who} ran the worker out of its heap (${limit}) ${where}: V8 cannot throw there, so the worker ended, ` +
    `as the whole process would in production ("JavaScript heap out of memory"). Code that keeps what it allocates, step after step, or one step that allocates without end.` +
    `${replay === undefined ? ' (The execution was too long to keep a replay token.)' : ''}`;
  return terminatedResult(context, hang, 'exception', message, replay, replayHint);
}

/** Who was running, where, and the token that replays the execution up to that step, as the heartbeat tells. */
function terminatedAt(context: HangContext, hang: Hang): { readonly who: string; readonly where: string; readonly replay: string | undefined } {
  const { name, threads, strategy, seed, startTime } = context;
  const who =
    hang.actor === SETUP_ACTOR
      ? 'the setup (or create)'
      : hang.actor >= 0
        ? `${threads[hang.actor] ?? `thread#${hang.actor}`} (resumed from ${hang.operation})`
        : `timer#${-1 - hang.actor} (a timer callback)`;
  const together = hang.joined > 0 ? ` (last of ${hang.joined + 1} continuations the step started in one macrotask: one of the others may be the culprit)` : '';
  const where =
    hang.actor === SETUP_ACTOR ? `before the first step of execution ${hang.execution}` : `in step ${hang.step} of execution ${hang.execution}${together}`;
  const replay =
    context.token?.trim() ??
    (hang.tape === undefined
      ? undefined
      : encodeToken({
          scenarioId: scenarioId(name, threads),
          strategy,
          seed,
          execution: hang.execution,
          maxSteps: context.maxSteps,
          fairSteps: defaultFairSteps(context.maxSteps),
          startTime,
          tape: hang.tape,
        }));
  return { who, where, replay };
}

function terminatedResult(context: HangContext, hang: Hang, kind: FailureKind, message: string, replay: string | undefined, replayHint: HangReplayHint): ExploreResult {
  const { name, threads, strategy, seed, startTime } = context;
  const failure: Failure = {
    kind,
    message: `[${kind}] ${name}: ${message}${replay === undefined ? '' : `\n${replayLines(replay)} — ${replayHint(replay)}`}`,
    step: hang.step,
    replay: replay ?? '',
    trace: {
      schema: TRACE_SCHEMA,
      version: TRACE_SCHEMA_VERSION,
      scenario: name,
      strategy,
      seed,
      replay: replay ?? '',
      threads: [...threads],
      startTime,
      steps: [],
      outcome: { ok: false, kind, message, step: hang.step },
    },
  };
  return {
    ok: false,
    failure,
    expectationMet: meets(context.expected, kind),
    executions: hang.execution + 1,
    steps: hang.step,
    elapsedMs: hang.elapsedMs,
    seed,
    exhausted: false,
    strategy,
  };
}
