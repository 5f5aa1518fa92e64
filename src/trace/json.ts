import { TRACE_SCHEMA, TRACE_SCHEMA_VERSION, type Trace } from './model.ts';

/** The trace as JSON text. Key order is fixed by construction, so the same execution gives the same bytes. */
export function traceToJson(trace: Trace): string {
  return `${JSON.stringify(trace, null, 2)}\n`;
}

/** Parses a JSON trace, checking its schema and version. */
export function traceFromJson(text: string, source = 'trace'): Trace {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source} is not valid JSON: ${(error as Error).message}`);
  }
  const t = data as Partial<Trace>;
  if (t === null || typeof t !== 'object' || t.schema !== TRACE_SCHEMA) {
    throw new Error(`${source} is not an Interleave trace (missing schema "${TRACE_SCHEMA}").`);
  }
  if (t.version !== TRACE_SCHEMA_VERSION) {
    throw new Error(`${source} has trace schema version ${String(t.version)}; this Interleave reads version ${TRACE_SCHEMA_VERSION}.`);
  }
  return t as Trace;
}
