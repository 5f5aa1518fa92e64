import type { ExecutionResult } from '../engine/execution.ts';
import type { Verdict } from '../engine/monitor.ts';
import { TRACE_SCHEMA, TRACE_SCHEMA_VERSION, type Trace, type TraceOutcome } from '../trace/index.ts';
import type { Failure } from './result.ts';

/** The replay instructions every failure message ends with. */
export function replayLines(token: string, file = '<scenario-file>'): string {
  return `Replay token: ${token}\nReplay it: npx interleave replay ${file} ${token}   (or: await replay(scenario, '${token}'))`;
}

export function buildFailure(
  scenario: { readonly name: string; readonly threads: readonly string[] },
  strategy: string,
  seed: number,
  token: string,
  verdict: Verdict,
  recorded: ExecutionResult,
  extra: { readonly startTime?: number | undefined; readonly capacity?: number | undefined } = {},
): Failure {
  const outcome: { -readonly [K in keyof TraceOutcome]: TraceOutcome[K] } = {
    ok: false,
    kind: verdict.kind,
    message: verdict.message,
    step: recorded.step,
  };
  if (verdict.blocked !== undefined) outcome.blocked = verdict.blocked;
  if (verdict.cycle !== undefined) outcome.cycle = verdict.cycle;
  if (verdict.repeating !== undefined) outcome.repeating = verdict.repeating;
  const trace: Trace = {
    schema: TRACE_SCHEMA,
    version: TRACE_SCHEMA_VERSION,
    scenario: scenario.name,
    strategy,
    seed,
    replay: token,
    threads: [...scenario.threads],
    ...(extra.startTime === undefined ? {} : { startTime: extra.startTime }),
    ...(extra.capacity === undefined ? {} : { capacity: extra.capacity }),
    steps: recorded.steps,
    outcome,
  };
  return {
    kind: verdict.kind,
    message: `[${verdict.kind}] ${scenario.name}: ${verdict.message}\n${replayLines(token)}`,
    step: recorded.step,
    replay: token,
    trace,
  };
}
