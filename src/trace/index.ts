export * from './failureKind.ts';
export * from './model.ts';
export { holderPhrase, waitPhrase, waitsOnSemaphore } from './blocked.ts';
export { describe } from './describe.ts';
export { errorLine } from './errorLine.ts';
export { traceFromJson, traceToJson } from './json.ts';
