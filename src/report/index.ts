/** Report writers: what a person reads (text, the HTML viewer, the run index), what a machine reads (JSON), a diagram to paste (Mermaid), and where they are written. */
export { renderTextReport, type TextReportOptions } from './text.ts';
export { renderJsonTrace } from './json.ts';
export { replayCommand } from './command.ts';
export {
  runSummary,
  summarize,
  summaryLine,
  summaryText,
  SUMMARY_SCHEMA,
  SUMMARY_SCHEMA_VERSION,
  type RunSummary,
  type ScenarioSummary,
} from './summary.ts';
export { renderTraceHtml, type HtmlReportOptions } from './html.ts';
export { renderMermaid } from './mermaid.ts';
export { renderIndexHtml } from './indexHtml.ts';
export {
  ensureWritableDir,
  removeReports,
  reportFiles,
  ReportDirError,
  slug,
  writeReports,
  writeSummary,
  type ReportFiles,
  type WrittenReports,
} from './write.ts';
