import { replayCommand } from '../report/command.ts';
import { renderOutcomeTable } from '../report/outcomes.ts';
import { printable } from '../report/printable.ts';
import { runVerdict, summaryText, verdictWord, type RunSummary, type ScenarioSummary } from '../report/summary.ts';
import type { Colors } from './output.ts';

/** A scenario's lines: PASS or FAIL with what was found, and for a failure its cause and the command that replays it. */
export function scenarioLines(summary: ScenarioSummary, c: Colors, outcomeRows?: number): string {
  // Names and messages are data: what in them a terminal would act on (escape sequences, a carriage return) is printed escaped.
  const line = (text: string): string => printable(text, { oneLine: true });
  const shown = { ...summary, scenario: line(summary.scenario), ...(summary.file === undefined ? {} : { file: line(summary.file) }), ...(summary.strategy === undefined ? {} : { strategy: line(summary.strategy) }) };
  const word = verdictWord(summary.verdict);
  const coloured = summary.verdict === 'pass' ? c.green(word) : summary.verdict === 'fail' ? c.red(c.bold(word)) : c.yellow(c.bold(word));
  let text = `${coloured}  ${summaryText(shown)}\n`;
  if (summary.verdict === 'fail' && summary.message !== undefined) text += `${indent(printable(summary.message), 6, c.dim)}\n`;
  if (summary.verdict === 'fail' && summary.replay !== undefined) text += `      replay: ${line(replayCommand(summary.replay, summary.file))}\n`;
  // The histogram is printed where the scenario grades its outcomes (jcstress's table); every one is in summary.json.
  if (summary.outcomes?.some((row) => row.expectation !== 'unclassified') === true) {
    text += `${renderOutcomeTable(summary.outcomes, outcomeRows).map((line) => `      ${line}`).join('\n')}\n`;
  }
  return text;
}

/**
 * The run's closing lines, printed once the report directory is in place,
 * so that every path they name can be opened: each failure's report, then
 * the verdict and the summary's path.
 */
export function closingLines(run: RunSummary, reportDir: string, summaryPath: string, c: Colors): string {
  let text = '';
  const withReports = run.scenarios.filter((s) => s.reports !== undefined);
  if (withReports.length > 0) {
    text += `\nReports (${c.bold(`${reportDir}/index.html`)} lists them all):\n`;
    for (const s of withReports) text += `  ${printable(s.reports!.text, { oneLine: true })}  ${c.dim(`(${printable(s.scenario, { oneLine: true })})`)}\n`;
  }
  const verdict = run.ok ? c.green(runVerdict(run)) : c.red(runVerdict(run));
  return `${text}\n${verdict}. Summary: ${summaryPath}\n`;
}

function indent(text: string, by: number, style: (s: string) => string): string {
  const pad = ' '.repeat(by);
  return text
    .split('\n')
    .map((line) => pad + style(line))
    .join('\n');
}
