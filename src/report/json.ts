import type { Failure } from '../explore/result.ts';
import { traceToJson } from '../trace/index.ts';
import { printableJson } from './printable.ts';

/** The failure's trace as JSON text, in the versioned schema documented in src/trace/model.ts and reports/README.md. */
export function renderJsonTrace(failure: Failure): string {
  return printableJson(traceToJson(failure.trace));
}
