import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { traceFromJson } from '../src/index.ts';
import { renderIndexHtml, renderTraceHtml, runSummary, summarize, type RunSummary } from '../src/report/index.ts';
import { HOSTILE, failureOf, hostileTrace } from './fixtures/report/traces.ts';

/** The text of the `<script>` block with this id, as the browser's parser would cut it: up to the first `</script`. */
function scriptBlock(html: string, id: string): string {
  const open = `<script type="application/json" id="${id}">`;
  const start = html.indexOf(open);
  expect(start, `#${id} block`).toBeGreaterThan(0);
  const from = start + open.length;
  return html.slice(from, html.toLowerCase().indexOf('</script', from));
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

describe('the HTML viewer page (as text; test/browser/ opens it)', () => {
  const trace = hostileTrace();
  const html = renderTraceHtml(failureOf(trace), { scenario: `scenario ${HOSTILE.script}`, file: 'scenarios/x y.ts' });

  it('embeds the trace as JSON that no name, item or message can break out of, and that reads back as the trace', () => {
    const block = scriptBlock(html, 'trace-data');
    expect(block).not.toMatch(/[<>&\u2028\u2029]/);
    expect(traceFromJson(block)).toEqual(trace);
    const viewer = JSON.parse(scriptBlock(html, 'viewer-data'));
    expect(viewer).toMatchObject({ scenario: `scenario ${HOSTILE.script}`, kind: 'lost-wakeup', step: 14, command: "npx interleave replay 'scenarios/x y.ts' IL1-synthetic" });
    // Three script blocks open and three close: the data's own `</script>` never reached the markup.
    expect(html.match(/<script/gi)).toHaveLength(3);
    expect(html.match(/<\/script/gi)).toHaveLength(3);
    expect(html).toContain(`<title>lost-wakeup in scenario &#60;/script&#62;&#60;script&#62;window.pwned=1&#60;/script&#62; · Interleave</title>`);
  });

  it('is self-contained: nothing to fetch, and a policy that runs only its own script and style', () => {
    expect(html).not.toMatch(/\b(?:src|href)="(?!data:)/);
    expect(html).not.toMatch(/@import|url\(/);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!.replace(/&#39;/g, "'");
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`script-src ${sha256(script)}`);
    expect(csp).toContain(`style-src ${sha256(style)}`);
  });

  it('is the same bytes for the same failure', () => {
    expect(renderTraceHtml(failureOf(hostileTrace()), { scenario: `scenario ${HOSTILE.script}`, file: 'scenarios/x y.ts' })).toBe(html);
  });
});

describe('the run index', () => {
  const failure = failureOf(hostileTrace());
  const base = { executions: 10, steps: 100, elapsedMs: 12, seed: 3, exhausted: false, strategy: 'random' };
  const run: RunSummary = runSummary([
    summarize({ name: 'clean', expected: 'ok' }, { ok: true, ...base }, { file: 'scenarios/clean.ts' }),
    summarize({ name: HOSTILE.img, expected: ['lost-wakeup'] }, { ok: false, failure, ...base }, {
      file: 'scenarios/found.ts',
      reports: { text: 'out/reports/odd name/failure.txt', json: 'out/reports/odd name/trace.json', html: 'out/reports/odd name/trace.html', mermaid: 'out/reports/odd name/trace.mmd' },
    }),
    summarize({ name: 'surprise', expected: 'ok' }, { ok: false, failure, ...base }, { reports: { text: 'out/reports/surprise/failure.txt', json: 'out/reports/surprise/trace.json' } }),
    summarize({ name: 'missed', expected: ['deadlock'] }, { ok: true, ...base }),
  ]);
  const html = renderIndexHtml(run, 'out/reports');
  const rows = html.split('\n').filter((line) => line.startsWith('<tr><td>'));

  it('lists every scenario with its outcome, kind, budget, strategy and seed', () => {
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatch(/class="outcome passed">passed<.*>clean<.*scenarios\/clean\.ts.*<td class="num">10<\/td><td class="num">100<\/td><td class="num">12ms<\/td><td>random<\/td><td class="num"><code>3<\/code>/);
    expect(rows[1]).toContain('class="outcome expected-bug-found">expected bug found<');
    expect(rows[1]).toContain('lost-wakeup<span class="why">at step 14</span>');
    expect(rows[2]).toContain('class="outcome failed">failed</span><span class="why">expected no failure, found lost-wakeup at step 14</span>');
    expect(rows[3]).toContain('<span class="why">expected deadlock, found none</span>');
    expect(html).toContain('<h1>2 of 4 scenarios did not meet their expectations</h1>');
    expect(html).toContain('1 expected bug found · 1 passed · 2 failed');
  });

  it('links each failure\'s reports relative to the index, escaping names', () => {
    expect(rows[1]).toContain('<a href="odd%20name/trace.html">viewer</a><a href="odd%20name/failure.txt">text</a><a href="odd%20name/trace.json">trace.json</a><a href="odd%20name/trace.mmd">mermaid</a>');
    expect(rows[2]).toContain('<a href="surprise/failure.txt">text</a><a href="surprise/trace.json">trace.json</a></td>');
    expect(rows[1]).toContain('&#60;img src=x onerror=&#34;window.pwned=1&#34;&#62;');
    expect(html).not.toContain(HOSTILE.img);
    expect(html).not.toMatch(/<script/i);
  });
});
