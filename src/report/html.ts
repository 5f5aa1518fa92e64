import type { Failure } from '../explore/result.ts';
import { failureCause } from './cause.ts';
import { replayCommand } from './command.ts';
import { cspHash, escapeHtml, jsonForScript } from './htmlText.ts';
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
 * The page's content security policy admits its own script and style by
 * hash and nothing else, so even text that slipped through as markup could
 * neither run nor load anything; the script builds every element from the
 * embedded JSON with textContent.
 */
export function renderTraceHtml(failure: Failure, options: HtmlReportOptions): string {
  const payload: ViewerPayload = {
    scenario: options.scenario,
    kind: failure.kind,
    message: failureCause(failure),
    step: failure.step,
    command: replayCommand(failure.replay, options.file),
  };
  const script = viewerScript();
  const csp = [
    "default-src 'none'",
    `script-src ${cspHash(script)}`,
    `style-src ${cspHash(VIEWER_STYLE)}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<title>${escapeHtml(`${failure.kind} in ${options.scenario} · Interleave`)}</title>
<link rel="icon" href="data:,">
<style>${VIEWER_STYLE}</style>
</head>
<body>
<div id="app"><header id="summary"></header><main id="main"><div id="timeline"></div><aside id="state" aria-live="polite"></aside></main></div>
<div id="viewer-error" role="alert" hidden></div>
<noscript><p>This trace viewer needs JavaScript. The same failure, as text, is in failure.txt beside this file.</p></noscript>
<script type="application/json" id="${TRACE_DATA_ID}">${jsonForScript(failure.trace)}</script>
<script type="application/json" id="${VIEWER_DATA_ID}">${jsonForScript(payload)}</script>
<script>${script}</script>
</body>
</html>
`;
}
