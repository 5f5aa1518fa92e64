/** Interleave's public API. Nothing else lives here. */
export type { Condition, Mutex, Runtime, Semaphore } from './runtime/types.ts';
export { realRuntime } from './runtime/real.ts';
export { producerConsumer, type BufferConfig, type ProducerConsumerSpec } from './workload/producerConsumer.ts';
export { defineScenario, type ScenarioSpec } from './workload/defineScenario.ts';
export type { Expectation, Scenario } from './workload/scenario.ts';
export { explore, replay } from './explore/explore.ts';
export type { ExploreOptions, ExploreProgress } from './explore/options.ts';
export type { ExploreResult, Failure } from './explore/result.ts';
export type { OutcomeRow } from './explore/histogram.ts';
export type { OutcomeClass, OutcomeClasses, OutcomeExpectation, OutcomeMatch } from './workload/outcome.ts';
export { TokenError } from './explore/token.ts';
export { FAILURE_KINDS, type FailureKind } from './trace/failureKind.ts';
export { TRACE_SCHEMA, TRACE_SCHEMA_VERSION } from './trace/model.ts';
export type { BlockedThread, JoinedStart, Snapshot, Trace, TraceEvent, TraceOutcome, TraceStep } from './trace/model.ts';
export { traceFromJson, traceToJson } from './trace/json.ts';
