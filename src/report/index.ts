/** Report writers: what a person reads (text), what a machine reads (JSON), and where they are written. */
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
export { ensureWritableDir, removeReports, ReportDirError, slug, writeReports, writeSummary, type WrittenReports } from './write.ts';
