import { relative, sep } from 'node:path';
import { htmlPage } from './htmlPage.ts';
import { escapeHtml } from './htmlText.ts';
import { duration, runVerdict, type RunSummary, type ScenarioSummary } from './summary.ts';

/** How a scenario came out, in the index's words (and why a failure failed). */
export type IndexOutcome = 'passed' | 'expected bug found' | 'failed' | 'incomplete';

export function indexOutcome(s: ScenarioSummary): IndexOutcome {
  if (s.verdict === 'fail') return 'failed';
  if (s.verdict === 'incomplete') return 'incomplete';
  return s.kind === undefined ? 'passed' : 'expected bug found';
}

const STYLE = `
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1f2328; margin: 20px 24px; }
h1 { font-size: 20px; margin: 0 0 4px; }
p.totals { margin: 0 0 14px; color: #656d76; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 5px 10px 5px 0; border-bottom: 1px solid #d0d7de; vertical-align: top; }
th { font-size: 12px; color: #656d76; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.file { display: block; color: #656d76; font-size: 12px; }
.outcome { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.passed { background: #dafbe1; color: #1a7f37; }
.expected-bug-found { background: #ddf4ff; color: #0969da; }
.failed { background: #ffebe9; color: #cf222e; }
.why { display: block; font-size: 12px; color: #656d76; }
a { color: #0969da; }
td.links a { margin-right: 8px; white-space: nowrap; }
code { font-size: 12px; }
`;

/**
 * reports/index.html: every scenario of the run, whether it passed, failed,
 * or found the bug it expects, with its kind, budget and seed, and relative
 * links to each failure's viewer and reports, so the folder can be opened
 * from disk, moved, or published as it is. Static HTML: no script at all.
 */
export function renderIndexHtml(run: RunSummary, reportDir: string): string {
  const found = run.scenarios.filter((s) => indexOutcome(s) === 'expected bug found').length;
  const passed = run.scenarios.filter((s) => indexOutcome(s) === 'passed').length;
  const headline = runVerdict(run);
  return htmlPage({
    title: `Interleave run: ${headline}`,
    style: STYLE,
    body: [
      `<h1>${escapeHtml(headline)}</h1>`,
      `<p class="totals">${escapeHtml(`${found} expected bug${found === 1 ? '' : 's'} found · ${passed} passed · ${run.failed} failed`)}</p>`,
      '<table>',
      '<thead><tr><th>outcome</th><th>scenario</th><th>kind</th><th>executions</th><th>steps</th><th>time</th><th>strategy</th><th>seed</th><th>reports</th></tr></thead>',
      '<tbody>',
      ...run.scenarios.map((s) => row(s, reportDir)),
      '</tbody>',
      '</table>',
    ].join('\n'),
  });
}

function row(s: ScenarioSummary, reportDir: string): string {
  const outcome = indexOutcome(s);
  const expected = s.expected === 'ok' ? 'no failure' : s.expected.join(' or ');
  const why =
    outcome !== 'failed' ? '' : s.kind === undefined ? `expected ${expected}, found none` : `expected ${expected}, found ${s.kind} at step ${s.step}`;
  const cells = [
    `<span class="outcome ${outcome.replace(/ /g, '-')}">${escapeHtml(outcome)}</span>${why === '' ? '' : `<span class="why">${escapeHtml(why)}</span>`}`,
    `${escapeHtml(s.scenario)}${s.file === undefined ? '' : `<span class="file">${escapeHtml(s.file)}</span>`}`,
    s.kind === undefined ? '' : `${escapeHtml(s.kind)}${s.step === undefined ? '' : `<span class="why">${escapeHtml(`at step ${s.step}`)}</span>`}`,
  ];
  const numbers = [s.executions.toLocaleString('en-US'), s.steps.toLocaleString('en-US'), duration(s.elapsedMs)];
  const links = s.reports === undefined ? [] : linksOf(s.reports, reportDir);
  return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}${numbers.map((n) => `<td class="num">${escapeHtml(n)}</td>`).join('')}<td>${escapeHtml(s.strategy ?? '?')}</td><td class="num"><code>${escapeHtml(String(s.seed))}</code></td><td class="links">${links.join('')}</td></tr>`;
}

function linksOf(reports: NonNullable<ScenarioSummary['reports']>, reportDir: string): string[] {
  const entries: [string, string | undefined][] = [
    ['viewer', reports.html],
    ['text', reports.text],
    ['trace.json', reports.json],
    ['mermaid', reports.mermaid],
  ];
  return entries.filter((e): e is [string, string] => e[1] !== undefined).map(([label, path]) => `<a href="${escapeHtml(href(path, reportDir))}">${escapeHtml(label)}</a>`);
}

/** A relative URL from the report directory to a file under it, each segment percent-encoded. */
export function href(path: string, reportDir: string): string {
  return relative(reportDir, path)
    .split(sep)
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}
