import { printable } from './printable.ts';

/** One failure's diagram, for `--reporter mermaid`. */
export interface MermaidEntry {
  readonly scenario: string;
  readonly file?: string;
  readonly kind: string;
  readonly step?: number;
  /** The diagram itself: renderMermaid(trace), or a trace.mmd as written. */
  readonly diagram: string;
}

/**
 * Every failure's Mermaid diagram as Markdown, ready to paste into an issue
 * or a pull request: a heading naming the scenario and what was found, then
 * the diagram in a ```mermaid block, which GitHub and GitLab draw. Nothing
 * at all when there is no failure.
 */
export function renderMermaidReport(entries: readonly MermaidEntry[]): string {
  return entries
    .map((e) => {
      // One line of plain text: a newline in a name would end the heading, and a fence after it the block.
      const where = e.file === undefined ? '' : ` (${printable(e.file, { oneLine: true })})`;
      const at = e.step === undefined ? '' : ` at step ${e.step}`;
      return `### ${printable(e.scenario, { oneLine: true })}: ${e.kind}${at}${where}\n\n\`\`\`mermaid\n${e.diagram.trimEnd()}\n\`\`\`\n`;
    })
    .join('\n');
}
