/** Report writers: what a person reads (text, the HTML viewer, the run index), what a machine reads (JSON, JUnit XML), a diagram to paste (Mermaid), where they are written, and shard summaries joined. */
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
export { renderJUnit } from './junit.ts';
export { renderMermaidReport, type MermaidEntry } from './mermaidReport.ts';
export { mergeSummaries, MergeError, type MergedScenario, type ShardSummary } from './merge.ts';
export { StagedReportDir } from './stagedDir.ts';
export {
  ensureWritableDir,
  removeReports,
  reportFiles,
  ReportDirError,
  slug,
  uniqueSlugs,
  writeReports,
  writeSummary,
  type ReportFiles,
  type WrittenReports,
} from './write.ts';
