import type { Failure } from '../explore/result.ts';
import { failureCause } from './cause.ts';
import { replayCommand } from './command.ts';
import { htmlPage } from './htmlPage.ts';
import { jsonForScript } from './htmlText.ts';
import { TRACE_DATA_ID, VIEWER_DATA_ID, type ViewerPayload } from './viewer/payload.ts';
import { viewerScript } from './viewerScript.ts';
import { VIEWER_STYLE } from './viewerStyle.ts';

export interface HtmlReportOptions {
  /** The scenario's name, for the title. */
  readonly scenario: string;
  /** The scenario file, for the replay command; `<scenario-file>` when not known. */
  readonly file?: string;
}

/**
 * The failure as one self-contained page (trace.html): the trace and the
 * viewer's code are embedded, nothing is fetched, and it opens from disk.
 * The script builds every element from the embedded JSON with textContent.
 */
export function renderTraceHtml(failure: Failure, options: HtmlReportOptions): string {
  const payload: ViewerPayload = {
    scenario: options.scenario,
    kind: failure.kind,
    message: failureCause(failure),
    step: failure.step,
    command: replayCommand(failure.replay, options.file),
  };
  return htmlPage({
    title: `${failure.kind} in ${options.scenario} · Interleave`,
    style: VIEWER_STYLE,
    body: [
      '<div id="app"><header id="summary"></header><main id="main"><div id="timeline"></div><aside id="state" aria-live="polite"></aside></main></div>',
      '<div id="viewer-error" role="alert" hidden></div>',
      '<noscript><p>This trace viewer needs JavaScript. The same failure, as text, is in failure.txt beside this file.</p></noscript>',
      `<script type="application/json" id="${TRACE_DATA_ID}">${jsonForScript(failure.trace)}</script>`,
      `<script type="application/json" id="${VIEWER_DATA_ID}">${jsonForScript(payload)}</script>`,
    ].join('\n'),
    script: viewerScript(),
  });
}
