import { cspHash, escapeHtml } from './htmlText.ts';

export interface HtmlPage {
  /** The page's title, as text. */
  readonly title: string;
  /** The one style sheet, inlined. */
  readonly style: string;
  /** Markup of the body, already escaped where it holds text. */
  readonly body: string;
  /** The one script, inlined at the end of the body; none for a static page. */
  readonly script?: string;
}

/**
 * A report page that opens from disk and reaches nothing: style and script
 * inlined, and a content security policy that admits exactly those two (by
 * hash) and nothing else, so that text which slipped through as markup could
 * neither run nor load anything.
 */
export function htmlPage(page: HtmlPage): string {
  const csp = [
    "default-src 'none'",
    ...(page.script === undefined ? [] : [`script-src ${cspHash(page.script)}`]),
    `style-src ${cspHash(page.style)}`,
    // The icon is `data:,`, so the browser does not ask the disk for a favicon.
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
<title>${escapeHtml(page.title)}</title>
<link rel="icon" href="data:,">
<style>${page.style}</style>
</head>
<body>
${page.body}
${page.script === undefined ? '' : `<script>${page.script}</script>\n`}</body>
</html>
`;
}
