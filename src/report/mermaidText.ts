/**
 * Text that Mermaid reads as text: `#` and `;` end a statement, a newline
 * ends a line, `%%` starts a comment, double quotes and backticks confuse
 * the parser or the Markdown fence around it, and `<`, `>`, `&` would be taken
 * as markup. Each becomes a Mermaid entity code (`#35;`), which Mermaid
 * shows as the character itself.
 */
export function mermaidText(text: string): string {
  const escaped = text
    .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')
    .replace(/[#;"`<>&%]/g, (c) => `#${c.charCodeAt(0)};`)
    .replace(/^(\s*(?:no)?wrap):/i, '$1#58;')
    .trim();
  return escaped === '' ? '…' : escaped;
}
