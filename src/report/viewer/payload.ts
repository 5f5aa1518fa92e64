import { traceFromJson, type FailureKind, type Trace } from '../../trace/index.ts';

/** Element ids of the two JSON blocks a viewer page embeds. */
export const TRACE_DATA_ID = 'trace-data';
export const VIEWER_DATA_ID = 'viewer-data';

/** What the page needs besides the trace: the failure as the text report states it, and how to replay it. */
export interface ViewerPayload {
  readonly scenario: string;
  readonly kind: FailureKind;
  /** The cause, in the domain's words. */
  readonly message: string;
  /** The step at which the failure was detected. */
  readonly step: number;
  /** The shell command that replays the failure. */
  readonly command: string;
}

export interface ViewerData {
  readonly trace: Trace;
  readonly payload: ViewerPayload;
}

/**
 * Reads the embedded blocks. Every way they can be wrong (removed, cut,
 * edited, from another tool) ends here in an error that says which block
 * and why, for the page to show instead of lanes.
 */
export function readViewerData(doc: Document): ViewerData {
  const trace = traceFromJson(blockText(doc, TRACE_DATA_ID), `the embedded trace (#${TRACE_DATA_ID})`);
  if (!Array.isArray(trace.steps) || !Array.isArray(trace.threads) || typeof trace.outcome !== 'object' || trace.outcome === null) {
    throw new Error(`the embedded trace (#${TRACE_DATA_ID}) lacks its threads, steps or outcome.`);
  }
  let payload: unknown;
  try {
    payload = JSON.parse(blockText(doc, VIEWER_DATA_ID));
  } catch (error) {
    throw new Error(`the viewer's data (#${VIEWER_DATA_ID}) is not valid JSON: ${(error as Error).message}`);
  }
  const p = payload as Partial<ViewerPayload> | null;
  if (p === null || typeof p !== 'object' || typeof p.command !== 'string' || typeof p.step !== 'number' || typeof p.message !== 'string') {
    throw new Error(`the viewer's data (#${VIEWER_DATA_ID}) lacks the failure's step, message or replay command.`);
  }
  return { trace, payload: p as ViewerPayload };
}

function blockText(doc: Document, id: string): string {
  const node = doc.getElementById(id);
  if (node === null) throw new Error(`the page has no #${id} block: it was removed or the file is cut short.`);
  const text = node.textContent ?? '';
  if (text.trim() === '') throw new Error(`the #${id} block is empty.`);
  return text;
}
